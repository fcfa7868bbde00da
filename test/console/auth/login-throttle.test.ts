import { describe, expect, it } from 'vitest';
import {
  delayAfter,
  MemoryLoginThrottle,
  RedisLoginThrottle,
  type LoginAttempt,
  type LoginThrottle,
  type ThrottleDecision,
  type ThrottlePolicy,
} from '../../../src/console/auth/login-throttle.js';
import { memoryAndRedis } from '../../support/memory-and-redis.js';
import { RedisKeys } from '../../../src/storage/redis/redis-keys.js';

const SECOND = 1_000;
const MINUTE = 60_000;
const T0 = 1_800_000_000_000;

const { kinds, redis } = memoryAndRedis<ThrottlePolicy, LoginThrottle>(
  'l',
  (policy = {}) => new MemoryLoginThrottle(policy),
  ({ client, prefix }, policy = {}) => new RedisLoginThrottle({ client, keys: new RedisKeys(prefix), ...policy }),
);

/** Wrong passwords: each attempt is reserved (counted as a failure) and never settled. */
async function fail(throttle: LoginThrottle, times: number, username: string, address: string, at: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const decision = await throttle.reserve(username, address, at);
    if (!decision.allowed) throw new Error(`attempt ${i + 1} for ${username} from ${address} was refused`);
  }
}

function attemptOf(decision: ThrottleDecision): LoginAttempt {
  if (!decision.allowed) throw new Error('the attempt was refused');
  return decision.attempt;
}

const allowed = (decision: ThrottleDecision) => decision.allowed;

describe('delayAfter', () => {
  const policy = { firstDelayMs: 5 * SECOND, maxDelayMs: 15 * MINUTE };
  it.each([
    [4, 0],
    [5, 5 * SECOND],
    [6, 10 * SECOND],
    [7, 20 * SECOND],
    [12, 640 * SECOND],
    [13, 15 * MINUTE],
    [500, 15 * MINUTE],
  ])('after %i failures against a threshold of 5 waits %i ms', (count, wait) => {
    expect(delayAfter(count, 5, policy)).toBe(wait);
  });
});

