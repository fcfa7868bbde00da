import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBotCore, type BotCore } from '../../src/app/bot-core.js';
import { type App, createApp } from '../../src/app/create-app.js';
import { readConfig } from '../../src/config/environment.js';
import { FileHandlerAccounts, RedisHandlerAccounts } from '../../src/console/auth/handler-accounts.js';
import { MemoryLoginThrottle } from '../../src/console/auth/login-throttle.js';
import { MemorySessionStore } from '../../src/console/auth/session-store.js';
import { registerConsole } from '../../src/console/register-console.js';
import { createSavedReplies } from '../../src/console/console-strings.js';
import { createHandoffDesk } from '../../src/handoff/handoff-desk.js';
import type { NewTicket } from '../../src/handoff/handoff-model.js';
import { MemoryAuditLog } from '../../src/storage/memory/audit-log.js';
import { MemoryConsoleEvents } from '../../src/storage/memory/console-events.js';
import { MemoryHandoffQueue } from '../../src/storage/memory/handoff-queue.js';
import { MemoryTranscriptStore } from '../../src/storage/memory/transcript-store.js';
import type { RedisConsoleEvents } from '../../src/storage/redis/console-events.js';
import { silentLogger } from '../../src/core/logger.js';
import { createRedisConnection, type RedisClient } from '../../src/storage/redis/redis-connection.js';
import { TestRedis } from '../support/redis-server.js';
import { type Agent, signInOverHttp } from '../support/console-agent.js';
import { type EventStreamClient, openEventStream } from '../support/event-stream-client.js';

const PASSWORD = 'correct horse battery staple';
const HASHING = { memoryCost: 8192, timeCost: 1, parallelism: 1 };
const MINUTE = 60_000;
/** Long enough that only the session-ended event, never a heartbeat, can end a stream within a test. */
const NO_HEARTBEAT = 10 * MINUTE;

const ticket: NewTicket = {
  conversationKey: 'telegram:9001',
  channel: 'telegram',
  reason: 'requested',
  flags: { crisis: false, danger: false, under18: false },
  answers: { ageGroup: 'adult', knownPerson: false, stepsSeen: ['welcome'] },
  locale: 'en-GB',
};


