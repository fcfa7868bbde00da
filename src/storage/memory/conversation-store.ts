import type { ConversationStore, StoredConversation } from '../../core/store.js';

/** Options for {@link MemoryConversationStore}. */
export interface MemoryStoreOptions {
  /** Records expire this long after their last write. */
  readonly ttlMs?: number;
  /** Current time; injectable so tests can move it. */
  readonly now?: () => number;
}

const THIRTY_DAYS = 30 * 24 * 60 * 60 * 1000;

/**
 * The embedded default store: conversations in this process's memory, gone on
 * restart. Right for trying the bot and for one-off tests; a force running it
 * for real sets `REDIS_URL`. Expired records are dropped when read and swept
 * in passing as new ones are written, so memory does not grow without bound.
 */
export class MemoryConversationStore implements ConversationStore {
  readonly #records = new Map<string, { value: StoredConversation; expiresAt: number }>();
  readonly #ttlMs: number;
  readonly #now: () => number;
  #writesSinceSweep = 0;

  constructor({ ttlMs = THIRTY_DAYS, now = Date.now }: MemoryStoreOptions = {}) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  async read(key: string): Promise<StoredConversation | undefined> {
    const record = this.#records.get(key);
    if (!record) return undefined;
    if (record.expiresAt <= this.#now()) {
      this.#records.delete(key);
      return undefined;
    }
    return record.value;
  }

  async write(key: string, value: StoredConversation): Promise<void> {
    // Re-insert so Map order stays oldest-write-first, which keeps sweeping cheap.
    this.#records.delete(key);
    this.#records.set(key, { value, expiresAt: this.#now() + this.#ttlMs });
    if (++this.#writesSinceSweep >= 1000) this.#sweep();
  }

  async delete(key: string): Promise<void> {
    this.#records.delete(key);
  }

  /** How many unexpired conversations are held (for tests and metrics). */
  get size(): number {
    this.#sweep();
    return this.#records.size;
  }

  #sweep(): void {
    this.#writesSinceSweep = 0;
    const now = this.#now();
    for (const [key, record] of this.#records) {
      if (record.expiresAt > now) break;
      this.#records.delete(key);
    }
  }
}
