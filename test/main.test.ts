import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegramApi } from './support/fake-telegram-api.js';
import { ServerProcess } from './support/server-process.js';

/**
 * How the real process (`src/main.ts`, and `npm start` around it) starts and
 * stops: signals reach the server through npm, a shutdown that hangs is cut
 * short by a second signal or by the time-out, and every line it writes on the
 * way is JSON.
 */

const SECRET = 'main-process-webhook-secret';
/** Per test: a server process takes seconds to start under tsx, more on a loaded machine. */
const TEST_TIMEOUT_MS = 120_000;

/** The ids of a process's children, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
        .split(' ')
        .filter((id) => id.trim() !== '')
        .map(Number),
    );
  } catch {
    return [];
  }
}

/** Whether a process with this id exists (a zombie counts as gone). */
function running(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** Whether anything accepts a TCP connection on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('the server process', () => {
  let api: FakeTelegramApi;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    api = await new FakeTelegramApi().start();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.kill9()));
  });
  afterAll(async () => {
    await api?.close();
  });

  it(
    'stops, with no server left behind, when `npm start` itself gets SIGTERM',
    async () => {
      const server = await ServerProcess.start({ npmScript: 'start', env: { LOG_LEVEL: 'info' }, waitReady: false });
      servers.push(server);
      const port = Number(new URL(server.url).port);
      const descendants = (pid: number): number[] => childrenOf(pid).flatMap((child) => [child, ...descendants(child)]);
      const below = descendants(server.pid);
      expect(below.length).toBeGreaterThan(0);

      try {
        server.signal('SIGTERM');
        expect(await server.exit()).toEqual({ code: 0, signal: null });
        expect(below.filter(running)).toEqual([]);
        expect(await listening(port)).toBe(false);
        expect(server.logLines().map((line) => line.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
      } finally {
        // An orphan left by a failure here must not outlive the test.
        for (const pid of below.filter(running)) process.kill(pid, 'SIGKILL');
      }
    },
    TEST_TIMEOUT_MS,
  );

  /** A server whose shutdown cannot finish: a reply is on its way to a Telegram API that holds it. */
  async function serverWithAHeldReply(env: Record<string, string> = {}): Promise<{ server: ServerProcess; release: () => void }> {
    const server = await ServerProcess.start({
      env: { TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: api.url, LOG_LEVEL: 'info', ...env },
    });
    servers.push(server);
    const release = api.hold('sendMessage');
    const before = api.calls('sendMessage').length;
    void fetch(`${server.url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify({
        update_id: 1,
        message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: 4242, type: 'private' }, from: { id: 4242, is_bot: false, first_name: 'A' }, text: 'hi' },
      }),
    }).catch(() => undefined);
    await api.waitFor('sendMessage', before + 1, 30_000);
    return { server, release };
  }

  it(
    'exits with code 1 when a graceful shutdown takes longer than SHUTDOWN_TIMEOUT_SECONDS',
    async () => {
      const { server, release } = await serverWithAHeldReply({ SHUTDOWN_TIMEOUT_SECONDS: '2' });
      try {
        server.signal('SIGTERM');
        expect(await server.exit(15_000)).toEqual({ code: 1, signal: null });
        const forced = server.logLines().find((line) => line.event === 'shutdown.forced');
        expect(forced).toMatchObject({ level: 'fatal', timeoutMs: 2000, msg: 'shutdown did not finish in time: exiting at once' });
      } finally {
        release();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'exits at once with code 1 on a second signal while a shutdown hangs',
    async () => {
      const { server, release } = await serverWithAHeldReply({ SHUTDOWN_TIMEOUT_SECONDS: '120' });
      try {
        server.signal('SIGTERM');
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(server.alive).toBe(true);
        server.signal('SIGINT');
        expect(await server.exit(10_000)).toEqual({ code: 1, signal: null });
        expect(server.logLines().find((line) => line.event === 'shutdown.forced')).toMatchObject({ signal: 'SIGINT', msg: 'second signal during shutdown: exiting at once' });
      } finally {
        release();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'writes a configuration error as one fatal JSON line, naming the setting and never its value, and exits with code 1',
    async () => {
      const server = await ServerProcess.start({ env: { METRICS_TOKEN: 'too-short-secret-value' }, waitForStart: false });
      servers.push(server);
      expect(await server.exit()).toEqual({ code: 1, signal: null });
      const lines = server.logLines();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'fatal', event: 'start.failed', msg: 'support bot failed to start' });
      expect(JSON.stringify(lines[0])).toContain('METRICS_TOKEN');
      expect(server.stdout + server.stderr).not.toContain('too-short-secret-value');
      expect(server.stderr).toBe('');
    },
    TEST_TIMEOUT_MS,
  );
});
