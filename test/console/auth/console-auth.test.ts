import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import argon2 from 'argon2';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerConsoleAuth, signedInHandler } from '../../../src/console/auth/console-auth.js';
import { FileHandlerAccounts } from '../../../src/console/auth/handler-accounts.js';
import { SIGN_IN_FAILED } from '../../../src/console/auth/login-page.js';
import { MemoryLoginThrottle } from '../../../src/console/auth/login-throttle.js';
import { MemorySessionStore } from '../../../src/console/auth/session-store.js';
import type { AuditEntry } from '../../../src/handoff/handoff-model.js';
import { createLogger } from '../../../src/logging/create-logger.js';
import { expectConsoleSecurityHeaders } from '../../support/console-headers.js';
import { clientFrom, type FetchFrom } from '../../support/loopback-client.js';

const PASSWORD = 'correct horse battery';
const MINUTE = 60_000;
const FAST = { memoryCost: 8192, timeCost: 2, parallelism: 1 };

let dir: string;
let accounts: FileHandlerAccounts;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'console-auth-'));
  accounts = new FileHandlerAccounts({ path: join(dir, 'handlers.json'), hashing: FAST });
  await accounts.add('alice', PASSWORD);
  await accounts.add('bob', 'bobs long password');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Harness {
  readonly base: string;
  readonly clock: { now: number };
  /** What was audited, oldest first: handler and action (and address, for failures and slow-downs). */
  readonly audit: Omit<AuditEntry, 'at'>[];
  /** Every JSON log line, parsed. */
  readonly logged: Record<string, unknown>[];
  readonly sessions: MemorySessionStore;
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A real server on 127.0.0.1 with the sign-in routes and a tiny protected route. */
async function start({ secure = true } = {}): Promise<Harness> {
  const clock = { now: 1_800_000_000_000 };
  const audit: Omit<AuditEntry, 'at'>[] = [];
  const logged: Record<string, unknown>[] = [];
  const sessions = new MemorySessionStore({ revokedAt: (username) => accounts.revokedAt(username) });
  app = Fastify();
  await registerConsoleAuth(app, {
    accounts,
    sessions,
    throttle: new MemoryLoginThrottle(),
    secure,
    logger: createLogger('debug', { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) }),
    audit: {
      append: async ({ at: _at, ...entry }) => {
        audit.push(entry);
      },
    },
    now: () => clock.now,
    forceName: 'Test Constabulary',
  });
  app.get('/console/test', { preHandler: app.requireHandler }, async (request) => signedInHandler(request));
  app.post('/console/test', { preHandler: app.requireHandler }, async (request) => ({ done: signedInHandler(request).username }));
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return { base, clock, audit, logged, sessions };
}

