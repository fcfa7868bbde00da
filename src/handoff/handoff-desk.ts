import { BotError } from '../core/errors.js';
import { platformOf } from './channel-platform.js';
import { referenceOf } from './ticket-reference.js';
import { type QueueTimeouts, timeoutFor, timesOutAt } from './queue-timeout.js';
import {
  type AuditLog,
  type ClosedTickets,
  type ConsoleEvents,
  type HandlerPayload,
  type HandoffDesk,
  type HandoffQueue,
  type HandoffTicket,
  type ReleaseReason,
  type SavedReply,
  SYSTEM_ACTOR,
  type TicketView,
  type TranscriptStore,
} from './handoff-model.js';
import { type HandoffEventLog, noHandoffEventLog } from './handoff-event-log.js';

/** The longest reply or note a handler can send, in characters (code points) after trimming. */
export const MAX_REPLY_LENGTH = 2000;

/** A handler's reply or note was empty or too long; the console shows the message and nothing is sent. */
export class InvalidReplyError extends BotError {}

/** What the desk works with; every part is passed in so it runs the same on memory or Redis. */
export interface HandoffDeskOptions {
  readonly queue: HandoffQueue;
  readonly transcripts: TranscriptStore;
  readonly audit: AuditLog;
  readonly events: ConsoleEvents;
  /**
   * Hands a handler's action to the person's conversation (the app wires it
   * to the inbox, so it reaches their channel in order with their own
   * messages, even minutes later).
   */
  readonly deliver: (conversationKey: string, payload: HandlerPayload) => Promise<void>;
  /** The saved replies for a locale, from the locale files. */
  readonly savedReplies: (locale: string) => SavedReply[];
  /** Told each time a handler picks someone up, with how long they waited since they (last) joined the queue (for metrics). */
  readonly onClaimed?: (waitSeconds: number) => void;
  /** Where claims, transfers, take-overs, releases and ends are logged. */
  readonly log?: HandoffEventLog;
  /** How long people may wait, so handlers see each waiting person's time left (none shown when not given). */
  readonly queueTimeouts?: QueueTimeouts;
  /** Where ended tickets are kept for the export time; without it a transcript can be exported only while open. */
  readonly closedTickets?: ClosedTickets;
}

/** The transcript's line when a claim goes back to the queue, by why (the console is in English). */
const RELEASED_BECAUSE: Readonly<Record<ReleaseReason, (holder: string, idleMinutes: number) => string>> = {
  'signed-out': (holder) => `${holder} signed out.`,
  'session-timed-out': (holder) => `${holder}’s session ended.`,
  removed: (holder) => `${holder}’s account was removed.`,
  'password-reset': (holder) => `${holder}’s password was reset, which signed them out.`,
  idle: (holder, minutes) => `No reply from ${holder} for ${minutes} minutes.`,
};

/**
 * The call-handler console's rules in one place, so the web routes only
 * translate HTTP: one handler holds a conversation at a time, only they speak
 * to the person, notes never reach the person, every action is audited
 * (without message text), every change is announced to all consoles, and the
 * browser never sees the conversation key.
 */
