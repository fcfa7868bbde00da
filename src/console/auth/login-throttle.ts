import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '../../storage/redis/redis-connection.js';
import { RedisKeys } from '../../storage/redis/redis-keys.js';
import { addressGroup } from './address-group.js';

/** Whose failures slowed an attempt down: the username from this address, the address, or the username everywhere. */
export type ThrottledBy = 'pair' | 'address' | 'username';

/** An attempt the throttle let through, already counted as a failure until it is settled. */
export interface LoginAttempt {
  readonly username: string;
  readonly address: string;
  /** This attempt's entry in the counts, so settling it takes back exactly this one. */
  readonly id: string;
}

/** Whether a sign-in attempt may have its password checked now, and if not, for how long to wait. */
export type ThrottleDecision =
  | { readonly allowed: true; readonly attempt: LoginAttempt }
  | {
      readonly allowed: false;
      readonly retryAfterMs: number;
      readonly by: ThrottledBy;
      /**
       * True for the first refusal under this slow-down, false for repeats of
       * it: the decision is recorded once, so hammering the form cannot flood
       * the audit log.
       */
      readonly first: boolean;
    };

/**
 * Protection of the console sign-in against guessing that cannot be turned
 * into a lock-out. Failures are counted per (username, address) pair and per
 * address within a window; past a threshold, attempts are slowed down with a
 * delay that doubles per further failure (capped), never refused for good. A
 * username is never locked as such: an address with no failures for it always
 * has its attempt checked, so the right password gets through from a clean
 * address while the username is being attacked elsewhere. Against guessing
 * spread over many addresses, once a username has many failures everywhere,
 * every address that has failed for it is slowed from its first failure.
 *
 * `reserve` checks and counts the attempt as a failure in one atomic step,
 * before the password is checked, so concurrent attempts cannot all slip past
 * the check. The caller then settles it: `succeeded` (the pair's failures are
 * cleared and this attempt no longer counts against the address or username)
 * or `cancel` (no password was checked). A wrong password needs nothing more.
 * Unknown usernames are counted like known ones, so a slow-down reveals
 * nothing about which accounts exist.
 */
export interface LoginThrottle {
  reserve(username: string, address: string, now: number): Promise<ThrottleDecision>;
  succeeded(attempt: LoginAttempt): Promise<void>;
  cancel(attempt: LoginAttempt): Promise<void>;
}

/** The limits; every field has a default. */
export interface ThrottlePolicy {
  /** Failures of one username from one address within the window before slowing down (default 5). */
  readonly maxFailuresPerPair?: number;
  /**
   * Failures from one address, any usernames, before slowing that address
   * down (default 20: a control room's handlers usually share one outgoing
   * address, and one mistyping handler must not slow the rest down).
   */
  readonly maxFailuresPerAddress?: number;
  /** Failures of one username from all addresses after which each address that has failed for it is slowed from its first failure (default 20). */
  readonly maxFailuresPerUsername?: number;
  /** Failures older than this are forgotten (default 15 minutes); no delay outlasts it. */
  readonly windowMs?: number;
  /** The first delay past a threshold (default 5 seconds); it doubles with each further failure. */
  readonly firstDelayMs?: number;
  /** The longest delay (default 15 minutes). */
  readonly maxDelayMs?: number;
}

type Limits = Required<ThrottlePolicy>;

function limits({
  maxFailuresPerPair = 5,
  maxFailuresPerAddress = 20,
  maxFailuresPerUsername = 20,
  windowMs = 15 * 60_000,
  firstDelayMs = 5_000,
  maxDelayMs = 15 * 60_000,
}: ThrottlePolicy): Limits {
  return { maxFailuresPerPair, maxFailuresPerAddress, maxFailuresPerUsername, windowMs, firstDelayMs, maxDelayMs };
}

/** The wait after `count` recent failures against a threshold of `max`: none below it, then doubling from the first delay, capped. */
export function delayAfter(count: number, max: number, { firstDelayMs, maxDelayMs }: Pick<Limits, 'firstDelayMs' | 'maxDelayMs'>): number {
  return count < max ? 0 : Math.min(firstDelayMs * 2 ** (count - max), maxDelayMs);
}

/** The keys counted for one attempt. Hashed: what an attacker types is never a key or a map entry as such. */
interface Subjects {
  readonly pair: string;
  readonly address: string;
  readonly username: string;
}

