import type { ConversationKey } from './conversation-key.js';

/**
 * How long a platform message id is kept for "clear this chat": Telegram lets
 * a bot delete a message only within 48 hours of sending, and an id is of no
 * use to anyone after that. Only ids are kept, never what a message said.
 */
export const MESSAGE_ID_TTL_MS = 48 * 60 * 60 * 1000;

/** One platform message the bot may later delete: its id, who sent it, and when (ms). */
export interface KeptMessage {
  readonly id: string;
  readonly from: 'bot' | 'person';
  readonly at: number;
}

/**
 * The ids of a conversation's recent messages, kept so the person can clear
 * the chat from their screen. Each id expires {@link MESSAGE_ID_TTL_MS} after
 * it was sent; "delete my data" erases them all. Keys are
 * `conversationKeyToString(key)`.
 */
export interface MessageIdStore {
  /** Keeps more ids for a conversation. */
  add(key: string, messages: readonly KeptMessage[]): Promise<void>;
  /** The conversation's ids still within their 48 hours, oldest first. */
  list(key: string, now: number): Promise<KeptMessage[]>;
  /** Forgets ids that were deleted from the platform. */
  remove(key: string, ids: readonly string[]): Promise<void>;
  /** "Delete my data": forgets every id of the conversation. */
  erase(key: string): Promise<void>;
}

/**
 * What the platform of one conversation lets the bot delete: the person's
 * messages and its own (Telegram private chats), its own only (X, Teams, Web
 * Chat), or nothing at all (Messenger), with the platform's name to say so plainly.
 */
export type ClearSupport = { readonly kind: 'all' } | { readonly kind: 'bot' } | { readonly kind: 'none'; readonly platform: string };

/** What a deletion achieved: the ids that are gone and those the platform refused or could not be asked about. */
export interface DeletionOutcome {
  readonly deleted: readonly string[];
  readonly failed: readonly string[];
}

/**
 * The channel side of "clear this chat": each channel says what its platform
 * allows and deletes messages by id. `delete` never rejects: an id it could
 * not delete is reported in `failed`, so the person can be told honestly.
 */
export interface ChatClearer {
  support(key: ConversationKey): Promise<ClearSupport>;
  delete(key: ConversationKey, messages: readonly KeptMessage[]): Promise<DeletionOutcome>;
}
