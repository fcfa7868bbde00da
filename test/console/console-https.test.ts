import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/create-app.js';
import { readConfig } from '../../src/config/environment.js';
import { FileHandlerAccounts } from '../../src/console/auth/handler-accounts.js';
import type { Logger } from '../../src/core/logger.js';
import { expectConsoleSecurityHeaders } from '../support/console-headers.js';

const PASSWORD = 'correct horse battery staple';
const HASHING = { memoryCost: 8192, timeCost: 1, parallelism: 1 };

/** A logger that keeps each line's level, fields and message. */
function recordingLogger(lines: { level: string; fields: object; message?: string }[]): Logger {
  const at =
    (level: string) =>
    (fields: object, message?: string): void =>
      void lines.push({ level, fields, ...(message === undefined ? {} : { message }) });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return logger;
}

describe('the console as the whole app serves it', () => {
  let dir: string;
  let handlersFile: string;
  let app: App | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'console-https-'));
    handlersFile = join(dir, 'handlers.json');
    await new FileHandlerAccounts({ path: handlersFile, hashing: HASHING }).add('alice', PASSWORD);
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function start(env: Record<string, string>, logger = recordingLogger([])): Promise<string> {
    app = await createApp(readConfig({ PORT: '0', HOST: '127.0.0.1', HANDLERS_FILE: handlersFile, ...env }), { logger });
    return app.listen();
  }

  const signIn = (base: string) =>
    fetch(`${base}/console/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'alice', password: PASSWORD }).toString(),
    });

  it.each<Record<string, string>>([{}, { NODE_ENV: 'development' }, { NODE_ENV: 'Production' }])('sets a Secure __Host- session cookie whatever NODE_ENV says (%j)', async (env) => {
    const response = await signIn(await start(env));
    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toMatch(/^__Host-ssb_session=[\w-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
  });

  /** One response from each kind of console route: sign-in page, failed sign-in, a page, the API, static files, sign-out. */
  async function consoleResponses(base: string): Promise<[string, Response][]> {
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { redirect: 'manual', headers });
    const wrong = fetch(`${base}/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'alice', password: 'not the password' }).toString(),
    });
    const cookie = ((await signIn(base)).headers.get('set-cookie') ?? '').split(';')[0] as string;
    return Promise.all(
      (
        [
          ['sign-in page', get('/console/login')],
          ['failed sign-in', wrong],
          ['queue page', get('/console', { cookie, accept: 'text/html' })],
          ['queue page signed out', get('/console', { accept: 'text/html' })],
          ['API', get('/console/api/queue', { cookie })],
          ['API signed out', get('/console/api/queue')],
          ['static file', get('/console/static/console.css')],
          ['sign-out without CSRF', fetch(`${base}/console/logout`, { method: 'POST', headers: { cookie } })],
        ] as const
      ).map(async ([what, response]) => [what, await response] as [string, Response]),
    );
  }

  it('serves every console response with the strict CSP, nosniff, no referrer, no caching and HSTS', async () => {
    for (const [what, response] of await consoleResponses(await start({}))) expectConsoleSecurityHeaders(response.headers, { what });
  });

  it('sends no HSTS with CONSOLE_INSECURE_COOKIE=true, and the same other headers', async () => {
    const base = await start({ CONSOLE_INSECURE_COOKIE: 'true' });
    for (const [what, response] of await consoleResponses(base)) expectConsoleSecurityHeaders(response.headers, { hsts: false, what });
  });

  it('drops Secure with CONSOLE_INSECURE_COOKIE=true, and warns at start-up', async () => {
    const lines: { level: string; fields: object; message?: string }[] = [];
    const response = await signIn(await start({ CONSOLE_INSECURE_COOKIE: 'true' }, recordingLogger(lines)));
    expect(response.headers.get('set-cookie')).toMatch(/^ssb_session=[\w-]{43}; Path=\/console; HttpOnly; SameSite=Strict$/);
    expect(lines.filter((line) => line.level === 'warn' && /CONSOLE_INSECURE_COOKIE/.test(line.message ?? ''))).toHaveLength(1);
  });
});
