import { describe, expect, it } from 'vitest';
import {
  MemorySessionStore,
  RedisSessionStore,
  type SessionPolicy,
  type SessionStore,
} from '../../../src/console/auth/session-store.js';
import { memoryAndRedis } from '../../support/memory-and-redis.js';
import { RedisKeys } from '../../../src/storage/redis/redis-keys.js';

const MINUTE = 60_000;
const T0 = 1_800_000_000_000;

const { kinds, redis } = memoryAndRedis<SessionPolicy, SessionStore>(
  's',
  (policy = {}) => new MemorySessionStore(policy),
  ({ client, prefix }, policy = {}) => new RedisSessionStore({ client, keys: new RedisKeys(prefix), ...policy }),
);

describe.each(kinds)('SessionStore (%s)', (_kind, make) => {
  it('creates sessions with 32-byte random base64url id and CSRF token', async () => {
    const store = make();
    const a = await store.create('alice', T0);
    const b = await store.create('alice', T0);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.id, 'base64url')).toHaveLength(32);
    expect(a.id).not.toBe(b.id);
    expect(a.csrfToken).not.toBe(b.csrfToken);
    expect(a.csrfToken).not.toBe(a.id);
    expect(a).toMatchObject({ username: 'alice', createdAt: T0, lastSeenAt: T0 });
  });

  it('returns a live session and touches lastSeenAt', async () => {
    const store = make();
    const session = await store.create('alice', T0);
    const seen = await store.get(session.id, T0 + 5 * MINUTE);
    expect(seen).toMatchObject({ id: session.id, username: 'alice', csrfToken: session.csrfToken, createdAt: T0, lastSeenAt: T0 + 5 * MINUTE });
  });

  it('peeks at a live session without touching it, so peeking never keeps an idle session alive', async () => {
    const store = make();
    const session = await store.create('alice', T0);
    expect(await store.peek(session.id, T0 + 10 * MINUTE)).toMatchObject({ id: session.id, username: 'alice', lastSeenAt: T0 });
    expect(await store.peek(session.id, T0 + 14 * MINUTE)).toMatchObject({ lastSeenAt: T0 });
    expect(await store.peek(session.id, T0 + 15 * MINUTE)).toBeUndefined();
    expect(await store.get(session.id, T0 + 15 * MINUTE)).toBeUndefined();
  });

  it('peeks at nothing for a destroyed, revoked or malformed session', async () => {
    const revocations = new Map<string, number>();
    const store = make({ revokedAt: async (username) => revocations.get(username) });
    const destroyed = await store.create('alice', T0);
    await store.destroy(destroyed.id);
    expect(await store.peek(destroyed.id, T0 + 1)).toBeUndefined();
    const revoked = await store.create('bob', T0);
    revocations.set('bob', T0);
    expect(await store.peek(revoked.id, T0 + 1)).toBeUndefined();
    expect(await store.get(revoked.id, T0 + 1)).toBeUndefined();
    expect(await store.peek('not an id', T0)).toBeUndefined();
  });

  it('ends a session idle for 15 minutes, and activity keeps it alive until then', async () => {
    const store = make();
    const session = await store.create('alice', T0);
    expect(await store.get(session.id, T0 + 14 * MINUTE)).toBeDefined();
    expect(await store.get(session.id, T0 + 28 * MINUTE)).toBeDefined();
    expect(await store.get(session.id, T0 + 43 * MINUTE)).toBeUndefined();
    expect(await store.get(session.id, T0 + 44 * MINUTE)).toBeUndefined();
  });

  it('ends a session 12 hours after sign-in however busy it was, a night shift, and says when', async () => {
    const store = make();
    const session = await store.create('alice', T0);
    expect(store.endsAt(session)).toBe(T0 + 12 * 60 * MINUTE);
    let now = T0;
    while (now + 10 * MINUTE < T0 + 12 * 60 * MINUTE) {
      now += 10 * MINUTE;
      expect(await store.get(session.id, now)).toBeDefined();
    }
    expect(await store.get(session.id, T0 + 12 * 60 * MINUTE)).toBeUndefined();
  });

  it('honours other time-outs when configured', async () => {
    const store = make({ idleMs: MINUTE, absoluteMs: 3 * MINUTE });
    const session = await store.create('alice', T0);
    expect(await store.get(session.id, T0 + 61_000)).toBeUndefined();
  });

  it('refuses sessions created at or before the handler\'s revocation time, and not later ones', async () => {
    const revocations = new Map<string, number>();
    const store = make({ revokedAt: async (username) => revocations.get(username) });
    const old = await store.create('alice', T0);
    const bob = await store.create('bob', T0);
    revocations.set('alice', T0 + MINUTE);
    expect(await store.get(old.id, T0 + 2 * MINUTE)).toBeUndefined();
    expect(await store.get(bob.id, T0 + 2 * MINUTE)).toBeDefined();
    const fresh = await store.create('alice', T0 + 2 * MINUTE);
    expect(await store.get(fresh.id, T0 + 3 * MINUTE)).toBeDefined();
  });

  it('destroys one session without touching the others', async () => {
    const store = make();
    const a = await store.create('alice', T0);
    const b = await store.create('alice', T0);
    await store.destroy(a.id);
    expect(await store.get(a.id, T0 + 1)).toBeUndefined();
    expect(await store.get(b.id, T0 + 1)).toBeDefined();
  });

  it('destroyAllFor ends every session of one handler only', async () => {
    const store = make();
    const a1 = await store.create('alice', T0);
    const a2 = await store.create('alice', T0 + 1);
    const b = await store.create('bob', T0);
    await store.destroyAllFor('alice');
    expect(await store.get(a1.id, T0 + 2)).toBeUndefined();
    expect(await store.get(a2.id, T0 + 2)).toBeUndefined();
    expect(await store.get(b.id, T0 + 2)).toBeDefined();
  });

  it('counts and names the distinct handlers with a live session, leaving out timed-out, revoked and ended ones', async () => {
    const revocations = new Map<string, number>();
    const store = make({ revokedAt: async (username) => revocations.get(username) });
    const live = async (now: number) => ({ count: await store.activeHandlers(now), names: [...(await store.liveHandlers(now))].sort() });
    expect(await live(T0)).toEqual({ count: 0, names: [] });
    await store.create('alice', T0);
    await store.create('alice', T0);
    const bob = await store.create('bob', T0 + 10 * MINUTE);
    await store.create('carol', T0);
    expect(await live(T0 + MINUTE)).toEqual({ count: 3, names: ['alice', 'bob', 'carol'] });
    revocations.set('carol', T0);
    expect(await live(T0 + MINUTE)).toEqual({ count: 2, names: ['alice', 'bob'] });
    expect(await live(T0 + 16 * MINUTE)).toEqual({ count: 1, names: ['bob'] });
    await store.destroy(bob.id);
    expect(await live(T0 + 16 * MINUTE)).toEqual({ count: 0, names: [] });
  });

  it('answers undefined for unknown and malformed ids', async () => {
    const store = make();
    expect(await store.get('A'.repeat(43), T0)).toBeUndefined();
    expect(await store.get('', T0)).toBeUndefined();
    expect(await store.get('not an id; really', T0)).toBeUndefined();
    await store.destroy('not an id');
  });
});

