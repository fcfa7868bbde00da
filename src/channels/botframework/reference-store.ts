import type { ConversationReference } from 'botbuilder';
import type { KeyValueStore } from '../../core/index.js';

/**
 * A choice as it was last offered in one conversation: the id the engine
 * knows and the label the person saw (as sent, possibly shortened). Kept so a
 * pressed quick reply that comes back as plain text (imBack, Teams, Messenger)
 * can be mapped back to the choice id.
 */
export interface OfferedChoice {
  readonly id: string;
  /** The label the engine gave. */
  readonly label: string;
  /** The label as sent (shortened for Messenger's 20-character limit). */
  readonly sentLabel: string;
}

/**
 * What this channel keeps per conversation between requests: everything the
 * sender needs to write to the person later, from any process (proactive
 * sends), plus the little state the inbound side needs. Plain JSON, so a Redis
 * implementation can store it as a string.
 */
export interface BotFrameworkConversationRecord {
  /** From `TurnContext.getConversationReference`, with the person's display name removed. */
  readonly reference: Partial<ConversationReference>;
  /** The choices of the last message that offered any. */
  readonly offeredChoices?: readonly OfferedChoice[];
  /** A `start` event was already dispatched for this conversation. */
  readonly started?: boolean;
  /** The "please message us privately" notice was already sent to this group conversation. */
  readonly groupNoticeSent?: boolean;
}

/**
 * Where conversation references live: the core's key-value store, so the
 * in-memory default and the Redis records (`src/storage/redis/side-records.ts`)
 * are interchangeable. Keys are `conversationKeyToString(key)`.
 */
export type ConversationReferenceStore = KeyValueStore<BotFrameworkConversationRecord>;

/**
 * The in-memory reference store: for development, tests and a single
 * process. Records are stored as JSON text, exactly as Redis would hold them,
 * so anything that is not JSON-safe fails here first rather than in production.
 */
export function createMemoryReferenceStore(): ConversationReferenceStore {
  const records = new Map<string, string>();
  return {
    async read(key) {
      const text = records.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as BotFrameworkConversationRecord);
    },
    async write(key, record) {
      records.set(key, JSON.stringify(record));
    },
    async delete(key) {
      records.delete(key);
    },
  };
}
