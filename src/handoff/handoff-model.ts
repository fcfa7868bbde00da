import type { Facts, HandoffReason, RiskLevel } from '../../flows/safeguarding.js';
import type { ChannelId } from '../core/conversation-key.js';

/**
 * The handoff model: a person waiting for (or talking to) a call handler. The
 * console only ever sees a ticket's opaque `id`, never the conversation key,
 * the platform id or the person's name.
 */

/** Why a conversation was queued (defined with the other safeguarding constants in the flow). */
export type { HandoffReason };

/** Lower is more urgent: danger and crisis first, then under-18s, then everyone else. */
export const PRIORITY = { urgent: 0, child: 1, normal: 2 } as const;
export type Priority = (typeof PRIORITY)[keyof typeof PRIORITY];

/** Each priority's name by its number, for the console's pages, which show the name and never rely on the number's meaning. */
export const PRIORITY_NAMES = Object.fromEntries(Object.entries(PRIORITY).map(([name, value]) => [value, name])) as Readonly<Record<Priority, keyof typeof PRIORITY>>;

/** What the console shows as flags on a ticket. */
export interface HandoffFlags {
  readonly crisis: boolean;
  readonly danger: boolean;
  readonly under18: boolean;
  /** true: they paid; false: they said they had not; undefined: not known. */
  readonly paid?: boolean;
}

/** The answers the person gave the bot so far (never their words). */
export interface HandoffAnswers {
  readonly ageGroup: 'unknown' | 'under18' | 'adult';
  readonly age?: number;
  readonly paid?: boolean;
  readonly knownPerson: boolean;
  /** Flow steps the person has seen, in order (e.g. "welcome", "safety", "age"). */
  readonly stepsSeen: readonly string[];
  /** Everything they told about their situation (absent on tickets queued before facts were kept). */
  readonly facts?: Facts;
  /** The highest risk to their own life disclosed. */
  readonly risk?: RiskLevel;
  /** When the risk rose to that level (ms). */
  readonly riskAt?: number;
  /** When they said someone puts them in danger (ms). */
  readonly dangerAt?: number;
}

/** One person in the handoff queue. */
export interface HandoffTicket {
  /** Random, opaque; the console's only handle on the conversation. */
  readonly id: string;
  /** Internal routing key ("telegram:123"); never sent to a browser or logged. */
  readonly conversationKey: string;
  readonly channel: ChannelId;
  readonly reason: HandoffReason;
  readonly priority: Priority;
  readonly flags: HandoffFlags;
  readonly answers: HandoffAnswers;
  /** The person's language, for saved replies. */
  readonly locale: string;
  readonly queuedAt: number;
  readonly status: 'queued' | 'claimed';
  readonly claimedBy?: string;
  readonly claimedAt?: number;
  /** When the holder last claimed or replied (claimed tickets only): a claim idle too long lapses. */
  readonly lastActivityAt?: number;
  /**
   * When it last went back to the queue (transfer, release; queued tickets
   * only). Its place still comes from `queuedAt`; the queue time-out counts
   * from here, so someone handed back is not timed out for the time they spent
   * with a handler.
   */
  readonly requeuedAt?: number;
}

/** The fields that belong to a claim or a return to the queue, not to the person's request. */
export type ClaimFields = 'status' | 'claimedBy' | 'claimedAt' | 'lastActivityAt' | 'requeuedAt';

/** What is needed to queue a conversation. */
export type NewTicket = Omit<HandoffTicket, 'id' | 'queuedAt' | 'priority' | ClaimFields>;

/** Priority from flags: danger or crisis first, then under-18s, then the rest. */
export function priorityOf(flags: HandoffFlags): Priority {
  if (flags.crisis || flags.danger) return PRIORITY.urgent;
  if (flags.under18) return PRIORITY.child;
  return PRIORITY.normal;
}

/**
 * The queue, shared between instances (Redis) or in memory. Every method is
 * atomic where it matters: two handlers claiming one ticket get one success.
 */