describe('the console\'s live event stream', () => {
  let dir: string;
  let core: BotCore;
  let started = 0;
  let app: FastifyInstance | undefined;
  const streams: EventStreamClient[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'console-stream-'));
    core = await createBotCore();
  });

  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    await app?.close();
    app = undefined;
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The console (sign-in and routes) on a real server on 127.0.0.1, with a clock the test moves. */
  async function start({ heartbeatMs = NO_HEARTBEAT } = {}) {
    const clock = { now: Date.UTC(2026, 2, 10, 12) };
    const now = () => clock.now;
    const accounts = new FileHandlerAccounts({ path: join(dir, `handlers-${++started}.json`), hashing: HASHING });
    for (const name of ['alice', 'bob', 'carol']) await accounts.add(name, PASSWORD);
    const queue = new MemoryHandoffQueue();
    const audit = new MemoryAuditLog();
    const events = new MemoryConsoleEvents();
    const sessions = new MemorySessionStore({ revokedAt: (username) => accounts.revokedAt(username) });
    const desk = createHandoffDesk({
      queue,
      transcripts: new MemoryTranscriptStore({ ttlMs: 3600_000, now }),
      audit,
      events,
      deliver: async () => undefined,
      savedReplies: createSavedReplies((key, locale) => core.renderer.text(key, locale)),
    });
    const server = Fastify();
    app = server;
    await registerConsole(server, {
      accounts,
      sessions,
      throttle: new MemoryLoginThrottle(),
      events,
      now,
      desk,
      strings: (key) => core.renderer.text(key, 'en-GB'),
      heartbeatMs,
    });
    const base = await server.listen({ host: '127.0.0.1', port: 0 });

    const signIn = (username: string): Promise<Agent> => signInOverHttp(base, username, PASSWORD);

    async function stream(agent: Agent, query = ''): Promise<EventStreamClient> {
      const opened = await openEventStream(`${base}/console/api/events${query}`, { cookie: agent.cookie });
      streams.push(opened);
      if (opened.status === 200) await opened.waitFor(': connected');
      return opened;
    }

    const signOut = (agent: Agent) =>
      fetch(`${base}/console/logout`, { method: 'POST', redirect: 'manual', headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrf } });

    const api = (agent: Agent, path: string) => fetch(`${base}${path}`, { headers: { cookie: agent.cookie, accept: 'application/json' } });

    return { base, clock, accounts, queue, audit, events, signIn, stream, signOut, api };
  }

  /** Lets a few 100 ms heartbeats pass. */
  const heartbeats = () => new Promise((resolve) => setTimeout(resolve, 350));

  it('ends a stream at once when its handler signs out, and no other session\'s', async () => {
    const { signIn, stream, signOut } = await start();
    const alice = await signIn('alice');
    const aliceElsewhere = await signIn('alice');
    const bob = await signIn('bob');
    const [first, second, other, bobs] = [await stream(alice), await stream(alice), await stream(aliceElsewhere), await stream(bob)];
    expect((await signOut(alice)).status).toBe(303);
    await first.waitForEnd();
    await second.waitForEnd();
    await heartbeats();
    expect(other.ended).toBe(false);
    expect(bobs.ended).toBe(false);
  });

  it('ends every stream of a handler at once when the handler\'s sessions end on another instance', async () => {
    const { signIn, stream, events } = await start();
    const carol = await signIn('carol');
    const bob = await signIn('bob');
    const [carols, bobs] = [await stream(carol), await stream(bob)];
    await events.publish({ type: 'handler-sessions-ended', username: 'carol' });
    await carols.waitForEnd();
    await heartbeats();
    expect(bobs.ended).toBe(false);
  });

  it.each(['resetPassword', 'remove'] as const)('ends a stream on the next heartbeat once the handler is changed through the accounts (%s)', async (change) => {
    const { signIn, stream, clock, accounts } = await start({ heartbeatMs: 100 });
    const carol = await signIn('carol');
    const bob = await signIn('bob');
    const [carols, bobs] = [await stream(carol), await stream(bob)];
    clock.now += MINUTE;
    // Another process (the CLI) with its own view of the accounts file.
    const cli = new FileHandlerAccounts({ path: accounts.path, hashing: HASHING, now: () => clock.now });
    if (change === 'remove') await cli.remove('carol');
    else await cli.resetPassword('carol', 'a brand new long passphrase');
    await carols.waitForEnd();
    expect(bobs.ended).toBe(false);
  });

  it('ends a stream on the next heartbeat once the session has been idle too long; heartbeats are not activity', async () => {
    const { signIn, stream, clock, api } = await start({ heartbeatMs: 100 });
    const alice = await signIn('alice');
    const live = await stream(alice);
    clock.now += 10 * MINUTE;
    await heartbeats();
    expect(live.ended).toBe(false);
    clock.now += 10 * MINUTE;
    await live.waitForEnd();
    expect((await api(alice, '/console/api/queue')).status).toBe(401);
  });

  it('refuses a fifth stream for one session with 429, and takes one again once another closes', async () => {
    const { signIn, stream } = await start();
    const alice = await signIn('alice');
    const open = [];
    for (let i = 0; i < 4; i++) open.push(await stream(alice));
    const fifth = await stream(alice);
    expect(fifth.status).toBe(429);
    const elsewhere = await stream(await signIn('alice'));
    expect(elsewhere.status).toBe(200);
    open[0]?.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await stream(alice)).status).toBe(200);
  });

  it('audits opening a stream for a ticket as viewed, and not for a ticket that does not exist', async () => {
    const { signIn, stream, queue, audit, clock } = await start();
    const queued = await queue.enqueue(ticket, clock.now);
    const alice = await signIn('alice');
    await stream(alice, `?ticket=${queued.id}`);
    await stream(alice, '?ticket=8e1f0b5c-0000-4000-8000-000000000000');
    await stream(alice);
    expect(await audit.list()).toEqual([{ at: clock.now, handler: 'alice', action: 'viewed', ticketId: queued.id }]);
  });
});

describe('live streams across instances sharing one Redis', () => {
  let redis: TestRedis;
  let client: RedisClient;
  const apps: App[] = [];

  beforeAll(async () => {
    redis = await TestRedis.start();
    client = createRedisConnection({ url: redis.url, logger: silentLogger });
    await client.connect();
    await new RedisHandlerAccounts({ client, hashing: HASHING }).add('alice', PASSWORD);
  });

  afterAll(async () => {
    for (const app of apps.splice(0)) await app.close();
    await client?.close();
    await redis?.stop();
  });

  /** One instance of the whole service, as `npm start` builds it. */
  async function instance(): Promise<{ app: App; base: string }> {
    const config = readConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: redis.url, HANDOFF_HOURS: 'always' });
    const app = await createApp(config, { logger: silentLogger });
    apps.push(app);
    const base = await app.listen();
    await (app.handoff.events as RedisConsoleEvents).ready();
    return { app, base };
  }

  it('ends a stream on one instance at once when its handler signs out on another', async () => {
    const [a, b] = [await instance(), await instance()];
    const alice = await signInOverHttp(a.base, 'alice', PASSWORD);
    const aliceElsewhere = await signInOverHttp(a.base, 'alice', PASSWORD);
    const onB = await openEventStream(`${b.base}/console/api/events`, { cookie: alice.cookie });
    const otherOnB = await openEventStream(`${b.base}/console/api/events`, { cookie: aliceElsewhere.cookie });
    try {
      expect(onB.status).toBe(200);
      await onB.waitFor(': connected');
      const out = await fetch(`${a.base}/console/logout`, { method: 'POST', redirect: 'manual', headers: { cookie: alice.cookie, 'x-csrf-token': alice.csrf } });
      expect(out.status).toBe(303);
      // The heartbeat is 15 s: only the session-ended event can end it this soon.
      await onB.waitForEnd(3_000);
      expect(otherOnB.ended).toBe(false);
    } finally {
      onB.close();
      otherOnB.close();
    }
  });
});
