import type { Facts, HandoffReason, RiskLevel } from '../../flows/safeguarding.js';
import type { Step } from '../../flows/support-context.js';
import type { ConversationKey } from '../core/conversation-key.js';

export type { HandoffReason };

/** The flags a call handler sees first on a ticket. */
export interface HandoffFlags {
  readonly crisis: boolean;
  readonly danger: boolean;
  readonly under18: boolean;
  /** true: they paid; false: they said they had not; undefined: not known. */
  readonly paid?: boolean;
}

/** What the flow knows about the person, for the queue item (never their words). */
export interface HandoffFacts {
  readonly reason: HandoffReason;
  readonly locale: string;
  readonly flags: Omit<HandoffFlags, 'paid'>;
  /** Everything they told about their situation. */
  readonly facts: Facts;
  /** The highest risk to their own life disclosed. */
  readonly risk?: RiskLevel;
  /** Steps they have seen, in order. */
  readonly stepsSeen: readonly Step[];
  /** When the risk to their life rose to `risk` (ms). */
  readonly riskAt?: number;
  /** When they said someone puts them in danger (ms). */
  readonly dangerAt?: number;
}

/** One turn's exchange while a handoff is open, for the call handler's transcript. */
export interface TurnRecord {
  /** What the person typed this turn (undefined for a button, media or a handler's action). */
  readonly personText?: string;
  /** The person pressed a button: its id and the label they saw. */
  readonly personChoice?: { readonly id: string; readonly label: string };
  /** The person sent media (its kind only). */
  readonly personAttachment?: string;
  /** What the bot said this turn, as rendered. */
  readonly botTexts: readonly string[];
  /** The person's message this turn disclosed thoughts of suicide or self-harm, or danger: the call handler sees it pinned. */
  readonly flag?: RaisedFlag;
}

/** What a message raised: a crisis (suicide or self-harm) or danger from someone. */
export type RaisedFlag = 'crisis' | 'danger';

/** Whether a call handler can come: queued; or not, because the desk is closed or nobody is free. */
export type HandoffStatus = 'queued' | 'closed' | 'busy';

/**
 * What the engine needs from the handoff side, so that queueing happens inside
 * the turn and the flow can tell the person at once whether a call handler
 * will come. Implemented in src/handoff; absent in the terminal chat, where the
 * person is told plainly how else to reach the force.
 */
export interface HandoffPort {
  /** Queues the conversation (or updates its ticket); says whether a handler can come now. */
  request(key: ConversationKey, facts: HandoffFacts, now: number): Promise<HandoffStatus>;
  /** The person left the queue, or the call handler's chat. */
  leave(key: ConversationKey, now: number): Promise<void>;
  /**
   * Brings an open ticket's answers up to date with what the person has told
   * since it was queued (never creates a ticket, never changes why it was queued).
   */
  update(key: ConversationKey, facts: HandoffFacts, now: number): Promise<void>;
  /** Records a turn in the transcript while a handoff is open, and tells the live console. */
  record(key: ConversationKey, turn: TurnRecord, now: number): Promise<void>;
  /** "Delete my data": removes the ticket and the transcript. */
  erase(key: ConversationKey): Promise<void>;
}

/** Runs the flow's scheduled checks: SILENCE is delivered at `dueAt` (the flow ignores it if the person has moved on). */
export interface CheckScheduler {
  schedule(key: ConversationKey, check: 'safety', dueAt: number): Promise<void>;
  /** "Delete my data": forgets the conversation's pending checks. */
  erase(conversationKey: string): Promise<void>;
}
