import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The session cookie's name over HTTPS: the `__Host-` prefix is what makes browsers hold it to the rules below. */
export const SECURE_SESSION_COOKIE = '__Host-ssb_session';
/** The session cookie's name for a local trial over plain HTTP. */
export const TRIAL_SESSION_COOKIE = 'ssb_session';

/** The console's session cookie: its name and how to read, set and clear it. */
export interface SessionCookie {
  readonly name: string;
  /** The session id the request carries, if any. */
  read(request: FastifyRequest): string | undefined;
  set(reply: FastifyReply, sessionId: string): void;
  clear(reply: FastifyReply): void;
}

/**
 * The session cookie, HttpOnly and SameSite=Strict, ending with the browser.
 * Over HTTPS (`secure`, the default) it is `__Host-ssb_session` with
 * `Secure` and `Path=/`: browsers accept a `__Host-` cookie only from this
 * host over HTTPS, without a `Domain` and for the whole site, so neither a
 * sibling subdomain nor a plain-HTTP page can plant or overwrite it. For a
 * local trial over plain HTTP (`CONSOLE_INSECURE_COOKIE=true`) it is
 * `ssb_session` with `Path=/console` and no `Secure`, which a browser would
 * otherwise refuse to send.
 */
export function sessionCookie({ secure = true }: { secure?: boolean } = {}): SessionCookie {
  const name = secure ? SECURE_SESSION_COOKIE : TRIAL_SESSION_COOKIE;
  const options = { path: secure ? '/' : '/console', httpOnly: true, sameSite: 'strict', secure } as const;
  return {
    name,
    read(request) {
      const header = request.headers.cookie;
      if (!header) return undefined;
      const value = request.server.parseCookie(header)[name];
      return value === undefined || value === '' ? undefined : value;
    },
    set(reply, sessionId) {
      reply.setCookie(name, sessionId, options);
    },
    clear(reply) {
      reply.clearCookie(name, options);
    },
  };
}

/**
 * Adds @fastify/cookie to the app once, without its parsing hook: cookies
 * are read only where a console route asks for the session, so webhook
 * routes never parse a Cookie header.
 */
export async function registerCookies(app: FastifyInstance): Promise<void> {
  if (!app.hasDecorator('parseCookie')) await app.register(fastifyCookie, { hook: false });
}