export function createHandoffDesk(options: HandoffDeskOptions): HandoffDesk {
  const { queue, transcripts, audit, events, deliver, savedReplies, onClaimed, queueTimeouts, closedTickets, log = noHandoffEventLog } = options;
  const view = (ticket: HandoffTicket, now: number) => ticketView(ticket, now, queueTimeouts);

  /** Keeps an ended ticket for the export time. */
  async function closed(ticket: HandoffTicket, now: number): Promise<void> {
    await closedTickets?.record({ ticket, endedAt: now });
  }

  /** An open ticket, or one that ended within the export time, with its transcript lines from joining the queue to the end. */
  async function findWithTranscript(ticketId: string, now: number) {
    const open = await queue.get(ticketId);
    const ended = open ? undefined : await closedTickets?.get(ticketId, now);
    const ticket = open ?? ended?.ticket;
    if (!ticket) return undefined;
    const lines = await transcripts.read(ticket.conversationKey);
    // Nothing left of an ended one: the person deleted their data.
    if (ended && lines.length === 0) return undefined;
    const shown = ended ? { ...view(ticket, ended.endedAt), endedAt: ended.endedAt } : view(ticket, now);
    return { ticket: shown, lines, queuedAt: ticket.queuedAt, endedAt: ended?.endedAt };
  }
  /** The ticket if `handler` holds it, else why not. */
  async function held(ticketId: string, handler: string): Promise<HandoffTicket | 'gone' | 'not-yours'> {
    const ticket = await queue.get(ticketId);
    if (!ticket) return 'gone';
    if (ticket.status !== 'claimed' || ticket.claimedBy !== handler) return 'not-yours';
    return ticket;
  }

  /** A system line in the ticket's transcript, shown live on the consoles that have it open. */
  async function systemLine(ticket: HandoffTicket, text: string, now: number): Promise<void> {
    const entry = await transcripts.append(ticket.conversationKey, { at: now, from: 'system', text });
    await events.publish({ type: 'transcript', ticketId: ticket.id, entry });
  }

  const desk: HandoffDesk = {
    events,

    async queue(now) {
      return (await queue.list()).map((ticket) => view(ticket, now));
    },

    async find(ticketId, now) {
      const open = await queue.get(ticketId);
      if (open) return view(open, now);
      const ended = await closedTickets?.get(ticketId, now);
      return ended && { ...view(ended.ticket, ended.endedAt), endedAt: ended.endedAt };
    },

    async open(ticketId, handler, now) {
      const found = await findWithTranscript(ticketId, now);
      if (!found) return undefined;
      await audit.append({ at: now, handler, action: 'viewed', ticketId });
      return { ticket: found.ticket, transcript: found.lines };
    },

    async exportTranscript(ticketId, handler, now) {
      const found = await findWithTranscript(ticketId, now);
      if (!found) return undefined;
      const { queuedAt, endedAt } = found;
      const entries = found.lines.filter((e) => e.at >= queuedAt && (endedAt === undefined || e.at <= endedAt));
      await audit.append({ at: now, handler, action: 'exported', ticketId });
      return { ticket: found.ticket, entries, exportedAt: now, exportedBy: handler };
    },

    async claim(ticketId, handler, now) {
      const waiting = await queue.get(ticketId);
      const claimed = await queue.claim(ticketId, handler, now);
      if (!claimed) return (await queue.get(ticketId)) ? 'taken' : 'gone';
      if (waiting) onClaimed?.(Math.max(0, now - (waiting.requeuedAt ?? waiting.queuedAt)) / 1000);
      log({ type: 'claimed' }, waiting ?? claimed, now);
      await audit.append({ at: now, handler, action: 'claimed', ticketId });
      await deliver(claimed.conversationKey, { type: 'handler', action: 'joined' });
      await events.publish({ type: 'queue-changed' });
      return 'ok';
    },

    async reply(ticketId, handler, text, now) {
      const message = checkedText(text);
      const ticket = await held(ticketId, handler);
      if (typeof ticket === 'string') return ticket;
      // Recording the reply as activity also checks, in one step, that they still hold it (a take-over may just have happened).
      if (!(await queue.touch(ticketId, handler, now))) return 'not-yours';
      const entry = await transcripts.append(ticket.conversationKey, { at: now, from: 'handler', text: message, handler });
      await audit.append({ at: now, handler, action: 'replied', ticketId });
      // The person gets exactly what the transcript records.
      await deliver(ticket.conversationKey, { type: 'handler', action: 'message', text: entry.text });
      await events.publish({ type: 'transcript', ticketId, entry });
      return 'ok';
    },

    async note(ticketId, handler, text, now) {
      const message = checkedText(text);
      const ticket = await queue.get(ticketId);
      if (!ticket) return 'gone';
      const entry = await transcripts.append(ticket.conversationKey, { at: now, from: 'note', text: message, handler });
      await audit.append({ at: now, handler, action: 'noted', ticketId });
      await events.publish({ type: 'transcript', ticketId, entry });
      return 'ok';
    },

    async transfer(ticketId, handler, now) {
      const released = await queue.release(ticketId, handler, now);
      if (!released) return (await queue.get(ticketId)) ? 'not-yours' : 'gone';
      await audit.append({ at: now, handler, action: 'transferred', ticketId });
      log({ type: 'transferred' }, released, now);
      await deliver(released.conversationKey, { type: 'handler', action: 'transferred' });
      await events.publish({ type: 'queue-changed' });
      return 'ok';
    },

    async end(ticketId, handler, now) {
      const ticket = await held(ticketId, handler);
      if (typeof ticket === 'string') return ticket;
      const removed = await queue.remove(ticketId);
      if (!removed) return 'gone';
      await audit.append({ at: now, handler, action: 'ended', ticketId });
      log({ type: 'ended', by: 'handler' }, removed, now);
      await closed(removed, now);
      await deliver(removed.conversationKey, { type: 'handler', action: 'ended' });
      await events.publish({ type: 'queue-changed' });
      return 'ok';
    },

    async takeOver(ticketId, supervisor, now) {
      const ticket = await queue.get(ticketId);
      if (!ticket) return 'gone';
      if (ticket.status === 'queued' || ticket.claimedBy === undefined) return desk.claim(ticketId, supervisor, now);
      if (ticket.claimedBy === supervisor) return 'ok';
      const previous = ticket.claimedBy;
      // Only from the holder just seen: if someone else moved it meanwhile, the supervisor looks again.
      const moved = await queue.reassign(ticketId, previous, supervisor, now);
      if (!moved) return (await queue.get(ticketId)) ? 'taken' : 'gone';
      await audit.append({ at: now, handler: supervisor, action: 'taken-over', ticketId, about: previous });
      log({ type: 'taken-over' }, moved, now);
      await systemLine(moved, `${supervisor} (supervisor) took over from ${previous}.`, now);
      await events.publish({ type: 'queue-changed' });
      return 'ok';
    },

    async release(ticketId, holder, reason, now, { idleSince } = {}) {
      const released = await queue.release(ticketId, holder, now, idleSince === undefined ? {} : { idleSince });
      if (!released) return false;
      await audit.append({ at: now, handler: holder, action: 'released', ticketId, reason });
      log({ type: 'released', why: reason }, released, now);
      const idleMinutes = Math.round((now - (idleSince ?? now)) / 60_000);
      await systemLine(released, `${RELEASED_BECAUSE[reason](holder, idleMinutes)} The person is back in the queue.`, now);
      await deliver(released.conversationKey, { type: 'handler', action: 'released' });
      await events.publish({ type: 'queue-changed' });
      return true;
    },

    async timeOut(ticketId, now) {
      const removed = await queue.remove(ticketId, { onlyIfQueued: true });
      if (!removed) return undefined;
      await audit.append({ at: now, handler: SYSTEM_ACTOR, action: 'timed-out', ticketId });
      const minutes = queueTimeouts ? Math.round(timeoutFor(removed, queueTimeouts) / 60_000) : undefined;
      const waited = minutes === undefined ? 'in time' : `within ${minutes} minutes`;
      await systemLine(removed, `Nobody picked up ${waited}. The person was told, and given the other ways to get help.`, now);
      await closed(removed, now);
      await deliver(removed.conversationKey, { type: 'handler', action: 'timeout' });
      await events.publish({ type: 'queue-changed' });
      return removed;
    },

    async releaseAllHeldBy(handler, reason, now) {
      let count = 0;
      for (const ticket of await queue.list()) {
        if (ticket.status === 'claimed' && ticket.claimedBy === handler && (await desk.release(ticket.id, handler, reason, now))) count++;
      }
      return count;
    },

    savedReplies(locale) {
      return savedReplies(locale);
    },

    async readAudit(query, reader, now) {
      const page = await audit.query(query);
      // Recorded after reading, so the page shows what was there when it was asked for.
      await audit.append({
        at: now,
        handler: reader,
        action: 'audit-read',
        ...(query.ticketId !== undefined && { ticketId: query.ticketId }),
        ...(query.handler !== undefined && { about: query.handler }),
      });
      return page;
    },
  };
  return desk;
}