export interface HandoffQueue {
  /**
   * Queues a conversation. If it is already queued or claimed, returns that
   * ticket with its flags merged (a flag once set stays set) and priority
   * raised if the new flags make it more urgent; never lowered, never re-aged.
   */
  enqueue(ticket: NewTicket, now: number): Promise<HandoffTicket>;
  /** As {@link enqueue} for a conversation that already has a ticket; undefined (and nothing queued) when it has none. */
  refresh(ticket: NewTicket): Promise<HandoffTicket | undefined>;
  get(id: string): Promise<HandoffTicket | undefined>;
  byConversation(conversationKey: string): Promise<HandoffTicket | undefined>;
  /** Every ticket, queued and claimed: priority first (most urgent), then oldest first. */
  list(): Promise<HandoffTicket[]>;
  /** Claims a queued ticket (its last activity is now); undefined if it is already claimed or gone. */
  claim(id: string, handler: string, now: number): Promise<HandoffTicket | undefined>;
  /** Records that `handler`, who holds the ticket, acted on it now; false if they do not hold it. */
  touch(id: string, handler: string, now: number): Promise<boolean>;
  /**
   * Puts a ticket claimed by `handler` back in the queue, keeping its place
   * by age and priority. With `idleSince`, only if the holder has not acted
   * on it after that time (so a reply racing an idle lapse wins).
   */
  release(id: string, handler: string, now: number, options?: { idleSince?: number }): Promise<HandoffTicket | undefined>;
  /**
   * Hands a ticket held by `from` straight to `to` (a supervisor taking
   * over), in one step: undefined unless `from` holds it at that moment.
   */
  reassign(id: string, from: string, to: string, now: number): Promise<HandoffTicket | undefined>;
  /**
   * Removes a ticket (ended, cancelled, timed out, erased); returns what was
   * removed. With `onlyIfQueued`, only while nobody holds it (a time-out must
   * never take a conversation from the handler who just claimed it).
   */
  remove(id: string, options?: { onlyIfQueued?: boolean }): Promise<HandoffTicket | undefined>;
}

/** One line of a conversation's transcript, as the call handler reads it. */
export interface TranscriptEntry {
  readonly at: number;
  readonly from: 'person' | 'bot' | 'handler' | 'note' | 'system';
  readonly text: string;
  /** The handler's username, for handler replies and notes. */
  readonly handler?: string;
  /** The person's message disclosed a crisis or danger: pinned in the console's risk summary. */
  readonly flag?: 'crisis' | 'danger';
  /** The person pressed a button; `text` is its label as they saw it. */
  readonly pressed?: true;
}

/**
 * Transcripts, kept from the moment a handoff is requested (before that, the
 * console sees only the structured answers). They expire with the conversation
 * and are erased by "delete my data".
 */
export interface TranscriptStore {
  /**
   * Stores a line cleaned of invisible formatting characters and cut to the
   * platform's message limit, and returns the line as stored (what the
   * consoles should be shown).
   */
  append(conversationKey: string, entry: TranscriptEntry): Promise<TranscriptEntry>;
  read(conversationKey: string): Promise<TranscriptEntry[]>;
  delete(conversationKey: string): Promise<void>;
}

/**
 * Why a claim went back to the queue without its holder handing it back:
 * they signed out, their session timed out, their account was removed or
 * their password reset (both end their sessions), or they did not reply for
 * longer than the claim may stay idle.
 */
export type ReleaseReason = 'signed-out' | 'session-timed-out' | 'removed' | 'password-reset' | 'idle';

/** What an audit record says was done. */
export type AuditAction =
  | 'signed-in'
  | 'signed-out'
  /** A sign-in with a wrong password (`address` is the client's). */
  | 'sign-in-failed'
  /** A sign-in refused because the address must wait (`address` is the client's). */
  | 'sign-in-throttled'
  | 'viewed'
  | 'claimed'
  | 'replied'
  | 'noted'
  | 'transferred'
  | 'ended'
  /** The holder's claim went back to the queue (`reason` says why); `handler` is the holder. */
  | 'released'
  /** A supervisor (`handler`) took a conversation over from the handler in `about`. */
  | 'taken-over'
  /** A supervisor read the audit log (`ticketId` and `about` are the filters asked for, if any). */
  | 'audit-read'
  /** Nobody picked the person up in time: they were told and given the other routes (`handler` is {@link SYSTEM_ACTOR}). */
  | 'timed-out'
  /** A handler copied or downloaded the transcript. */
  | 'exported';

