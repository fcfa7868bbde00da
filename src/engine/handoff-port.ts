import type { ConversationKey } from '../core/conversation-key.js';
import type { HandoffAnswers, HandoffFlags, HandoffReason } from '../handoff/handoff-model.js';

export type { HandoffReason };

/** What the flow knows about the person, for the queue item (never their words). */
export interface HandoffFacts extends HandoffAnswers {
  readonly reason: HandoffReason;
  readonly locale: string;
  readonly flags: Omit<HandoffFlags, 'paid'>;
}

/** One turn's exchange while a handoff is open, for the call handler's transcript. */
export interface TurnRecord {
  /** What the person typed this turn (undefined for a button, media or a handler's action). */
  readonly personText?: string;
  /** The person pressed a button (its id). */
  readonly personChoice?: string;
  /** The person sent media (its kind only). */
  readonly personAttachment?: string;
  /** What the bot said this turn, as rendered. */
  readonly botTexts: readonly string[];
}

/**
 * What the engine needs from the handoff side, so that queueing happens inside
 * the turn and the flow can tell the person at once whether a call handler
 * will come. Implemented in src/handoff; absent in the terminal chat, where the
 * person is told plainly how else to reach the force.
 */
export interface HandoffPort {
  /** Queues the conversation (or updates its ticket); says whether a handler can come now. */
  request(key: ConversationKey, facts: HandoffFacts, now: number): Promise<'queued' | 'unavailable'>;
  /** The person left the queue or the call handler's chat: the ticket goes, and the consoles are told. */
  cancel(key: ConversationKey, now: number): Promise<void>;
  /** Records a turn in the transcript while a handoff is open, and tells the live console. */
  record(key: ConversationKey, turn: TurnRecord, now: number): Promise<void>;
  /** "Delete my data": removes the ticket and the transcript. */
  erase(key: ConversationKey): Promise<void>;
}
