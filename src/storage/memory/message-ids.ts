import { type KeptMessage, MESSAGE_ID_TTL_MS, type MessageIdStore } from '../../core/chat-clearing.js';

/**
 * Message ids in this process's memory, for a single server without Redis.
 * An id is dropped once it is older than {@link MESSAGE_ID_TTL_MS}, when its
 * conversation is next touched, and a conversation with none left is forgotten.
 */
export class MemoryMessageIds implements MessageIdStore {
  readonly #byConversation = new Map<string, KeptMessage[]>();

  constructor(private readonly ttlMs = MESSAGE_ID_TTL_MS) {}

  async add(key: string, messages: readonly KeptMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const newest = Math.max(...messages.map((m) => m.at));
    const kept = this.#fresh(key, newest).filter((m) => !messages.some((n) => n.id === m.id && n.from === m.from));
    this.#byConversation.set(key, [...kept, ...messages].sort((a, b) => a.at - b.at));
  }

  async list(key: string, now: number): Promise<KeptMessage[]> {
    return [...this.#fresh(key, now)];
  }

  async remove(key: string, ids: readonly string[]): Promise<void> {
    const left = (this.#byConversation.get(key) ?? []).filter((m) => !ids.includes(m.id));
    if (left.length === 0) this.#byConversation.delete(key);
    else this.#byConversation.set(key, left);
  }

  async erase(key: string): Promise<void> {
    this.#byConversation.delete(key);
  }

  /** The conversation's ids younger than the time to live at `now`; the rest are dropped. */
  #fresh(key: string, now: number): KeptMessage[] {
    const fresh = (this.#byConversation.get(key) ?? []).filter((m) => m.at > now - this.ttlMs);
    if (fresh.length === 0) this.#byConversation.delete(key);
    else this.#byConversation.set(key, fresh);
    return fresh;
  }
}
