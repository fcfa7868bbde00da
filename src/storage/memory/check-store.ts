import { type ConversationKey, conversationKeyToString } from '../../core/conversation-key.js';
import { type CheckStore, type DueCheck, checkMember, parseCheckMember } from '../../scheduling/check-store.js';

/** Scheduled checks in this process's memory, for a single server without Redis. */
export class MemoryCheckStore implements CheckStore {
  readonly #due = new Map<string, number>();

  async schedule(key: ConversationKey, check: 'safety', dueAt: number): Promise<void> {
    this.#due.set(checkMember(check, conversationKeyToString(key)), dueAt);
  }

  async take(now: number, limit = 100): Promise<DueCheck[]> {
    const taken: DueCheck[] = [];
    for (const [member, dueAt] of this.#due) {
      if (dueAt > now || taken.length >= limit) continue;
      this.#due.delete(member);
      const parsed = parseCheckMember(member);
      if (parsed) taken.push({ ...parsed, dueAt });
    }
    return taken.sort((a, b) => a.dueAt - b.dueAt);
  }

  async erase(conversationKey: string): Promise<void> {
    for (const member of this.#due.keys()) if (parseCheckMember(member)?.conversationKey === conversationKey) this.#due.delete(member);
  }
}