function signIn(base: string, username: string, password: string, headers: Record<string, string> = {}, send: FetchFrom = fetch) {
  return send(`${base}/console/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ username, password }).toString(),
  });
}

/** Signs in and returns the `Cookie` header value and the CSRF token the pages would get. */
async function session(base: string, username = 'alice', password = PASSWORD): Promise<{ cookie: string; csrfToken: string }> {
  const response = await signIn(base, username, password);
  expect(response.status).toBe(303);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const me = (await (await fetch(`${base}/console/test`, { headers: { cookie } })).json()) as { csrfToken: string };
  return { cookie, csrfToken: me.csrfToken };
}

describe('GET /console/login', () => {
  it('serves a plain, accessible form in the console’s look, naming the force, with strict security headers and no script', async () => {
    const { base } = await start();
    const response = await fetch(`${base}/console/login`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expectConsoleSecurityHeaders(response.headers);
    const html = await response.text();
    expect(html).toMatch(/<html lang="en-GB">/);
    expect(html).toMatch(/<main id="main" class="sign-in">[\s\S]*<form method="post" action="\/console\/login" class="panel">[\s\S]*<\/main>/);
    expect(html).toContain('<link rel="stylesheet" href="/console/static/console.css">');
    expect(html).toContain('<link rel="icon" href="/console/static/favicon.svg" type="image/svg+xml">');
    expect(html).toContain('<span class="force">Test Constabulary</span> · Call handler console');
    expect(html).toContain('<title>Sign in – Test Constabulary call handler console</title>');
    expect(html).toMatch(/<label for="username">/);
    expect(html).toMatch(/<input id="username"[^>]*autocomplete="username"/);
    expect(html).toMatch(/<label for="password">/);
    expect(html).toMatch(/<input id="password"[^>]*type="password"[^>]*autocomplete="current-password"/);
    expect(html).not.toMatch(/<script|<style|style=|https?:\/\//);
    expect(html).not.toContain('role="alert"');
  });

  it('sends someone already signed in on to the console', async () => {
    const { base } = await start();
    const { cookie } = await session(base);
    const response = await fetch(`${base}/console/login`, { headers: { cookie }, redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/console');
  });
});

describe('POST /console/login', () => {
  it('answers a wrong password and an unknown user with 401 and the same message, and no cookie', async () => {
    const { base, audit } = await start();
    const wrong = await signIn(base, 'alice', 'not the password');
    const unknown = await signIn(base, 'mallory', 'not the password');
    for (const response of [wrong, unknown]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('set-cookie')).toBeNull();
      expectConsoleSecurityHeaders(response.headers);
    }
    const [wrongHtml, unknownHtml] = [await wrong.text(), await unknown.text()];
    expect(wrongHtml).toContain(`<p role="alert" id="sign-in-error" class="alert">${SIGN_IN_FAILED}</p>`);
    expect(unknownHtml.replace('mallory', 'alice')).toBe(wrongHtml);
    expect(audit.map((entry) => entry.action)).toEqual(['sign-in-failed', 'sign-in-failed']);
  });

  it('audits and logs every failed sign-in with its address, the username only if it is an account, never the password', async () => {
    const { base, audit, logged } = await start();
    await signIn(base, 'alice', 'not the password');
    await signIn(base, 'mallory', 'mallorys guess');
    await signIn(base, 'correct horse battery', 'oops, typed in the wrong box');
    expect(audit).toEqual([
      { handler: 'alice', action: 'sign-in-failed', address: '127.0.0.1' },
      { handler: '(unknown)', action: 'sign-in-failed', address: '127.0.0.1' },
      { handler: '(unknown)', action: 'sign-in-failed', address: '127.0.0.1' },
    ]);
    const failures = logged.filter((line) => line.event === 'sign-in-failed');
    expect(failures.map(({ level, handler, address }) => ({ level, handler, address }))).toEqual([
      { level: 'warn', handler: 'alice', address: '127.0.0.1' },
      { level: 'warn', handler: '(unknown)', address: '127.0.0.1' },
      { level: 'warn', handler: '(unknown)', address: '127.0.0.1' },
    ]);
    const everything = JSON.stringify([logged, audit]);
    for (const secret of ['not the password', 'mallory', 'oops', 'correct horse']) expect(everything).not.toContain(secret);
  });

  it('audits and logs a slow-down at its first refusal, and its repeats only in the debug log', async () => {
    const { base, audit, logged } = await start();
    for (let i = 0; i < 5; i++) await signIn(base, 'alice', `wrong guess ${i}`);
    for (let i = 0; i < 3; i++) expect((await signIn(base, 'alice', `hammering ${i}`)).status).toBe(429);
    expect(audit.filter((entry) => entry.action === 'sign-in-throttled')).toEqual([
      { handler: 'alice', action: 'sign-in-throttled', address: '127.0.0.1' },
    ]);
    const throttled = logged.filter((line) => line.event === 'sign-in-throttled');
    expect(throttled.map(({ level, handler, by }) => ({ level, handler, by }))).toEqual([
      { level: 'warn', handler: 'alice', by: 'pair' },
      { level: 'debug', handler: undefined, by: 'pair' },
      { level: 'debug', handler: undefined, by: 'pair' },
    ]);
    expect(JSON.stringify([logged, audit])).not.toContain('hammering');
  });

  it('escapes what was typed when showing the form again', async () => {
    const { base } = await start();
    const html = await (await signIn(base, '"><script>x</script>', 'nope')).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('signs in with the right password: a __Host- cookie, Secure, HttpOnly, SameSite=Strict, for the whole site; 303 to /console', async () => {
    const { base, audit } = await start();
    const response = await signIn(base, 'alice', PASSWORD);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/console');
    expect(response.headers.get('set-cookie')).toMatch(/^__Host-ssb_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    expect(audit).toEqual([{ handler: 'alice', action: 'signed-in' }]);
  });

  it('accepts the username in any case and with surrounding spaces', async () => {
    const { base } = await start();
    expect((await signIn(base, ' Alice ', PASSWORD)).status).toBe(303);
  });

  it('drops Secure (and the __Host- name) only when asked, for a local trial over plain HTTP', async () => {
    const { base } = await start({ secure: false });
    const response = await signIn(base, 'alice', PASSWORD);
    expect(response.headers.get('set-cookie')).toMatch(/^ssb_session=[A-Za-z0-9_-]{43}; Path=\/console; HttpOnly; SameSite=Strict$/);
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect((await fetch(`${base}/console/test`, { headers: { cookie } })).status).toBe(200);
  });

  it('slows a username down after 5 failures from one address with 429 and Retry-After, even for the right password, and not other users', async () => {
    const { base, clock } = await start();
    for (let i = 0; i < 5; i++) expect((await signIn(base, 'alice', `wrong guess ${i}`)).status).toBe(401);
    const slowed = await signIn(base, 'alice', PASSWORD);
    expect(slowed.status).toBe(429);
    expect(slowed.headers.get('retry-after')).toBe('5');
    expect(slowed.headers.get('set-cookie')).toBeNull();
    expect(await slowed.text()).toMatch(/<p role="alert" id="sign-in-error" class="alert">Too many failed attempts\. Wait 5 seconds and try again\./);
    expect((await signIn(base, 'bob', 'bobs long password')).status).toBe(303);
    clock.now += 5_000;
    expect((await signIn(base, 'alice', PASSWORD)).status).toBe(303);
  });

  it('slows unknown usernames down the same way, so a slow-down reveals nothing', async () => {
    const { base } = await start();
    for (let i = 0; i < 5; i++) await signIn(base, 'mallory', 'guess');
    expect((await signIn(base, 'mallory', 'guess')).status).toBe(429);
  });

  it('refuses a sign-in posted from another site', async () => {
    const { base } = await start();
    expect((await signIn(base, 'alice', PASSWORD, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await signIn(base, 'alice', PASSWORD, { 'sec-fetch-site': 'same-origin' })).status).toBe(303);
  });
});

describe('sign-in under attack', () => {
  const clients: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    vi.restoreAllMocks();
  });
  function from(address: string): FetchFrom {
    const client = clientFrom(address);
    clients.push(client);
    return client.fetch;
  }

  it('lets the right password in from a clean address while the username is being guessed from another', async () => {
    const { base } = await start();
    const attacker = from('127.0.0.2');
    for (let i = 0; i < 8; i++) await signIn(base, 'alice', `wrong guess ${i}`, {}, attacker);
    const handler = await signIn(base, 'alice', PASSWORD, {}, from('127.0.0.3'));
    expect(handler.status).toBe(303);
  });

  it('checks at most 5 of 30 concurrent wrong passwords for one account from one address', async () => {
    const { base } = await start();
    const verify = vi.spyOn(argon2, 'verify');
    const attacker = from('127.0.0.4');
    const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => signIn(base, 'alice', `guess number ${i}`, {}, attacker)));
    expect(verify).toHaveBeenCalledTimes(5);
    expect(responses.filter((r) => r.status === 401)).toHaveLength(5);
    expect(responses.filter((r) => r.status === 429)).toHaveLength(25);
  });

  it('runs at most 2 password checks at once, queues 16 more and answers the rest 503 with Retry-After, uncounted', async () => {
    const { base } = await start();
    const check = argon2.verify.bind(argon2);
    let running = 0;
    let most = 0;
    vi.spyOn(argon2, 'verify').mockImplementation(async (...args: Parameters<typeof argon2.verify>) => {
      most = Math.max(most, ++running);
      try {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return await check(...args);
      } finally {
        running--;
      }
    });
    const addresses = Array.from({ length: 24 }, (_, i) => `127.0.1.${i + 10}`);
    const responses = await Promise.all(addresses.map((address, i) => signIn(base, 'alice', `burst guess ${i}`, {}, from(address))));
    expect(most).toBe(2);
    expect(responses.filter((r) => r.status === 401)).toHaveLength(18);
    const busy = responses.filter((r) => r.status === 503);
    expect(busy).toHaveLength(6);
    for (const response of busy) {
      expect(response.headers.get('retry-after')).toBe('2');
      expect(await response.text()).toContain('The console is busy');
    }
    const turnedAway = addresses[responses.findIndex((r) => r.status === 503)] as string;
    vi.restoreAllMocks();
    // Had the six turned away counted, alice would have 24 failures and every address that failed for her would be slowed.
    expect((await signIn(base, 'alice', PASSWORD, {}, from(turnedAway))).status).toBe(303);
  });
});

describe('requireHandler', () => {
  it('lets a signed-in handler through and tells the route who they are and when their session ends', async () => {
    const { base, clock } = await start();
    const { cookie, csrfToken } = await session(base);
    const response = await fetch(`${base}/console/test`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ username: 'alice', csrfToken, sessionEndsAt: clock.now + 12 * 60 * MINUTE });
    expect(csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers 401 JSON without a session, and sends a browser to the sign-in page', async () => {
    const { base } = await start();
    const api = await fetch(`${base}/console/test`);
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: 'sign-in required' });
    const page = await fetch(`${base}/console/test`, { headers: { accept: 'text/html,application/xhtml+xml' }, redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/console/login');
    const forged = await fetch(`${base}/console/test`, { headers: { cookie: `__Host-ssb_session=${'A'.repeat(43)}` } });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('set-cookie')).toMatch(/^__Host-ssb_session=; Max-Age=0; Path=\/; .*HttpOnly; Secure; SameSite=Strict$/);
  });

  it('over HTTPS reads only the __Host- cookie, never one a subdomain or plain-HTTP page could have planted', async () => {
    const { base } = await start();
    const { cookie } = await session(base);
    const id = cookie.split('=')[1] as string;
    expect((await fetch(`${base}/console/test`, { headers: { cookie: `ssb_session=${id}` } })).status).toBe(401);
    expect((await fetch(`${base}/console/test`, { headers: { cookie: `theme=dark; __Host-ssb_session=${id}` } })).status).toBe(200);
  });

  it('ends a session after 15 idle minutes, and keeps it while in use', async () => {
    const { base, clock } = await start();
    const { cookie } = await session(base);
    clock.now += 14 * MINUTE;
    expect((await fetch(`${base}/console/test`, { headers: { cookie } })).status).toBe(200);
    clock.now += 14 * MINUTE;
    expect((await fetch(`${base}/console/test`, { headers: { cookie } })).status).toBe(200);
    clock.now += 15 * MINUTE;
    expect((await fetch(`${base}/console/test`, { headers: { cookie } })).status).toBe(401);
  });

  it('does not count the page’s own background reads as activity, but counts the handler’s activity signal', async () => {
    const { base, clock } = await start();
    const { cookie, csrfToken } = await session(base);
    const background = () => fetch(`${base}/console/test`, { headers: { cookie, 'x-console-background': '1' } });
    clock.now += 10 * MINUTE;
    expect((await background()).status).toBe(200);
    clock.now += 6 * MINUTE;
    // Sixteen minutes since the handler last did anything: the page refreshing itself kept nothing alive.
    expect((await background()).status).toBe(401);

    const second = await session(base);
    const activity = (headers: Record<string, string>) => fetch(`${base}/console/api/activity`, { method: 'POST', headers: { cookie: second.cookie, ...headers } });
    clock.now += 10 * MINUTE;
    expect((await activity({ 'x-csrf-token': second.csrfToken })).status).toBe(204);
    clock.now += 10 * MINUTE;
    expect((await fetch(`${base}/console/test`, { headers: { cookie: second.cookie, 'x-console-background': '1' } })).status).toBe(200);
    expect(csrfToken).not.toBe(second.csrfToken);
  });

  it('refuses the activity signal without a session (401), without the CSRF token or from another site (403), so nobody can keep a session alive from elsewhere', async () => {
    const { base, clock } = await start();
    const { cookie, csrfToken } = await session(base);
    const activity = (headers: Record<string, string>) => fetch(`${base}/console/api/activity`, { method: 'POST', headers });
    expect((await activity({})).status).toBe(401);
    expect((await activity({ 'x-csrf-token': csrfToken })).status).toBe(401);
    clock.now += 10 * MINUTE;
    expect((await activity({ cookie })).status).toBe(403);
    expect((await activity({ cookie, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    clock.now += 6 * MINUTE;
    expect((await fetch(`${base}/console/test`, { headers: { cookie } })).status).toBe(401);
  });

  it('ends a session 12 hours after sign-in', async () => {
    const { base, clock } = await start();
    const { cookie } = await session(base);
    for (let i = 0; i < 71; i++) {
      clock.now += 10 * MINUTE;
      expect((await fetch(`${base}/console/test`, { headers: { cookie } })).status).toBe(200);
    }
    clock.now += 10 * MINUTE;
    expect((await fetch(`${base}/console/test`, { headers: { cookie } })).status).toBe(401);
  });

  it('refuses a state-changing request without the CSRF token (403) or with a wrong one, and accepts the right one', async () => {
    const { base } = await start();
    const { cookie, csrfToken } = await session(base);
    const post = (headers: Record<string, string>) => fetch(`${base}/console/test`, { method: 'POST', headers: { cookie, ...headers } });
    const missing = await post({});
    expect(missing.status).toBe(403);
    expect(await missing.json()).toEqual({ error: 'missing or wrong CSRF token' });
    expect((await post({ 'x-csrf-token': `${csrfToken.slice(0, -1)}x` })).status).toBe(403);
    expect((await post({ 'x-csrf-token': 'short' })).status).toBe(403);
    const other = await session(base, 'bob', 'bobs long password');
    expect((await post({ 'x-csrf-token': other.csrfToken })).status).toBe(403);
    const ok = await post({ 'x-csrf-token': csrfToken });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ done: 'alice' });
  });

  it('refuses sessions of a handler removed (or reset) through the accounts store, as the CLI does', async () => {
    const { base, clock } = await start();
    // Another process's view of the same file, stamping revocations with the test clock.
    const cli = new FileHandlerAccounts({ path: accounts.path, hashing: FAST, now: () => clock.now });
    await cli.add('carol', 'carols long password');
    const first = await session(base, 'carol', 'carols long password');
    const second = await session(base, 'carol', 'carols long password');
    clock.now += MINUTE;
    await cli.resetPassword('carol', 'carols new long password');
    clock.now += MINUTE;
    expect((await fetch(`${base}/console/test`, { headers: { cookie: first.cookie } })).status).toBe(401);
    const third = await session(base, 'carol', 'carols new long password');
    expect((await fetch(`${base}/console/test`, { headers: { cookie: third.cookie } })).status).toBe(200);
    clock.now += MINUTE;
    await cli.remove('carol');
    clock.now += MINUTE;
    expect((await fetch(`${base}/console/test`, { headers: { cookie: second.cookie } })).status).toBe(401);
    expect((await fetch(`${base}/console/test`, { headers: { cookie: third.cookie } })).status).toBe(401);
  });
});

describe('POST /console/logout', () => {
  it('needs the CSRF token, then ends the session, clears the cookie and goes to the sign-in page', async () => {
    const { base, audit, sessions, clock } = await start();
    const { cookie, csrfToken } = await session(base);
    const refused = await fetch(`${base}/console/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect(refused.status).toBe(403);
    expect((await fetch(`${base}/console/test`, { headers: { cookie } })).status).toBe(200);

    const response = await fetch(`${base}/console/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken }, redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/console/login');
    expect(response.headers.get('set-cookie')).toBe(`__Host-ssb_session=; Max-Age=0; Path=/; Expires=${new Date(0).toUTCString()}; HttpOnly; Secure; SameSite=Strict`);
    expect((await fetch(`${base}/console/test`, { headers: { cookie } })).status).toBe(401);
    expect(await sessions.activeHandlers(clock.now)).toBe(0);
    expect(audit).toEqual([
      { handler: 'alice', action: 'signed-in' },
      { handler: 'alice', action: 'signed-out' },
    ]);
  });

  it('works from a plain HTML form carrying the token in a _csrf field', async () => {
    const { base } = await start({ secure: false });
    const { cookie, csrfToken } = await session(base);
    const response = await fetch(`${base}/console/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfToken }).toString(),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toBe(`ssb_session=; Max-Age=0; Path=/console; Expires=${new Date(0).toUTCString()}; HttpOnly; SameSite=Strict`);
    expect((await fetch(`${base}/console/test`, { headers: { cookie } })).status).toBe(401);
  });
});

describe('registerConsoleAuth', () => {
  it('keeps the form parser to its own routes', async () => {
    const { base } = await start();
    const { cookie, csrfToken } = await session(base);
    const response = await fetch(`${base}/console/test`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(response.status).toBe(415);
  });

  it('undoes a sign-in whose audit record cannot be written', async () => {
    const sessions = new MemorySessionStore();
    app = Fastify();
    await registerConsoleAuth(app, {
      accounts,
      sessions,
      throttle: new MemoryLoginThrottle(),

      audit: {
        append: async () => {
          throw new Error('audit log unavailable');
        },
      },
    });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const response = await signIn(base, 'alice', PASSWORD);
    expect(response.status).toBe(500);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await sessions.activeHandlers(Date.now())).toBe(0);
  });
});
