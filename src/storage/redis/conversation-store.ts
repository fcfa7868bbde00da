import { RESP_TYPES } from 'redis';
import { StoreError } from '../../core/errors.js';
import type { ConversationStore, StoredConversation } from '../../core/store.js';
import { decodeConversation, encodeConversation } from './conversation-codec.js';
import { luaScript, runScript } from './lua-script.js';
import type { PartitionLeases } from './partition-leases.js';
import type { RedisClient } from './redis-connection.js';
import { partitionOf, type RedisKeys } from './redis-keys.js';

/** Writes (or deletes, when ARGV[2] is empty) only while the caller's lease is still the partition's lease. */
const FENCED_WRITE = luaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3]) end
return 1`);

/** The instance no longer holds the partition: another instance took over while this turn ran. */
export class LeaseLostError extends StoreError {}

/**
 * Conversation snapshots in Redis, one compressed record per conversation
 * (see `conversation-codec.ts`) with a TTL refreshed by every write. Writes are fenced: they only succeed while this
 * instance holds the lease of the conversation's partition, checked atomically
 * in Redis, so two instances can never both write one conversation.
 */
export class RedisConversationStore implements ConversationStore {
  /** The same connection, answering strings as bytes: a record is binary. */
  readonly #bytes;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly leases: PartitionLeases,
    private readonly ttlMs: number,
  ) {
    this.#bytes = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  }

  async read(key: string): Promise<StoredConversation | undefined> {
    const raw = await this.#bytes.get(this.keys.conversation(key));
    return raw === null ? undefined : decodeConversation(raw);
  }

  async write(key: string, value: StoredConversation): Promise<void> {
    await this.#fenced(key, encodeConversation(value));
  }

  async delete(key: string): Promise<void> {
    await this.#fenced(key, '');
  }

  async #fenced(key: string, value: Buffer | ''): Promise<void> {
    const partition = partitionOf(key, this.leases.partitions);
    const lease = this.leases.held(partition);
    if (lease === undefined) throw new LeaseLostError(`partition ${partition} is not held by this instance`);
    const ok = await runScript(this.client, FENCED_WRITE, {
      keys: [this.keys.lease(partition), this.keys.conversation(key)],
      arguments: [lease, value, String(this.ttlMs)],
    });
    if (ok !== 1) {
      this.leases.forget(partition);
      throw new LeaseLostError(`lease on partition ${partition} was lost before the write`);
    }
  }
}
