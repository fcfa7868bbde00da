import { BoundedSet } from '../../core/bounded-set.js';

/**
 * Which Telegram chats the bot may no longer write to, because the person
 * blocked the bot or removed it from the chat. Asynchronous so that a shared
 * store (Redis) can stand in for the in-memory one when several instances run.
 */
export interface BlockedChats {
  block(chatId: string): Promise<void>;
  /** Removes the mark; resolves to whether the chat was marked (one round trip, so callers need no `isBlocked` first). */
  unblock(chatId: string): Promise<boolean>;
  isBlocked(chatId: string): Promise<boolean>;
}

/** Options for {@link MemoryBlockedChats}. */
export interface MemoryBlockedChatsOptions {
  /** Upper bound on remembered chats; the oldest marks are forgotten first, so memory stays bounded. */
  readonly maxEntries?: number;
}

/**
 * The single-process {@link BlockedChats}: enough for one instance and for
 * tests. Forgetting the oldest mark only costs one refused send, which marks
 * the chat again.
 */
export class MemoryBlockedChats implements BlockedChats {
  readonly #blocked: BoundedSet<string>;

  constructor({ maxEntries = 100_000 }: MemoryBlockedChatsOptions = {}) {
    this.#blocked = new BoundedSet(maxEntries);
  }

  async block(chatId: string): Promise<void> {
    this.#blocked.add(chatId);
  }

  async unblock(chatId: string): Promise<boolean> {
    return this.#blocked.delete(chatId);
  }

  async isBlocked(chatId: string): Promise<boolean> {
    return this.#blocked.has(chatId);
  }
}
