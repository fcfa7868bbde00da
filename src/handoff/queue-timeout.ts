import type { Logger } from '../core/logger.js';
import { errorSummary } from '../logging/error-summary.js';
import { type HandoffDesk, type HandoffQueue, type HandoffTicket, PRIORITY } from './handoff-model.js';
import { PeriodicSweep } from './periodic-sweep.js';

/**
 * How long a person may wait in the queue before being told nobody could
 * come. Urgent tickets (crisis or danger) wait longer: they have already been
 * given 999, Samaritans and Childline, and a call handler who comes late is
 * still better for them than none, so they stay visible to the desk for
 * longer rather than being timed out as quickly as everyone else.
 */
export interface QueueTimeouts {
  /** Everyone but urgent tickets (`HANDOFF_TIMEOUT_MINUTES`). */
  readonly normalMs: number;
  /** Crisis and danger tickets (`HANDOFF_URGENT_TIMEOUT_MINUTES`); at least `normalMs`. */
  readonly urgentMs: number;
}

/** How long this ticket may wait: the urgent time-out for crisis and danger, the normal one for the rest. */
export function timeoutFor(ticket: Pick<HandoffTicket, 'priority'>, timeouts: QueueTimeouts): number {
  return ticket.priority === PRIORITY.urgent ? timeouts.urgentMs : timeouts.normalMs;
}

/**
 * When a waiting ticket times out: counted from when it (last) joined the
 * queue, so someone handed back is not timed out for the time they spent
 * with a handler. Undefined for a claimed ticket, which never times out.
 */
export function timesOutAt(ticket: HandoffTicket, timeouts: QueueTimeouts): number | undefined {
  if (ticket.status !== 'queued') return undefined;
  return (ticket.requeuedAt ?? ticket.queuedAt) + timeoutFor(ticket, timeouts);
}

/** What {@link QueueTimeout} needs. */
export interface QueueTimeoutOptions {
  readonly queue: Pick<HandoffQueue, 'list'>;
  /** Takes the person out of the queue, audited, with the person and the consoles told. */
  readonly desk: Pick<HandoffDesk, 'timeOut'>;
  /** The keyed hash that stands for a conversation in logs (never the key itself). */
  readonly hashKey: (conversationKey: string) => string;
  readonly logger: Logger;
  readonly timeouts: QueueTimeouts;
  /** Told of each person timed out (for metrics). */
  readonly onTimedOut?: (ticket: HandoffTicket) => void;
  /** How often the queue is checked. */
  readonly everyMs?: number;
  readonly now?: () => number;
}

/**
 * Tells people who waited too long in the queue. Runs on every instance; the
 * queue's atomic remove means only one instance tells each person, once.
 * Every time-out is one log line an operator can alert on: `error` for a
 * crisis or danger ticket (someone at risk went unanswered), `warn` for the
 * rest, with the conversation's keyed hash and never anything they wrote.
 */
export class QueueTimeout extends PeriodicSweep {
  readonly #o: QueueTimeoutOptions;

  constructor(options: QueueTimeoutOptions) {
    super(options.everyMs ?? Math.min(30_000, Math.max(1_000, Math.floor(options.timeouts.normalMs / 4))));
    this.#o = options;
  }

  /** Times out every ticket waiting past its time-out at `now` (the clock's time by default); returns how many. */
  async sweep(now: number = (this.#o.now ?? Date.now)()): Promise<number> {
    const { queue, desk, hashKey, logger, timeouts, onTimedOut } = this.#o;
    let count = 0;
    try {
      for (const ticket of await queue.list()) {
        const due = timesOutAt(ticket, timeouts);
        if (due === undefined || now < due) continue;
        const removed = await desk.timeOut(ticket.id, now);
        if (!removed) continue;
        count++;
        onTimedOut?.(removed);
        const urgent = removed.priority === PRIORITY.urgent;
        const fields = {
          event: 'handoff.timed-out',
          conversation: hashKey(removed.conversationKey),
          ticket: removed.id,
          reason: removed.reason,
          urgent,
          waitedSeconds: Math.round((now - (removed.requeuedAt ?? removed.queuedAt)) / 1000),
        };
        if (urgent) logger.error(fields, 'an urgent handoff timed out: nobody picked up a person in crisis or danger');
        else logger.warn(fields, 'a handoff timed out: nobody picked the person up in time');
      }
    } catch (error) {
      logger.warn({ err: errorSummary(error) }, 'queue time-out sweep failed');
    }
    return count;
  }
}
