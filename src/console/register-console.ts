import type { FastifyInstance } from 'fastify';
import { type ConsoleAuthOptions, registerConsoleAuth } from './auth/console-auth.js';
import type { HandlerAccounts } from './auth/handler-accounts.js';
import { type ConsoleRoutesOptions, registerConsoleRoutes } from './console-routes.js';

/** Everything the call handlers' console is built from: sign-in, sessions and throttle, the desk and its words. */
export interface ConsoleOptions
  extends Omit<ConsoleAuthOptions, 'accounts'>,
    Pick<ConsoleRoutesOptions, 'desk' | 'strings' | 'heartbeatMs' | 'streamsPerSession' | 'staticFiles'> {
  /** Who may sign in, and which of them are supervisors (read on every request). */
  readonly accounts: Pick<HandlerAccounts, 'verify' | 'exists' | 'isSupervisor'>;
}

/**
 * The console, in one place for production and the tests: sign-in first,
 * which decorates the server with the one guard every console route uses
 * (`requireHandler`), then the routes behind it, with the supervisor check
 * read from the same accounts. Both halves get the same clock, force name and
 * HTTPS setting.
 */
export async function registerConsole(app: FastifyInstance, options: ConsoleOptions): Promise<void> {
  const { desk, strings, heartbeatMs, streamsPerSession, staticFiles, ...auth } = options;
  await registerConsoleAuth(app, auth);
  await registerConsoleRoutes(app, {
    desk,
    strings,
    requireHandler: app.requireHandler,
    isSupervisor: (username) => auth.accounts.isSupervisor(username),
    ...(auth.secure !== undefined && { secure: auth.secure }),
    ...(auth.forceName !== undefined && { forceName: auth.forceName }),
    ...(auth.now !== undefined && { now: auth.now }),
    ...(heartbeatMs !== undefined && { heartbeatMs }),
    ...(streamsPerSession !== undefined && { streamsPerSession }),
    ...(staticFiles !== undefined && { staticFiles }),
  });
}
