import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import type { TranscriptEntry, TranscriptStore } from '../../handoff/handoff-model.js';
import { cleanTranscriptEntry } from '../../handoff/transcript-entry.js';

/** Where a {@link RedisTranscriptStore} keeps transcripts, how long and how much. */
export interface RedisTranscriptStoreOptions {
  readonly client: RedisClient;
  /** One list per conversation, at {@link RedisKeys.handoffTranscript}. */
  readonly keys: RedisKeys;
  /** The conversation TTL: the list expires with the conversation, refreshed by every append. */
  readonly ttlMs: number;
  /** The newest entries kept per conversation; older ones drop off. */
  readonly maxEntries?: number;
}

/**
 * Transcripts shared by every instance: a Redis list of JSON entries per
 * conversation, appended, trimmed to the newest `maxEntries` and given the
 * conversation's TTL in one transaction, so a transcript never outlives the
 * conversation it belongs to. Each line is cleaned and capped as
 * {@link cleanTranscriptEntry} says.
 */
export class RedisTranscriptStore implements TranscriptStore {
  readonly #client: RedisClient;
  readonly #keys: RedisKeys;
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor({ client, keys, ttlMs, maxEntries = 500 }: RedisTranscriptStoreOptions) {
    this.#client = client;
    this.#keys = keys;
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  #key(conversationKey: string): string {
    return this.#keys.handoffTranscript(conversationKey);
  }

  async append(conversationKey: string, entry: TranscriptEntry): Promise<TranscriptEntry> {
    const stored = cleanTranscriptEntry(conversationKey, entry);
    const key = this.#key(conversationKey);
    await this.#client
      .multi()
      .rPush(key, JSON.stringify(stored))
      .lTrim(key, -this.#maxEntries, -1)
      .pExpire(key, this.#ttlMs)
      .exec();
    return stored;
  }

  async read(conversationKey: string): Promise<TranscriptEntry[]> {
    const raw = await this.#client.lRange(this.#key(conversationKey), 0, -1);
    return raw.map((line) => JSON.parse(line) as TranscriptEntry);
  }

  async delete(conversationKey: string): Promise<void> {
    await this.#client.del(this.#key(conversationKey));
  }
}