/**
 * Who the audit log names for what the service did by itself (a queue
 * time-out). Not a possible username (those are `a-z 0-9 . _ -`), so no
 * handler can be mistaken for it.
 */
export const SYSTEM_ACTOR = '(system)';

/** An audit record: who did what to which ticket, when. Never message text. */
export interface AuditEntry {
  readonly at: number;
  /** The handler; for a failed or slowed-down sign-in, the username tried if it is an account, else "(unknown)". */
  readonly handler: string;
  readonly action: AuditAction;
  readonly ticketId?: string;
  /** Why a claim was released. */
  readonly reason?: ReleaseReason;
  /** The client address of a sign-in attempt. */
  readonly address?: string;
  /** The other handler the action concerns: the previous holder of a taken-over ticket, or the handler an audit read asked about. */
  readonly about?: string;
}

/** Where a page of the audit log ended: the time of its last entry, and how many entries at exactly that time it showed. */
export interface AuditCursor {
  readonly to: number;
  readonly offset: number;
}

/** What to read from the audit log: every filter given must match. */
export interface AuditQuery {
  /** Entries by this handler, or about them (a take-over from them). */
  readonly handler?: string;
  readonly ticketId?: string;
  /** Earliest time included (epoch ms). */
  readonly from?: number;
  /** Latest time included (epoch ms). */
  readonly to?: number;
  /** Entries per page (default 50, at most 1000). */
  readonly limit?: number;
  /** Continue after this page (the `next` of the previous one). */
  readonly after?: AuditCursor;
}

/** One page of the audit log, newest first; `next` is there when older entries match too. */
export interface AuditPage {
  readonly entries: AuditEntry[];
  readonly next?: AuditCursor;
}

/**
 * The audit log, kept for the force's retention period (however many entries
 * that is): whenever an entry is written, entries older than the retention
 * period before it are removed.
 */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** The entries matching a query, newest first, a page at a time. */
  query(query: AuditQuery): Promise<AuditPage>;
  /** The newest `limit` entries (default 100). */
  list(limit?: number): Promise<AuditEntry[]>;
}

/**
 * What the live console is told about. The last two end live streams on
 * every instance: one session ended (sign-out; the session is named by its
 * hash, never its id), or every session of a handler (password reset,
 * removal).
 */
export type ConsoleEvent =
  | { readonly type: 'queue-changed' }
  | { readonly type: 'transcript'; readonly ticketId: string; readonly entry: TranscriptEntry }
  | { readonly type: 'session-ended'; readonly sessionHash: string }
  | { readonly type: 'handler-sessions-ended'; readonly username: string };

/** Fan-out of console events to every instance's connected browsers (Redis pub/sub, or in memory). */
export interface ConsoleEvents {
  publish(event: ConsoleEvent): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(listener: (event: ConsoleEvent) => void): () => void;
}

/** What a handler's action asks the person's conversation to do (delivered through the inbox, in order). */
export type HandlerPayload =
  | { readonly type: 'handler'; readonly action: 'joined' }
  | { readonly type: 'handler'; readonly action: 'message'; readonly text: string }
  | { readonly type: 'handler'; readonly action: 'transferred' }
  | { readonly type: 'handler'; readonly action: 'released' }
  | { readonly type: 'handler'; readonly action: 'ended' }
  | { readonly type: 'handler'; readonly action: 'timeout' };

/** A ticket as the browser sees it: no conversation key, no platform ids. */
export type TicketView = Omit<HandoffTicket, 'conversationKey' | 'claimedAt' | 'lastActivityAt' | 'requeuedAt'> & {
  /** How long the person has waited since joining the queue. */
  readonly waitingSeconds: number;
  /** Where the person is writing, as a handler says it (`messenger`, `teams`, `webchat`, `telegram`, `x`…; see `platformOf`). */
  readonly platform: string;
  /** A waiting person: how long until the queue time-out tells them nobody could come (0 when due). */
  readonly timesOutInSeconds?: number;
  /** The short reference a handler puts in the force's incident log (see `referenceOf`). */
  readonly reference: string;
  /** When the conversation ended (ended, timed out, or the person left), for a ticket kept for its records. */
  readonly endedAt?: number;
};

