import type { ClosedTicket, ClosedTickets } from '../../handoff/handoff-model.js';

/** Closed tickets in this process's memory, each kept for `keepMs` after it ended. */
export class MemoryClosedTickets implements ClosedTickets {
  readonly #closed = new Map<string, ClosedTicket>();
  readonly #keepMs: number;

  constructor({ keepMs }: { keepMs: number }) {
    this.#keepMs = keepMs;
  }

  async record(closed: ClosedTicket): Promise<void> {
    // Those past their time are dropped here, so memory stays bounded.
    for (const [id, old] of this.#closed) if (old.endedAt + this.#keepMs <= closed.endedAt) this.#closed.delete(id);
    this.#closed.set(closed.ticket.id, closed);
  }

  async get(id: string, now: number): Promise<ClosedTicket | undefined> {
    const closed = this.#closed.get(id);
    return closed && now < closed.endedAt + this.#keepMs ? closed : undefined;
  }

  async forget(conversationKey: string): Promise<void> {
    for (const [id, closed] of this.#closed) if (closed.ticket.conversationKey === conversationKey) this.#closed.delete(id);
  }
}