describe('RedisSessionStore', () => {
  it('shares sessions between instances and does not keep the raw session id in Redis', async () => {
    const a = new RedisSessionStore({ client: redis.client, keys: new RedisKeys('shared') });
    const b = new RedisSessionStore({ client: redis.client, keys: new RedisKeys('shared') });
    const session = await a.create('alice', T0);
    expect(await b.get(session.id, T0 + 1)).toMatchObject({ username: 'alice' });
    const keys = await redis.client.keys('shared:*');
    expect(keys.some((key) => key.includes(session.id))).toBe(false);
    expect(await redis.client.pTTL(keys.find((key) => key.startsWith('shared:console-session:')) ?? '')).toBeGreaterThan(14 * MINUTE);
    await b.destroyAllFor('alice');
    expect(await a.get(session.id, T0 + 2)).toBeUndefined();
    expect(await redis.client.keys('shared:*')).toEqual([]);
  });

  it('does not bring back a session that was destroyed while a request was using it', async () => {
    const store = new RedisSessionStore({
      client: redis.client,
      keys: new RedisKeys('race'),
      revokedAt: async () => {
        await redis.client.del((await redis.client.keys('race:console-session:*'))[0] ?? 'none');
        return undefined;
      },
    });
    const session = await store.create('alice', T0);
    expect(await store.get(session.id, T0 + 1)).toBeUndefined();
    expect(await redis.client.keys('race:console-session:*')).toEqual([]);
  });
});
