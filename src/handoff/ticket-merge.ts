import { randomUUID } from 'node:crypto';
import { priorityOf, type HandoffFlags, type HandoffTicket, type NewTicket } from './handoff-model.js';

/** A new queued ticket: a random id, its priority from its flags, queued now. Shared by both queues. */
export function freshTicket(ticket: NewTicket, now: number): HandoffTicket {
  return {
    id: randomUUID(),
    conversationKey: ticket.conversationKey,
    channel: ticket.channel,
    reason: ticket.reason,
    priority: priorityOf(ticket.flags),
    flags: ticket.flags,
    answers: ticket.answers,
    locale: ticket.locale,
    queuedAt: now,
    status: 'queued',
  };
}

/**
 * What re-queueing an already queued or claimed conversation does, shared by
 * the memory and Redis queues so both behave alike: a flag once set stays set
 * (so a later "I'm fine" never hides an earlier crisis), priority only ever
 * rises, the reason follows a rise, and the place in the queue (its age) and
 * who holds it never change. The answers and locale are the newest.
 */
export function mergeTicket(existing: HandoffTicket, update: NewTicket): HandoffTicket {
  const flags: HandoffFlags = {
    crisis: existing.flags.crisis || update.flags.crisis,
    danger: existing.flags.danger || update.flags.danger,
    under18: existing.flags.under18 || update.flags.under18,
    ...mergedPaid(existing.flags.paid, update.flags.paid),
  };
  const priority = Math.min(existing.priority, priorityOf(flags)) as HandoffTicket['priority'];
  return {
    ...existing,
    reason: priority < existing.priority ? update.reason : existing.reason,
    priority,
    flags,
    answers: update.answers,
    locale: update.locale,
  };
}

function mergedPaid(before: boolean | undefined, after: boolean | undefined): { paid?: boolean } {
  if (before === true || after === true) return { paid: true };
  const paid = after ?? before;
  return paid === undefined ? {} : { paid };
}

/** Queue order: most urgent first, then oldest first, then by id so every store agrees on ties. */
export function queueOrder(a: HandoffTicket, b: HandoffTicket): number {
  return a.priority - b.priority || a.queuedAt - b.queuedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The sorted-set score that gives {@link queueOrder} (ties fall back to the member, the id). */
export function queueScore(ticket: Pick<HandoffTicket, 'priority' | 'queuedAt'>): number {
  return ticket.priority * 1e13 + ticket.queuedAt;
}