function subjects(username: string, address: string): Subjects {
  const hash = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 32);
  const user = username.trim().toLowerCase();
  const group = addressGroup(address);
  return { pair: `pair:${hash(`${user}\n${group}`)}`, address: `address:${hash(group)}`, username: `user:${hash(user)}` };
}

function newAttempt(username: string, address: string): LoginAttempt {
  return { username, address, id: randomBytes(9).toString('base64url') };
}

/** Recent failures of one subject: how many, and the latest (epoch ms). */
interface Recent {
  readonly count: number;
  readonly last: number;
}

/** A refusal: until when, because of which subject. */
interface Refusal {
  readonly until: number;
  readonly by: ThrottledBy;
  readonly subject: 'pair' | 'address';
}

/** The rule both stores apply (the Redis script mirrors it): the later of the pair's and the address's waits, if any. */
function refusal(pair: Recent, address: Recent, username: Recent, policy: Limits, now: number): Refusal | undefined {
  const brake = username.count >= policy.maxFailuresPerUsername && pair.count > 0;
  const pairDelay = delayAfter(pair.count, brake ? 1 : policy.maxFailuresPerPair, policy);
  const addressDelay = delayAfter(address.count, policy.maxFailuresPerAddress, policy);
  const pairUntil = pairDelay > 0 ? pair.last + pairDelay : 0;
  const addressUntil = addressDelay > 0 ? address.last + addressDelay : 0;
  if (pairUntil <= now && addressUntil <= now) return undefined;
  return pairUntil >= addressUntil
    ? { until: pairUntil, by: brake ? 'username' : 'pair', subject: 'pair' }
    : { until: addressUntil, by: 'address', subject: 'address' };
}

/** The throttle in this process's memory, for a single server without Redis. Every check-and-reserve runs without yielding, so it is atomic. */
export class MemoryLoginThrottle implements LoginThrottle {
  readonly #limits: Limits;
  /** subject → attempt id → when. */
  readonly #attempts = new Map<string, Map<string, number>>();
  /** subject → the end of the slow-down whose first refusal was reported. */
  readonly #noted = new Map<string, number>();
  #prunedAt = Number.NEGATIVE_INFINITY;

  constructor(policy: ThrottlePolicy = {}) {
    this.#limits = limits(policy);
  }

  async reserve(username: string, address: string, now: number): Promise<ThrottleDecision> {
    this.#prune(now);
    const s = subjects(username, address);
    const refused = refusal(this.#recent(s.pair, now), this.#recent(s.address, now), this.#recent(s.username, now), this.#limits, now);
    if (refused) {
      const key = s[refused.subject];
      const first = this.#noted.get(key) !== refused.until;
      this.#noted.set(key, refused.until);
      return { allowed: false, retryAfterMs: refused.until - now, by: refused.by, first };
    }
    const attempt = newAttempt(username, address);
    for (const subject of [s.pair, s.address, s.username]) {
      const entries = this.#attempts.get(subject) ?? new Map<string, number>();
      entries.set(attempt.id, now);
      this.#attempts.set(subject, entries);
    }
    return { allowed: true, attempt };
  }

  async succeeded(attempt: LoginAttempt): Promise<void> {
    const s = subjects(attempt.username, attempt.address);
    this.#attempts.delete(s.pair);
    this.#take(s.address, attempt.id);
    this.#take(s.username, attempt.id);
  }

  async cancel(attempt: LoginAttempt): Promise<void> {
    const s = subjects(attempt.username, attempt.address);
    for (const subject of [s.pair, s.address, s.username]) this.#take(subject, attempt.id);
  }

  #take(subject: string, id: string): void {
    const entries = this.#attempts.get(subject);
    entries?.delete(id);
    if (entries?.size === 0) this.#attempts.delete(subject);
  }

  #recent(subject: string, now: number): Recent {
    const entries = this.#attempts.get(subject);
    let last = 0;
    for (const [id, at] of entries ?? []) {
      if (at <= now - this.#limits.windowMs) entries?.delete(id);
      else last = Math.max(last, at);
    }
    return { count: entries?.size ?? 0, last };
  }