describe.each(kinds)('LoginThrottle (%s)', (_kind, make) => {
  it('checks 5 wrong passwords of one username from one address, then slows down, doubling the wait per failure', async () => {
    const throttle = make();
    await fail(throttle, 5, 'alice', '10.0.0.1', T0);
    expect(await throttle.reserve('alice', '10.0.0.1', T0 + SECOND)).toEqual({ allowed: false, retryAfterMs: 4 * SECOND, by: 'pair', first: true });
    await fail(throttle, 1, 'alice', '10.0.0.1', T0 + 5 * SECOND);
    expect(await throttle.reserve('alice', '10.0.0.1', T0 + 5 * SECOND)).toMatchObject({ allowed: false, retryAfterMs: 10 * SECOND });
    await fail(throttle, 1, 'alice', '10.0.0.1', T0 + 15 * SECOND);
    expect(await throttle.reserve('alice', '10.0.0.1', T0 + 30 * SECOND)).toMatchObject({ allowed: false, retryAfterMs: 5 * SECOND });
    expect((await throttle.reserve('alice', '10.0.0.1', T0 + 35 * SECOND)).allowed).toBe(true);
  });

  it('doubles the wait up to the longest delay', async () => {
    const throttle = make({ firstDelayMs: SECOND, maxDelayMs: 10 * SECOND });
    await fail(throttle, 5, 'alice', '10.0.0.1', T0);
    let at = T0;
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const decision = await throttle.reserve('alice', '10.0.0.1', at);
      if (decision.allowed) throw new Error('not slowed down');
      waits.push(decision.retryAfterMs);
      at += decision.retryAfterMs;
      await fail(throttle, 1, 'alice', '10.0.0.1', at);
    }
    expect(waits).toEqual([1, 2, 4, 8, 10, 10].map((s) => s * SECOND));
  });

  it('forgets failures older than the 15-minute window', async () => {
    const throttle = make();
    await fail(throttle, 5, 'alice', '10.0.0.1', T0);
    expect(allowed(await throttle.reserve('alice', '10.0.0.1', T0 + SECOND))).toBe(false);
    await fail(throttle, 5, 'alice', '10.0.0.1', T0 + 15 * MINUTE);
    expect(allowed(await throttle.reserve('alice', '10.0.0.1', T0 + 15 * MINUTE))).toBe(false);
  });

  it('never locks a username: an address with no failures is checked while the username is attacked from many others', async () => {
    const throttle = make();
    for (let host = 1; host <= 30; host++) for (let i = 0; i < 5; i++) await throttle.reserve('alice', `192.0.2.${host}`, T0);
    expect(allowed(await throttle.reserve('alice', '192.0.2.1', T0))).toBe(false);
    expect(allowed(await throttle.reserve('alice', '10.9.9.9', T0))).toBe(true);
    expect(allowed(await throttle.reserve(' Alice', '10.9.9.8', T0))).toBe(true);
  });

  it('slows an address that has failed for a username under attack from its first failure, and no clean address', async () => {
    const throttle = make();
    for (let host = 1; host <= 20; host++) await fail(throttle, 1, 'alice', `192.0.2.${host}`, T0);
    await fail(throttle, 1, 'alice', '10.0.0.1', T0 + SECOND);
    expect(await throttle.reserve('alice', '10.0.0.1', T0 + SECOND)).toEqual({ allowed: false, retryAfterMs: 5 * SECOND, by: 'username', first: true });
    expect(allowed(await throttle.reserve('alice', '10.0.0.1', T0 + 6 * SECOND))).toBe(true);
    expect(allowed(await throttle.reserve('alice', '10.0.0.2', T0 + SECOND))).toBe(true);
    expect(allowed(await throttle.reserve('bob', '192.0.2.1', T0 + SECOND))).toBe(true);
  });

  it('counts a username however its case and spaces are typed', async () => {
    const throttle = make();
    await fail(throttle, 5, ' Alice', '10.0.0.1', T0);
    expect(allowed(await throttle.reserve('alice ', '10.0.0.1', T0))).toBe(false);
  });

  it('slows down an address that fails across many usernames, and not other addresses', async () => {
    const throttle = make();
    for (let i = 0; i < 20; i++) await fail(throttle, 1, `user${i}`, '192.0.2.7', T0);
    expect(await throttle.reserve('someone', '192.0.2.7', T0 + SECOND)).toEqual({ allowed: false, retryAfterMs: 4 * SECOND, by: 'address', first: true });
    expect(allowed(await throttle.reserve('someone', '192.0.2.8', T0 + SECOND))).toBe(true);
  });

  it('counts an IPv6 /64 as one address, and an IPv4-mapped address as its IPv4 address', async () => {
    const throttle = make();
    for (let i = 0; i < 5; i++) await fail(throttle, 1, 'alice', `2001:db8:1:2::${i + 1}`, T0);
    expect(allowed(await throttle.reserve('alice', '2001:db8:1:2:ffff::9', T0))).toBe(false);
    expect(allowed(await throttle.reserve('alice', '2001:db8:1:3::1', T0))).toBe(true);
    await fail(throttle, 5, 'bob', '::ffff:198.51.100.4', T0);
    expect(allowed(await throttle.reserve('bob', '198.51.100.4', T0))).toBe(false);
  });

  it('reports the first refusal of a slow-down once, and again when a new failure starts a longer one', async () => {
    const throttle = make();
    await fail(throttle, 5, 'alice', '10.0.0.1', T0);
    expect(await throttle.reserve('alice', '10.0.0.1', T0)).toMatchObject({ allowed: false, first: true });
    expect(await throttle.reserve('alice', '10.0.0.1', T0 + SECOND)).toMatchObject({ allowed: false, first: false });
    expect(await throttle.reserve('alice', '10.0.0.1', T0 + 2 * SECOND)).toMatchObject({ allowed: false, first: false });
    await fail(throttle, 1, 'alice', '10.0.0.1', T0 + 5 * SECOND);
    expect(await throttle.reserve('alice', '10.0.0.1', T0 + 6 * SECOND)).toMatchObject({ allowed: false, first: true });
  });

  it('clears the pair\'s failures on success, and a success never counts against the address or username', async () => {
    const throttle = make();
    await fail(throttle, 4, 'alice', '10.0.0.1', T0);
    await throttle.succeeded(attemptOf(await throttle.reserve('alice', '10.0.0.1', T0)));
    await fail(throttle, 4, 'alice', '10.0.0.1', T0);
    expect(allowed(await throttle.reserve('alice', '10.0.0.1', T0))).toBe(true);
    // A whole shift signing in from the control room's one address.
    const shift = make();
    for (let i = 0; i < 40; i++) await shift.succeeded(attemptOf(await shift.reserve(`handler${i}`, '10.0.0.1', T0)));
    expect(allowed(await shift.reserve('handler40', '10.0.0.1', T0))).toBe(true);
  });

  it('takes back a cancelled attempt entirely', async () => {
    const throttle = make();
    await fail(throttle, 4, 'alice', '10.0.0.1', T0);
    for (let i = 0; i < 10; i++) await throttle.cancel(attemptOf(await throttle.reserve('alice', '10.0.0.1', T0)));
    expect(allowed(await throttle.reserve('alice', '10.0.0.1', T0))).toBe(true);
    expect(allowed(await throttle.reserve('alice', '10.0.0.1', T0))).toBe(false);
  });

  it('lets only 5 of 30 concurrent attempts for one account from one address through', async () => {
    const throttle = make();
    const decisions = await Promise.all(Array.from({ length: 30 }, () => throttle.reserve('alice', '10.0.0.1', T0)));
    expect(decisions.filter(allowed)).toHaveLength(5);
  });
});

describe('RedisLoginThrottle', () => {
  it('shares counts between instances and keeps no username or address in its keys, all of which expire', async () => {
    const a = new RedisLoginThrottle({ client: redis.client, keys: new RedisKeys('shared') });
    const b = new RedisLoginThrottle({ client: redis.client, keys: new RedisKeys('shared') });
    await fail(a, 3, 'alice', '10.0.0.1', T0);
    await fail(b, 2, 'alice', '10.0.0.1', T0);
    expect(allowed(await a.reserve('alice', '10.0.0.1', T0))).toBe(false);
    const keys = await redis.client.keys('shared:*');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toMatch(/alice|10\.0\.0\.1/);
    for (const key of keys) expect(await redis.client.pTTL(key)).toBeGreaterThan(0);
  });
});
