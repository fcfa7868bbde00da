import { afterEach, describe, expect, it } from 'vitest';
import { FakeTelegramApi } from '../support/fake-telegram-api.js';
import { freePort } from '../support/redis-server.js';
import { ServerProcess } from '../support/server-process.js';

/**
 * A channel that cannot start, tried on the real server process with Telegram
 * in polling mode against a local fake Bot API that refuses connections or
 * answers with errors: by default the process stops with a non-zero exit; with
 * `CHANNEL_START_FAILURE=retry` it stays up, `/readyz` says which channel is
 * not ready and why (never the token), and the channel is retried until it
 * starts.
 */

const TEST_TIMEOUT_MS = 120_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Readiness {
  readonly status: number;
  readonly body: { status?: string; checks?: Record<string, boolean>; reasons?: Record<string, string> };
}

describe('a channel that cannot start', () => {
  const servers: ServerProcess[] = [];
  const apis: FakeTelegramApi[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.kill9()));
    await Promise.all(apis.splice(0).map((api) => api.close()));
  });

  async function fakeApi(): Promise<FakeTelegramApi> {
    const api = await new FakeTelegramApi().start();
    apis.push(api);
    return api;
  }

  /** The server in Telegram polling mode against `apiRoot`. */
  async function start(token: string, apiRoot: string, env: Record<string, string> = {}, wait = false): Promise<ServerProcess> {
    const server = await ServerProcess.start({
      env: { TELEGRAM_BOT_TOKEN: token, TELEGRAM_MODE: 'polling', TELEGRAM_API_ROOT: apiRoot, LOG_LEVEL: 'info', ...env },
      waitForStart: wait,
      waitReady: false,
    });
    servers.push(server);
    return server;
  }

  async function readiness(server: ServerProcess): Promise<Readiness> {
    const response = await fetch(`${server.url}/readyz`);
    return { status: response.status, body: (await response.json()) as Readiness['body'] };
  }

  /** Polls `/readyz` until `done` says so; the last answer. */
  async function readinessUntil(server: ServerProcess, done: (r: Readiness) => boolean, timeoutMs = 30_000): Promise<Readiness> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await readiness(server);
      if (done(answer)) return answer;
      if (Date.now() > deadline) throw new Error(`/readyz still answers ${JSON.stringify(answer)}`);
      await sleep(100);
    }
  }

  it(
    'stops the process with exit code 1 and one fatal line when the Bot API refuses connections, without the token',
    async () => {
      const token = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
      const server = await start(token, `http://127.0.0.1:${await freePort()}`);
      expect(await server.exit(60_000)).toEqual({ code: 1, signal: null });
      const fatal = server.logLines().filter((line) => line.level === 'fatal');
      expect(fatal).toHaveLength(1);
      expect(fatal[0]).toMatchObject({ event: 'start.failed', msg: 'support bot failed to start', err: { type: 'ChannelStartError' } });
      expect((fatal[0]?.err as { message: string }).message).toBe('the telegram channel did not start: getMe failed: could not reach the Bot API (ECONNREFUSED)');
      expect(server.stdout + server.stderr).not.toContain(token);
      expect(server.stdout + server.stderr).not.toContain(token.split(':')[1]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'stops the process when Telegram answers an error, naming the call and Telegram’s answer',
    async () => {
      const api = await fakeApi();
      api.failNext('deleteWebhook', { status: 502, description: 'Bad Gateway' });
      const server = await start(api.token, api.url);
      expect(await server.exit(60_000)).toEqual({ code: 1, signal: null });
      const fatal = server.logLines().find((line) => line.level === 'fatal');
      expect((fatal?.err as { message: string }).message).toBe('the telegram channel did not start: deleteWebhook failed: the Bot API answered 502 (Bad Gateway)');
      expect(api.calls('getUpdates')).toEqual([]);
      expect(server.stdout + server.stderr).not.toContain(api.token);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'stops the process in webhook mode too when the token is refused',
    async () => {
      const api = await fakeApi();
      const server = await start('123456789:wrong-token-the-fake-refuses', api.url, { TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: 'channel-starter-webhook-secret' });
      expect(await server.exit(60_000)).toEqual({ code: 1, signal: null });
      const fatal = server.logLines().find((line) => line.level === 'fatal');
      expect((fatal?.err as { message: string }).message).toMatch(/^the telegram channel did not start: getMe failed: the Bot API answered 401/);
      expect(server.stdout + server.stderr).not.toContain('wrong-token-the-fake-refuses');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'with CHANNEL_START_FAILURE=retry, stays up but not ready, says which channel and why, and retries until the channel starts',
    async () => {
      const api = await fakeApi();
      for (let i = 0; i < 3; i++) api.failNext('getMe', { status: 502, description: 'Bad Gateway' });
      const server = await start(api.token, api.url, { CHANNEL_START_FAILURE: 'retry' }, true);

      const failing = await readinessUntil(server, (r) => r.body.reasons?.['channel:telegram']?.includes('failed') ?? false);
      expect(failing.status).toBe(503);
      expect(failing.body).toMatchObject({ status: 'not ready', checks: { 'channel:telegram': false } });
      expect(failing.body.reasons?.['channel:telegram']).toMatch(/^getMe failed: the Bot API answered 502 \(Bad Gateway\) \(\d failed attempts?; trying again in \d+ s\)$/);
      expect(await server.status('/healthz')).toBe(200);

      const ready = await readinessUntil(server, (r) => r.status === 200);
      expect(ready.body).toMatchObject({ status: 'ready', checks: { 'channel:telegram': true } });
      expect(ready.body.reasons).toBeUndefined();
      expect(api.calls('getMe')).toHaveLength(4);

      // Polling now runs: a message sent on Telegram is answered.
      await api.waitFor('getUpdates', 1, 10_000);
      api.pushUpdates({
        update_id: 5001,
        message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: 777, type: 'private' }, from: { id: 777, is_bot: false, first_name: 'A' }, text: 'hi' },
      });
      await api.waitFor('sendMessage', 1, 20_000);

      const lines = server.logLines();
      const failures = lines.filter((line) => line.event === 'channel.start_failed');
      expect(failures.map((line) => line.retryInMs)).toEqual([1000, 2000, 4000]);
      expect(failures[0]).toMatchObject({ level: 'error', channel: 'telegram', reason: 'getMe failed: the Bot API answered 502 (Bad Gateway)', attempt: 1 });
      expect(lines.find((line) => line.event === 'channel.started')).toMatchObject({ channel: 'telegram', attempts: 4 });
      expect(server.stdout + server.stderr).not.toContain(api.token);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'with CHANNEL_START_FAILURE=retry, stops promptly on SIGTERM while a channel is still failing',
    async () => {
      const token = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
      const server = await start(token, `http://127.0.0.1:${await freePort()}`, { CHANNEL_START_FAILURE: 'retry' }, true);
      const failing = await readinessUntil(server, (r) => r.body.reasons?.['channel:telegram']?.includes('failed') ?? false);
      expect(failing.body.reasons?.['channel:telegram']).toMatch(/^getMe failed: could not reach the Bot API \(ECONNREFUSED\)/);
      expect(JSON.stringify(failing.body)).not.toContain(token);
      server.signal('SIGTERM');
      expect(await server.exit(10_000)).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT_MS,
  );
});