  /** Drops what no longer matters (at most once a minute), so a flood of made-up usernames cannot grow memory for ever. */
  #prune(now: number): void {
    if (now - this.#prunedAt < 60_000) return;
    this.#prunedAt = now;
    for (const subject of [...this.#attempts.keys()]) if (this.#recent(subject, now).count === 0) this.#attempts.delete(subject);
    for (const [subject, until] of this.#noted) if (until <= now) this.#noted.delete(subject);
  }
}

/** Options of {@link RedisLoginThrottle}. */
export interface RedisLoginThrottleOptions extends ThrottlePolicy {
  readonly client: RedisClient;
  /** Where its keys are (`REDIS_PREFIX`, default `ssb`). */
  readonly keys?: RedisKeys;
}

/**
 * {@link refusal} and the reservation in one script, so concurrent attempts
 * on every instance are counted exactly. KEYS: the pair's, address's and
 * username's attempt sets, then the pair's and address's "noted" keys. ARGV:
 * now, window, the three thresholds, first delay, longest delay, attempt id.
 * Returns {allowed, wait ms, by, first}.
 */
const RESERVE = `local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local firstDelay = tonumber(ARGV[6])
local maxDelay = tonumber(ARGV[7])
local function recent(key)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count == 0 then return 0, 0 end
  return count, tonumber(redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')[2])
end
local function wait(count, last, max)
  if count < max then return 0 end
  return last + math.min(firstDelay * 2 ^ (count - max), maxDelay)
end
local pairCount, pairLast = recent(KEYS[1])
local addressCount, addressLast = recent(KEYS[2])
local usernameCount = recent(KEYS[3])
local brake = usernameCount >= tonumber(ARGV[5]) and pairCount > 0
local pairUntil = wait(pairCount, pairLast, brake and 1 or tonumber(ARGV[3]))
local addressUntil = wait(addressCount, addressLast, tonumber(ARGV[4]))
if pairUntil > now or addressUntil > now then
  local untilAt, noted, by = pairUntil, KEYS[4], brake and 'username' or 'pair'
  if addressUntil > pairUntil then untilAt, noted, by = addressUntil, KEYS[5], 'address' end
  local mark = string.format('%d', untilAt)
  local first = 0
  if redis.call('GET', noted) ~= mark then
    redis.call('SET', noted, mark, 'PX', math.max(1, untilAt - now))
    first = 1
  end
  return {0, untilAt - now, by, first}
end
for i = 1, 3 do
  redis.call('ZADD', KEYS[i], now, ARGV[8])
  redis.call('PEXPIRE', KEYS[i], window)
end
return {1, 0, '', 0}`;

/**
 * The throttle in Redis, shared by every instance so that an attacker cannot
 * multiply their attempts by the number of instances. Keys, all expiring by
 * themselves: {@link RedisKeys.loginAttempts} (a sorted set of attempt ids by
 * time) and {@link RedisKeys.loginNoted}.
 */
export class RedisLoginThrottle implements LoginThrottle {
  readonly #client: RedisClient;
  readonly #keys: RedisKeys;
  readonly #limits: Limits;

  constructor({ client, keys = new RedisKeys(), ...policy }: RedisLoginThrottleOptions) {
    this.#client = client;
    this.#keys = keys;
    this.#limits = limits(policy);
  }

  async reserve(username: string, address: string, now: number): Promise<ThrottleDecision> {
    const s = subjects(username, address);
    const attempt = newAttempt(username, address);
    const l = this.#limits;
    const [allowed, wait, by, first] = (await this.#client.eval(RESERVE, {
      keys: [this.#attempts(s.pair), this.#attempts(s.address), this.#attempts(s.username), this.#noted(s.pair), this.#noted(s.address)],
      arguments: [now, l.windowMs, l.maxFailuresPerPair, l.maxFailuresPerAddress, l.maxFailuresPerUsername, l.firstDelayMs, l.maxDelayMs].map((n) =>
        String(Math.floor(n)),
      ).concat(attempt.id),
    })) as [number, number, ThrottledBy, number];
    return allowed === 1 ? { allowed: true, attempt } : { allowed: false, retryAfterMs: Number(wait), by, first: first === 1 };
  }

  async succeeded(attempt: LoginAttempt): Promise<void> {
    const s = subjects(attempt.username, attempt.address);
    await this.#client
      .multi()
      .del(this.#attempts(s.pair))
      .zRem(this.#attempts(s.address), attempt.id)
      .zRem(this.#attempts(s.username), attempt.id)
      .exec();
  }

  async cancel(attempt: LoginAttempt): Promise<void> {
    const s = subjects(attempt.username, attempt.address);
    const multi = this.#client.multi();
    for (const subject of [s.pair, s.address, s.username]) multi.zRem(this.#attempts(subject), attempt.id);
    await multi.exec();
  }

  #attempts(subject: string): string {
    return this.#keys.loginAttempts(subject);
  }

  #noted(subject: string): string {
    return this.#keys.loginNoted(subject);
  }
}
