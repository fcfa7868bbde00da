import type { ChatClearer, ConversationKey, DeletionOutcome, KeptMessage } from '../../core/index.js';
import type { LineWriter } from './sender.js';

/**
 * "Clear this chat" in the terminal, simulated: every message (the person's
 * typed lines and the bot's messages) gets a number as a platform would give
 * it an id, and clearing prints which numbers it would delete instead of
 * deleting anything. It behaves like Telegram, which lets the bot delete both
 * sides of a private chat.
 */
export class SimulatedClearing implements ChatClearer {
  #next = 1;

  /** `report` writes what clearing would delete (stdout in the terminal, stderr with `--jsonl`, whose stdout holds only replies). */
  constructor(private readonly report: (key: ConversationKey, wouldDelete: { person: string[]; bot: string[] }) => void) {}

  /** The id the next message gets. */
  nextId(): string {
    return String(this.#next++);
  }

  async support() {
    return { kind: 'all' } as const;
  }

  async delete(key: ConversationKey, messages: readonly KeptMessage[]): Promise<DeletionOutcome> {
    const ids = (from: KeptMessage['from']) => messages.filter((m) => m.from === from).map((m) => m.id);
    this.report(key, { person: ids('person'), bot: ids('bot') });
    return { deleted: messages.map((m) => m.id), failed: [] };
  }
}

/** The terminal's line saying what clearing would delete. */
export function wouldDeleteLine({ person, bot }: { person: string[]; bot: string[] }, write: LineWriter): void {
  const list = (ids: string[]) => (ids.length === 0 ? 'none' : ids.join(', '));
  write(`\n(clear this chat, simulated: would delete your messages ${list(person)} and the bot's messages ${list(bot)})`);
}
