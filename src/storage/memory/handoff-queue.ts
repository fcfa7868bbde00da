import type { HandoffQueue, HandoffTicket, NewTicket } from '../../handoff/handoff-model.js';
import { freshTicket, mergeTicket, queueOrder } from '../../handoff/ticket-merge.js';

/**
 * The handoff queue for a single instance (the embedded default without
 * Redis). JavaScript runs one call at a time, so every method is atomic as
 * long as it does not await in the middle: two claims of one ticket give one
 * success, as they do in Redis.
 */
export class MemoryHandoffQueue implements HandoffQueue {
  readonly #tickets = new Map<string, HandoffTicket>();
  readonly #byConversation = new Map<string, string>();

  async enqueue(ticket: NewTicket, now: number): Promise<HandoffTicket> {
    const existingId = this.#byConversation.get(ticket.conversationKey);
    const existing = existingId === undefined ? undefined : this.#tickets.get(existingId);
    const stored: HandoffTicket = existing ? mergeTicket(existing, ticket) : freshTicket(ticket, now);
    this.#tickets.set(stored.id, stored);
    this.#byConversation.set(stored.conversationKey, stored.id);
    return stored;
  }

  async refresh(ticket: NewTicket): Promise<HandoffTicket | undefined> {
    if (!this.#byConversation.has(ticket.conversationKey)) return undefined;
    return this.enqueue(ticket, 0);
  }

  async get(id: string): Promise<HandoffTicket | undefined> {
    return this.#tickets.get(id);
  }

  async byConversation(conversationKey: string): Promise<HandoffTicket | undefined> {
    const id = this.#byConversation.get(conversationKey);
    return id === undefined ? undefined : this.#tickets.get(id);
  }

  async list(): Promise<HandoffTicket[]> {
    return [...this.#tickets.values()].sort(queueOrder);
  }

  async claim(id: string, handler: string, now: number): Promise<HandoffTicket | undefined> {
    const ticket = this.#tickets.get(id);
    if (!ticket || ticket.status !== 'queued') return undefined;
    return this.#hold(ticket, handler, now);
  }

  async touch(id: string, handler: string, now: number): Promise<boolean> {
    const ticket = this.#heldBy(id, handler);
    if (!ticket) return false;
    this.#tickets.set(id, { ...ticket, lastActivityAt: Math.max(ticket.lastActivityAt ?? 0, now) });
    return true;
  }

  async release(id: string, handler: string, now: number, { idleSince }: { idleSince?: number } = {}): Promise<HandoffTicket | undefined> {
    const ticket = this.#heldBy(id, handler);
    if (!ticket) return undefined;
    if (idleSince !== undefined && (ticket.lastActivityAt ?? 0) > idleSince) return undefined;
    const { claimedBy: _by, claimedAt: _at, lastActivityAt: _active, ...rest } = ticket;
    const released: HandoffTicket = { ...rest, status: 'queued', requeuedAt: now };
    this.#tickets.set(id, released);
    return released;
  }

  async reassign(id: string, from: string, to: string, now: number): Promise<HandoffTicket | undefined> {
    const ticket = this.#heldBy(id, from);
    return ticket && this.#hold(ticket, to, now);
  }

  async remove(id: string, { onlyIfQueued = false }: { onlyIfQueued?: boolean } = {}): Promise<HandoffTicket | undefined> {
    const ticket = this.#tickets.get(id);
    if (!ticket || (onlyIfQueued && ticket.status !== 'queued')) return undefined;
    this.#tickets.delete(id);
    if (this.#byConversation.get(ticket.conversationKey) === id) this.#byConversation.delete(ticket.conversationKey);
    return ticket;
  }

  #heldBy(id: string, handler: string): HandoffTicket | undefined {
    const ticket = this.#tickets.get(id);
    return ticket?.status === 'claimed' && ticket.claimedBy === handler ? ticket : undefined;
  }

  #hold(ticket: HandoffTicket, handler: string, now: number): HandoffTicket {
    const { requeuedAt: _requeued, ...rest } = ticket;
    const held: HandoffTicket = { ...rest, status: 'claimed', claimedBy: handler, claimedAt: now, lastActivityAt: now };
    this.#tickets.set(ticket.id, held);
    return held;
  }
}