/** A ticket that has left the queue, kept for a while so its transcript can still be exported. */
export interface ClosedTicket {
  readonly ticket: HandoffTicket;
  readonly endedAt: number;
}

/**
 * Tickets that have ended, kept for the time a force allows a transcript to
 * be exported after the end (`TRANSCRIPT_EXPORT_HOURS`). They hold what the
 * queue held (no words); the words stay in the transcript store, so "delete
 * my data" still erases them.
 */
export interface ClosedTickets {
  record(closed: ClosedTicket): Promise<void>;
  /** The closed ticket, unless its time is up. */
  get(id: string, now: number): Promise<ClosedTicket | undefined>;
  /** Forgets every closed ticket of one conversation at once: "delete my data" leaves no record that routes to the person. */
  forget(conversationKey: string): Promise<void>;
}

/** A transcript as a handler exports it: the ticket, its lines from joining the queue to the end, and who exported it when. */
export interface TranscriptExport {
  readonly ticket: TicketView;
  readonly entries: readonly TranscriptEntry[];
  readonly exportedAt: number;
  readonly exportedBy: string;
}

/** The outcome of a handler's action on a ticket. */
export type DeskResult = 'ok' | 'taken' | 'not-yours' | 'gone';

/** A saved reply a handler can send, from the locale files. */
export interface SavedReply {
  readonly id: string;
  readonly label: string;
  readonly text: string;
}

/**
 * Everything the call-handler console does, behind one interface: the web
 * routes call it and know nothing of queues, inboxes or channels.
 */
export interface HandoffDesk {
  queue(now: number): Promise<TicketView[]>;
  /**
   * A ticket's transcript for the force's records, while it is open or for
   * the set time after it ended (audited as `exported`); undefined when it is
   * unknown, past that time, or the person deleted their data.
   */
  exportTranscript(ticketId: string, handler: string, now: number): Promise<TranscriptExport | undefined>;
  /** A ticket, open or ended within the export time, as the browser sees it (not audited: its page opens it through {@link open}). */
  find(ticketId: string, now: number): Promise<TicketView | undefined>;
  /** Opens a ticket, or one that ended within the export time (audited as "viewed"): its view and transcript. */
  open(ticketId: string, handler: string, now: number): Promise<{ ticket: TicketView; transcript: TranscriptEntry[] } | undefined>;
  claim(ticketId: string, handler: string, now: number): Promise<DeskResult>;
  reply(ticketId: string, handler: string, text: string, now: number): Promise<DeskResult>;
  note(ticketId: string, handler: string, text: string, now: number): Promise<DeskResult>;
  transfer(ticketId: string, handler: string, now: number): Promise<DeskResult>;
  end(ticketId: string, handler: string, now: number): Promise<DeskResult>;
  /**
   * A supervisor takes a conversation over from whoever holds it (or claims
   * it if nobody does). The routes check the role; the desk does the move.
   */
  takeOver(ticketId: string, supervisor: string, now: number): Promise<DeskResult>;
  /**
   * Puts a claim back in its place in the queue because its holder has gone
   * or stopped replying, audited with why, and tells the person and the
   * consoles. With `idleSince`, only if the holder has not acted since then.
   * False if `holder` no longer holds it (or acted since the cut-off).
   */
  release(ticketId: string, holder: string, reason: ReleaseReason, now: number, options?: { idleSince?: number }): Promise<boolean>;
  /**
   * Takes a person who waited too long out of the queue, if nobody holds
   * them: audited as `timed-out`, a line in the transcript, the person told
   * (with the other routes) and the consoles updated. Returns the ticket
   * removed, or undefined if it was claimed or gone meanwhile.
   */
  timeOut(ticketId: string, now: number): Promise<HandoffTicket | undefined>;
  /** Releases every claim `handler` holds (see {@link HandoffDesk.release}); returns how many. */
  releaseAllHeldBy(handler: string, reason: ReleaseReason, now: number): Promise<number>;
  savedReplies(locale: string): SavedReply[];
  /**
   * A page of the audit log for a supervisor (the routes check the role).
   * The read is itself audited, with the ticket and handler asked about.
   */
  readAudit(query: AuditQuery, reader: string, now: number): Promise<AuditPage>;
  readonly events: ConsoleEvents;
}
