import type { ConversationLock } from '../../core/store.js';

/**
 * Serialises work per conversation inside one process: each key has a promise
 * chain, and new work waits for the work queued before it, so messages from
 * one person are handled one at a time in arrival order while different people
 * run concurrently. A failure in one turn does not block the next.
 */
export class MemoryConversationLock implements ConversationLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  async runExclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    const run = previous ? previous.then(work, work) : work();
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /** Keys with work in progress or queued (for tests). */
  get activeKeys(): number {
    return this.#tails.size;
  }
}
