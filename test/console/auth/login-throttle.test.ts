import { describe, expect, it } from 'vitest';
import {
  MemoryLoginThrottle,
  RedisLoginThrottle,
  type LoginThrottle,
  type ThrottlePolicy,
} from '../../../src/console/auth/login-throttle.js';
import { memoryAndRedis } from '../../support/memory-and-redis.js';

const MINUTE = 60_000;
const T0 = 1_800_000_000_000;

const { kinds, redis } = memoryAndRedis<ThrottlePolicy, LoginThrottle>(
  'l',
  (policy = {}) => new MemoryLoginThrottle(policy),
  ({ client, prefix }, policy = {}) => new RedisLoginThrottle({ client, prefix, ...policy }),
);

async function fail(throttle: LoginThrottle, times: number, username: string, ip: string, at: number) {
  for (let i = 0; i < times; i++) await throttle.recordFailure(username, ip, at);
}

describe.each(kinds)('LoginThrottle (%s)', (_kind, make) => {
  it('allows 4 failures and locks the username for 15 minutes at the 5th', async () => {
    const throttle = make();
    await fail(throttle, 4, 'alice', '10.0.0.1', T0);
    expect(await throttle.check('alice', '10.0.0.1', T0)).toEqual({ allowed: true });
    await throttle.recordFailure('alice', '10.0.0.1', T0 + MINUTE);
    expect(await throttle.check('alice', '10.0.0.2', T0 + MINUTE)).toEqual({ allowed: false, retryAfterMs: 15 * MINUTE });
    expect(await throttle.check('alice', '10.0.0.2', T0 + 11 * MINUTE)).toEqual({ allowed: false, retryAfterMs: 5 * MINUTE });
    expect(await throttle.check('alice', '10.0.0.2', T0 + 16 * MINUTE)).toEqual({ allowed: true });
    expect(await throttle.check('bob', '10.0.0.1', T0 + MINUTE)).toEqual({ allowed: true });
  });

  it('locks a username however its case and spaces are typed', async () => {
    const throttle = make();
    await fail(throttle, 5, ' Alice', '10.0.0.1', T0);
    expect((await throttle.check('alice', '10.0.0.9', T0)).allowed).toBe(false);
  });

  it('forgets failures older than the 15-minute window', async () => {
    const throttle = make();
    await fail(throttle, 4, 'alice', '10.0.0.1', T0);
    await throttle.recordFailure('alice', '10.0.0.1', T0 + 15 * MINUTE);
    expect(await throttle.check('alice', '10.0.0.1', T0 + 15 * MINUTE)).toEqual({ allowed: true });
  });

  it('locks an address that fails across many usernames', async () => {
    const throttle = make({ maxFailuresPerIp: 20 });
    for (let i = 0; i < 19; i++) await throttle.recordFailure(`user${i}`, '192.0.2.7', T0);
    expect((await throttle.check('someone', '192.0.2.7', T0)).allowed).toBe(true);
    await throttle.recordFailure('user19', '192.0.2.7', T0);
    expect(await throttle.check('someone', '192.0.2.7', T0 + MINUTE)).toEqual({ allowed: false, retryAfterMs: 14 * MINUTE });
    expect((await throttle.check('someone', '192.0.2.8', T0 + MINUTE)).allowed).toBe(true);
  });

  it('clears the username\'s failures on a successful sign-in', async () => {
    const throttle = make();
    await fail(throttle, 4, 'alice', '10.0.0.1', T0);
    await throttle.recordSuccess('alice', T0);
    await fail(throttle, 4, 'alice', '10.0.0.1', T0);
    expect((await throttle.check('alice', '10.0.0.1', T0)).allowed).toBe(true);
    await throttle.recordFailure('alice', '10.0.0.1', T0);
    expect((await throttle.check('alice', '10.0.0.1', T0)).allowed).toBe(false);
  });
});

describe('RedisLoginThrottle', () => {
  it('shares counts between instances and keeps no username in its keys', async () => {
    const a = new RedisLoginThrottle({ client: redis.client, prefix: 'shared' });
    const b = new RedisLoginThrottle({ client: redis.client, prefix: 'shared' });
    await fail(a, 3, 'alice', '10.0.0.1', T0);
    await fail(b, 2, 'alice', '10.0.0.1', T0);
    expect((await a.check('alice', '10.0.0.1', T0)).allowed).toBe(false);
    const keys = await redis.client.keys('shared:*');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toMatch(/alice|10\.0\.0\.1/);
    for (const key of keys) expect(await redis.client.pTTL(key)).toBeGreaterThan(0);
  });
});
