import type { Logger } from '../core/logger.js';
import { errorSummary } from '../engine/dispatcher.js';
import { type HandoffEventLog, noHandoffEventLog } from './handoff-event-log.js';
import type { ConsoleEvents, HandlerPayload, HandoffQueue } from './handoff-model.js';
import { PeriodicSweep } from './periodic-sweep.js';

/** What {@link QueueTimeout} needs. */
export interface QueueTimeoutOptions {
  readonly queue: HandoffQueue;
  readonly events: ConsoleEvents;
  readonly deliver: (conversationKey: string, payload: HandlerPayload) => Promise<void>;
  readonly logger: Logger;
  /** A queued person not picked up within this time is told, and given the other routes. */
  readonly timeoutMs: number;
  /** How often the queue is checked. */
  readonly everyMs?: number;
  readonly now?: () => number;
  /** Where each time-out is logged. */
  readonly log?: HandoffEventLog;
}

/**
 * Tells people who waited too long in the queue. Runs on every instance; the
 * queue's atomic remove means only one instance tells each person, once.
 */
export class QueueTimeout extends PeriodicSweep {
  constructor(private readonly o: QueueTimeoutOptions) {
    super(o.everyMs ?? Math.min(30_000, Math.max(1_000, Math.floor(o.timeoutMs / 4))));
  }

  /** Removes and notifies every ticket queued (or back in the queue) for longer than the time-out; returns how many. */
  async sweep(): Promise<number> {
    const now = (this.o.now ?? Date.now)();
    let count = 0;
    try {
      for (const ticket of await this.o.queue.list()) {
        if (ticket.status !== 'queued' || now - (ticket.requeuedAt ?? ticket.queuedAt) < this.o.timeoutMs) continue;
        const removed = await this.o.queue.remove(ticket.id);
        if (!removed) continue;
        count++;
        (this.o.log ?? noHandoffEventLog)({ type: 'timed-out' }, removed, now);
        await this.o.deliver(removed.conversationKey, { type: 'handler', action: 'timeout' });
      }
      if (count > 0) await this.o.events.publish({ type: 'queue-changed' });
    } catch (error) {
      this.o.logger.warn({ err: errorSummary(error) }, 'queue time-out sweep failed');
    }
    return count;
  }
}
