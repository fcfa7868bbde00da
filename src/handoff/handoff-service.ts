import { type ConversationKey, conversationKeyToString } from '../core/conversation-key.js';
import type { HandoffFacts, HandoffPort, TurnRecord } from '../engine/handoff-port.js';
import { isAdult, isChild } from '../../flows/safeguarding.js';
import { type HandoffEventLog, noHandoffEventLog } from './handoff-event-log.js';
import type { ClosedTickets, ConsoleEvents, HandoffQueue, NewTicket, TranscriptEntry, TranscriptStore } from './handoff-model.js';

/** How the transcript says why someone joined the queue (the console is in English). */
const QUEUED_BECAUSE: Readonly<Record<HandoffFacts['reason'], string>> = {
  requested: 'Joined the queue: asked to talk to a person.',
  crisis: 'Joined the queue automatically: disclosed thoughts of suicide or self-harm.',
  danger: 'Joined the queue automatically: said they are in danger now.',
  'child-at-risk': 'Joined the queue automatically: a child at risk.',
};

/** The transcript's line when the person leaves the queue themselves. */
const LEFT_QUEUE = 'Left the queue.';
/** The transcript's line when the person leaves a call handler's chat ("cancel" or "menu"). */
const LEFT_CHAT = 'The person left the chat.';

/** What the engine's handoff port is built from. */
export interface HandoffServiceOptions {
  readonly queue: HandoffQueue;
  readonly transcripts: TranscriptStore;
  readonly events: ConsoleEvents;
  /**
   * Whether a call handler can come now: `open` within the force's hours
   * (bank holidays closed) with at least one handler signed in; `closed`
   * outside the hours; `busy` within them but with nobody signed in.
   */
  readonly available: (now: number) => Promise<'open' | 'closed' | 'busy'>;
  /** Told when a queued person leaves the queue themselves (for metrics). */
  readonly onCancelled?: () => void;
  /** Where queued, abandoned and ended-by-the-person events are logged. */
  readonly log?: HandoffEventLog;
  /** Where a ticket the person left is kept for the export time (see the desk's `exportTranscript`). */
  readonly closedTickets?: ClosedTickets;
}

/**
 * The engine's side of handoff: queues a conversation when the flow asks for
 * a person (only when someone can come: otherwise the person is told plainly
 * and given the other routes), keeps the transcript while a handoff is open,
 * and tells every console about it.
 */
export function createHandoffService({ queue, transcripts, events, available, onCancelled, closedTickets, log = noHandoffEventLog }: HandoffServiceOptions): HandoffPort {
  /** Appends entries and announces each to the consoles showing this conversation's ticket. */
  async function append(conversationKey: string, entries: TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const stored: TranscriptEntry[] = [];
    for (const entry of entries) stored.push(await transcripts.append(conversationKey, entry));
    const ticket = await queue.byConversation(conversationKey);
    if (ticket) for (const entry of stored) await events.publish({ type: 'transcript', ticketId: ticket.id, entry });
  }

  return {
    async request(key: ConversationKey, given: HandoffFacts, now: number) {
      const desk = await available(now);
      if (desk !== 'open') return desk;
      const conversationKey = conversationKeyToString(key);
      const before = await queue.byConversation(conversationKey);
      const ticket = await queue.enqueue(newTicket(key, given), now);
      const { reason } = given;
      if (!before) {
        await transcripts.append(conversationKey, { at: now, from: 'system', text: QUEUED_BECAUSE[reason] });
        log({ type: 'queued' }, ticket, now);
      }
      await events.publish({ type: 'queue-changed' });
      return 'queued';
    },

    async leave(key: ConversationKey, now: number) {
      const conversationKey = conversationKeyToString(key);
      const ticket = await queue.byConversation(conversationKey);
      const removed = ticket && (await queue.remove(ticket.id));
      if (!removed) return;
      // Leaving the queue unserved counts as abandoned; leaving a handler's chat does not.
      if (removed.status === 'queued') onCancelled?.();
      log(removed.status === 'queued' ? { type: 'abandoned' } : { type: 'ended', by: 'person' }, removed, now);
      const entry = await transcripts.append(conversationKey, { at: now, from: 'system', text: removed.status === 'claimed' ? LEFT_CHAT : LEFT_QUEUE });
      await closedTickets?.record({ ticket: removed, endedAt: now });
      // The handler's open page shows why the conversation went before it shows that it has gone.
      await events.publish({ type: 'transcript', ticketId: removed.id, entry });
      await events.publish({ type: 'queue-changed' });
    },

    async update(key: ConversationKey, given: HandoffFacts) {
      const existing = await queue.byConversation(conversationKeyToString(key));
      if (!existing) return;
      // Why they were queued stays as it was; a flag told now still raises the priority.
      if (await queue.refresh(newTicket(key, { ...given, reason: existing.reason }))) await events.publish({ type: 'queue-changed' });
    },

    async record(key: ConversationKey, turn: TurnRecord, now: number) {
      const entries: TranscriptEntry[] = [];
      if (turn.personText !== undefined) entries.push({ at: now, from: 'person', text: turn.personText, ...(turn.flag && { flag: turn.flag }) });
      if (turn.personChoice !== undefined) entries.push({ at: now, from: 'person', text: turn.personChoice.label, pressed: true });
      if (turn.personAttachment !== undefined) {
        entries.push({ at: now, from: 'system', text: `The person sent a ${turn.personAttachment}. It was not downloaded and cannot be seen here.` });
      }
      for (const text of turn.botTexts) entries.push({ at: now, from: 'bot', text });
      await append(conversationKeyToString(key), entries);
    },

    async erase(key: ConversationKey, now: number = Date.now()) {
      const conversationKey = conversationKeyToString(key);
      const ticket = await queue.byConversation(conversationKey);
      const removed = ticket && (await queue.remove(ticket.id));
      if (removed) log({ type: 'ended', by: 'erased' }, removed, now);
      await transcripts.delete(conversationKey);
      await closedTickets?.forget(conversationKey);
      if (ticket) await events.publish({ type: 'queue-changed' });
    },
  };
}

/** The ticket for what the flow knows: flags, the answers a call handler reads, and when the risk was told (never their words). */
function newTicket(key: ConversationKey, given: HandoffFacts): NewTicket {
  const { reason, locale, flags, facts, risk, stepsSeen, riskAt, dangerAt } = given;
  const { age, paid } = facts;
  return {
    conversationKey: conversationKeyToString(key),
    channel: key.channel,
    reason,
    locale,
    flags: { ...flags, ...(paid !== undefined && { paid }) },
    answers: {
      ageGroup: isChild(facts) ? 'under18' : isAdult(facts) ? 'adult' : 'unknown',
      ...(age !== undefined && { age }),
      ...(paid !== undefined && { paid }),
      knownPerson: facts.who === 'partner' || facts.who === 'known',
      stepsSeen,
      facts,
      ...(risk !== undefined && { risk }),
      ...(riskAt !== undefined && { riskAt }),
      ...(dangerAt !== undefined && { dangerAt }),
    },
  };
}
