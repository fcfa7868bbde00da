import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/create-app.js';
import { readConfig } from '../../src/config/environment.js';
import { FileHandlerAccounts } from '../../src/console/auth/handler-accounts.js';
import type { Logger } from '../../src/core/logger.js';

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

  it('drops Secure with CONSOLE_INSECURE_COOKIE=true, and warns at start-up', async () => {
    const lines: { level: string; fields: object; message?: string }[] = [];
    const response = await signIn(await start({ CONSOLE_INSECURE_COOKIE: 'true' }, recordingLogger(lines)));
    expect(response.headers.get('set-cookie')).toMatch(/^ssb_session=[\w-]{43}; Path=\/console; HttpOnly; SameSite=Strict$/);
    expect(lines.filter((line) => line.level === 'warn' && /CONSOLE_INSECURE_COOKIE/.test(line.message ?? ''))).toHaveLength(1);
  });
});