/**
 * A ticket as a browser may see it, built field by field (never by copying
 * the ticket) so the conversation key cannot slip through.
 */
export function ticketView(ticket: HandoffTicket, now: number, timeouts?: QueueTimeouts): TicketView {
  const due = timeouts && timesOutAt(ticket, timeouts);
  return {
    id: ticket.id,
    channel: ticket.channel,
    platform: platformOf(ticket.conversationKey),
    reason: ticket.reason,
    priority: ticket.priority,
    flags: { ...ticket.flags },
    answers: { ...ticket.answers, stepsSeen: [...ticket.answers.stepsSeen] },
    locale: ticket.locale,
    queuedAt: ticket.queuedAt,
    waitingSeconds: Math.max(0, Math.floor((now - ticket.queuedAt) / 1000)),
    status: ticket.status,
    reference: referenceOf(ticket.id),
    ...(ticket.claimedBy === undefined ? {} : { claimedBy: ticket.claimedBy }),
    ...(due !== undefined && { timesOutInSeconds: Math.max(0, Math.ceil((due - now) / 1000)) }),
  };
}

/** The trimmed text, or an {@link InvalidReplyError} if it is empty or longer than {@link MAX_REPLY_LENGTH}. */
function checkedText(text: string): string {
  const trimmed = text.trim();
  const length = [...trimmed].length;
  if (length === 0) throw new InvalidReplyError('a reply cannot be empty');
  if (length > MAX_REPLY_LENGTH) throw new InvalidReplyError(`a reply can be at most ${MAX_REPLY_LENGTH} characters (this one is ${length})`);
  return trimmed;
}
