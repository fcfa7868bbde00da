import { afterEach, describe, expect, it } from 'vitest';
import { getAs, postAs, signInOverHttp } from '../support/console-agent.js';
import { freePort } from '../support/redis-server.js';
import { ServerProcess } from '../support/server-process.js';

/**
 * `npm run demo`, run as a new user would: it prints the console's address
 * and a demo account, a sign-in with them works, the simulated person's
 * conversation arrives in the queue, a handler's reply reaches the person,
 * and it stops cleanly. It refuses to run with NODE_ENV=production.
 */

const TEST_TIMEOUT_MS = 120_000;

async function until<T>(value: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await value();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('npm run demo', () => {
  const servers: ServerProcess[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.kill9()));
  });

  it(
    'prints a console address and a demo account; after sign-in a person asking for a human arrives in the queue',
    async () => {
      const port = await freePort();
      const demo = await ServerProcess.start({ npmScript: 'demo', env: { PORT: String(port), LOG_LEVEL: 'error' }, waitReady: false });
      servers.push(demo);
      const printed = await until(() => /Console:\s+(\S+)\n\s+Username:\s+(\S+)\n\s+Password:\s+(\S+)/.exec(demo.stdout) ?? undefined, 30_000, 'the demo account');
      const [, consoleUrl, username, password] = printed as unknown as [string, string, string, string];
      expect(consoleUrl).toBe(`http://127.0.0.1:${port}/console`);
      expect(username).toBe('demo.handler');
      expect(password).toMatch(/^[\w-]{24}$/);

      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/console/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=demo.handler&password=wrong-password-123' })).status).not.toBe(303);
      const handler = await signInOverHttp(base, username, password);
      const ticket = await until(
        async () => ((await (await getAs(base, '/console/api/queue', handler)).json()) as { id: string; channel: string; reason: string; status: string }[])[0],
        30_000,
        'a ticket in the queue',
      );
      expect(ticket).toMatchObject({ channel: 'botframework', reason: 'requested', status: 'queued' });
      await until(() => (demo.stdout.includes(`Their conversation is waiting in the console: ${consoleUrl}`) ? true : undefined), 10_000, 'the demo to say so');

      expect((await postAs(base, `/console/api/tickets/${ticket.id}/claim`, handler)).status).toBe(200);
      expect((await postAs(base, `/console/api/tickets/${ticket.id}/reply`, handler, { text: 'Hello, I am Sam from the control room.' })).status).toBe(200);
      await until(() => (demo.stdout.includes('to the person: Hello, I am Sam from the control room.') ? true : undefined), 10_000, 'the reply in the terminal');

      demo.signal('SIGTERM');
      expect(await demo.exit()).toEqual({ code: 0, signal: null });
      expect(demo.stdout).toContain('Demo stopped');
      expect(await demo.status('/healthz')).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'refuses to run with NODE_ENV=production, making no account and listening nowhere',
    async () => {
      const port = await freePort();
      const demo = await ServerProcess.start({ npmScript: 'demo', env: { PORT: String(port), NODE_ENV: 'production' }, waitForStart: false });
      servers.push(demo);
      expect(await demo.exit(30_000)).toMatchObject({ code: 1 });
      expect(demo.stderr).toContain('it does not run with NODE_ENV=production');
      expect(demo.stdout).not.toContain('Password');
      expect(await demo.status('/healthz')).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});
