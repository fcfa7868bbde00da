import type { DeliveryLog } from '../../core/store.js';

/** Options for {@link MemoryDeliveryLog}. */
export interface MemoryDeliveryLogOptions {
  /** How long a delivery id is remembered; platforms redeliver within hours. */
  readonly ttlMs?: number;
  /** Upper bound on remembered ids; the oldest are forgotten first. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/**
 * Remembers recent platform delivery ids in memory so that a webhook the
 * platform sends twice is answered once. Bounded in time and size.
 */
export class MemoryDeliveryLog implements DeliveryLog {
  readonly #seen = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor({ ttlMs = 24 * 60 * 60 * 1000, maxEntries = 200_000, now = Date.now }: MemoryDeliveryLogOptions = {}) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
    this.#now = now;
  }

  async firstSeen(deliveryId: string): Promise<boolean> {
    const now = this.#now();
    const expiresAt = this.#seen.get(deliveryId);
    if (expiresAt !== undefined && expiresAt > now) return false;
    this.#seen.delete(deliveryId);
    this.#seen.set(deliveryId, now + this.#ttlMs);
    this.#evict(now);
    return true;
  }

  async forget(deliveryId: string): Promise<void> {
    this.#seen.delete(deliveryId);
  }

  #evict(now: number): void {
    for (const [id, expiresAt] of this.#seen) {
      if (expiresAt > now && this.#seen.size <= this.#maxEntries) break;
      this.#seen.delete(id);
    }
  }
}
