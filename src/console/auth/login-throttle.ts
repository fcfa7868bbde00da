import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '../../storage/redis/redis-connection.js';

/** Whether a sign-in attempt may go ahead, and if not for how long to wait. */
export type ThrottleDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

/**
 * Brute-force protection for the console sign-in, counted per username and
 * per client address: too many failures in a window lock that username (or
 * address) for a while. Locked attempts are refused before any password is
 * checked. Unknown usernames are counted like known ones, so a lock reveals
 * nothing about which accounts exist.
 */
export interface LoginThrottle {
  check(username: string, ip: string, now: number): Promise<ThrottleDecision>;
  recordFailure(username: string, ip: string, now: number): Promise<void>;
  /** A successful sign-in clears the username's failures (not the address's). */
  recordSuccess(username: string, now: number): Promise<void>;
}

/** The limits; every field has a default. */
export interface ThrottlePolicy {
  /** Failures for one username within `windowMs` that lock it (default 5). */
  readonly maxFailures?: number;
  /**
   * Failures from one address within `windowMs` that lock it (default 20:
   * higher than per username because a control room's handlers usually share
   * one outgoing address, and one mistyping handler must not lock the rest out).
   */
  readonly maxFailuresPerIp?: number;
  /** Default 15 minutes. */
  readonly windowMs?: number;
  /** How long a lock lasts (default 15 minutes). */
  readonly lockMs?: number;
}

interface Limits {
  readonly maxFailures: number;
  readonly maxFailuresPerIp: number;
  readonly windowMs: number;
  readonly lockMs: number;
}

function limits({ maxFailures = 5, maxFailuresPerIp = 20, windowMs = 15 * 60_000, lockMs = 15 * 60_000 }: ThrottlePolicy): Limits {
  return { maxFailures, maxFailuresPerIp, windowMs, lockMs };
}

/** Subjects are hashed: what an attacker types is never a key or a map entry as such. */
function subjects(username: string, ip: string): { user: string; ip: string } {
  const hash = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 32);
  return { user: `user:${hash(username.trim().toLowerCase())}`, ip: `ip:${hash(ip)}` };
}

/** The throttle in this process's memory, for a single server without Redis. */
export class MemoryLoginThrottle implements LoginThrottle {
  readonly #limits: Limits;
  readonly #failures = new Map<string, number[]>();
  readonly #locks = new Map<string, number>();

  constructor(policy: ThrottlePolicy = {}) {
    this.#limits = limits(policy);
  }

  async check(username: string, ip: string, now: number): Promise<ThrottleDecision> {
    this.#prune(now);
    const s = subjects(username, ip);
    const until = Math.max(this.#locks.get(s.user) ?? 0, this.#locks.get(s.ip) ?? 0);
    return until > now ? { allowed: false, retryAfterMs: until - now } : { allowed: true };
  }

  async recordFailure(username: string, ip: string, now: number): Promise<void> {
    const s = subjects(username, ip);
    this.#fail(s.user, this.#limits.maxFailures, now);
    this.#fail(s.ip, this.#limits.maxFailuresPerIp, now);
  }

  async recordSuccess(username: string): Promise<void> {
    const { user } = subjects(username, '');
    this.#failures.delete(user);
  }

  #fail(subject: string, max: number, now: number): void {
    const recent = (this.#failures.get(subject) ?? []).filter((at) => at > now - this.#limits.windowMs);
    recent.push(now);
    if (recent.length >= max) {
      this.#locks.set(subject, now + this.#limits.lockMs);
      this.#failures.delete(subject);
    } else {
      this.#failures.set(subject, recent);
    }
  }

  /** Drops what no longer matters, so a flood of made-up usernames cannot grow memory for ever. */
  #prune(now: number): void {
    for (const [subject, until] of this.#locks) if (until <= now) this.#locks.delete(subject);
    for (const [subject, times] of this.#failures) {
      if ((times.at(-1) ?? 0) <= now - this.#limits.windowMs) this.#failures.delete(subject);
    }
  }
}

/** Options of {@link RedisLoginThrottle}. */
export interface RedisLoginThrottleOptions extends ThrottlePolicy {
  readonly client: RedisClient;
  readonly prefix?: string;
}

/**
 * Records a failure in a sorted set of attempt times and, when the window
 * holds `max` of them, sets a lock key holding the lock's end time. One
 * script, so concurrent failures on several instances count exactly.
 */
const FAIL = `redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[6])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  redis.call('SET', KEYS[2], ARGV[7], 'PX', ARGV[4])
  redis.call('DEL', KEYS[1])
end
return 1`;

/**
 * The throttle in Redis, shared by every instance so that an attacker cannot
 * multiply their attempts by the number of instances. Keys:
 * `${prefix}:login-failures:<subject>` and `${prefix}:login-lock:<subject>`,
 * both expiring by themselves.
 */
export class RedisLoginThrottle implements LoginThrottle {
  readonly #client: RedisClient;
  readonly #prefix: string;
  readonly #limits: Limits;

  constructor({ client, prefix = 'ssb', ...policy }: RedisLoginThrottleOptions) {
    this.#client = client;
    this.#prefix = prefix;
    this.#limits = limits(policy);
  }

  async check(username: string, ip: string, now: number): Promise<ThrottleDecision> {
    const s = subjects(username, ip);
    const values = await this.#client.mGet([this.#lock(s.user), this.#lock(s.ip)]);
    const until = Math.max(0, ...values.map((value) => Number(value ?? 0)));
    return until > now ? { allowed: false, retryAfterMs: until - now } : { allowed: true };
  }

  async recordFailure(username: string, ip: string, now: number): Promise<void> {
    const s = subjects(username, ip);
    await this.#fail(s.user, this.#limits.maxFailures, now);
    await this.#fail(s.ip, this.#limits.maxFailuresPerIp, now);
  }

  async recordSuccess(username: string): Promise<void> {
    await this.#client.del(this.#failures(subjects(username, '').user));
  }

  async #fail(subject: string, max: number, now: number): Promise<void> {
    await this.#client.eval(FAIL, {
      keys: [this.#failures(subject), this.#lock(subject)],
      arguments: [
        String(now),
        String(this.#limits.windowMs),
        String(max),
        String(this.#limits.lockMs),
        `${now}:${randomBytes(6).toString('hex')}`,
        String(now - this.#limits.windowMs),
        String(now + this.#limits.lockMs),
      ],
    });
  }

  #failures(subject: string): string {
    return `${this.#prefix}:login-failures:${subject}`;
  }

  #lock(subject: string): string {
    return `${this.#prefix}:login-lock:${subject}`;
  }
}
