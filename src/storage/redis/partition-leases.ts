import { randomUUID } from 'node:crypto';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';

/** Takes or renews a lease; returns the fencing token, or nil when someone else holds it. */
const ACQUIRE = `
local current = redis.call('GET', KEYS[1])
if current then
  local owner, token = string.match(current, '^(.-)|(%d+)$')
  if owner == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return tonumber(token)
  end
  return false
end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. token, 'PX', ARGV[2])
return token`;

/** Gives a lease back, only if it is still ours. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The partitions this instance holds, each with the fencing token it got when
 * it took the lease. Leases expire unless renewed, so a killed instance's
 * partitions pass to a live one; every write checks the token (see
 * RedisConversationStore), so an instance that lost its lease while a turn
 * was running (a long pause) can never overwrite the new holder's work.
 */
export class PartitionLeases {
  readonly instanceId: string;
  readonly #held = new Map<number, string>();

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    readonly partitions: number,
    readonly ttlMs: number = 5_000,
    instanceId: string = randomUUID(),
  ) {
    this.instanceId = instanceId;
  }

  /** The lease value (`instance|token`) if this instance holds the partition, else undefined. */
  held(partition: number): string | undefined {
    return this.#held.get(partition);
  }

  /** Partitions held now. */
  heldPartitions(): number[] {
    return [...this.#held.keys()];
  }

  /** Takes the partition if free, or renews it if ours. Returns whether we hold it afterwards. */
  async acquire(partition: number): Promise<boolean> {
    const token = await this.client.eval(ACQUIRE, {
      keys: [this.keys.lease(partition), this.keys.fence(partition)],
      arguments: [this.instanceId, String(this.ttlMs)],
    });
    if (typeof token === 'number') {
      this.#held.set(partition, `${this.instanceId}|${token}`);
      return true;
    }
    this.#held.delete(partition);
    return false;
  }

  /** Gives the partition back (on shutdown or rebalancing). */
  async release(partition: number): Promise<void> {
    const value = this.#held.get(partition);
    this.#held.delete(partition);
    if (value !== undefined) await this.client.eval(RELEASE, { keys: [this.keys.lease(partition)], arguments: [value] });
  }

  /** Forgets a partition without touching Redis (the lease was found lost). */
  forget(partition: number): void {
    this.#held.delete(partition);
  }
}
