import type { Logger } from '../core/logger.js';
import { errorSummary } from '../logging/error-summary.js';
import type { HandoffDesk, HandoffQueue, HandoffTicket, ReleaseReason } from './handoff-model.js';
import { PeriodicSweep } from './periodic-sweep.js';

/** Why a handler with no live session has gone, as the sweeper tells the audit log. */
export type WhyGone = (handler: string, ticket: HandoffTicket) => Promise<Extract<ReleaseReason, 'removed' | 'password-reset' | 'session-timed-out'>>;

/** What {@link ClaimSweeper} needs. */
export interface ClaimSweeperOptions {
  readonly queue: HandoffQueue;
  /** Puts a claim back in the queue, audited, with the person and consoles told. */
  readonly desk: Pick<HandoffDesk, 'release'>;
  /** The handlers with a live session now (the session store's `liveHandlers`). */
  readonly liveHandlers: (now: number) => Promise<ReadonlySet<string>>;
  /** Why a holder without a live session has gone; a timed-out session when not given. */
  readonly whyGone?: WhyGone;
  /** A claim with no reply from its holder for this long goes back to the queue (`CLAIM_IDLE_MINUTES`). */
  readonly idleMs: number;
  /** How often the claims are checked; by default a quarter of `idleMs`, between 1 and 15 seconds. */
  readonly everyMs?: number;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * Makes sure no conversation stays claimed by someone who cannot answer it.
 * Sessions end lazily (a time-out is only noticed when the session is next
 * read; the handlers CLI removes an account or resets a password from
 * another process), so every instance checks each claimed ticket on a timer:
 * one whose holder has no live session, or has not replied for `idleMs`,
 * goes back to its place in the queue. The queue's compare-and-set release
 * means only one instance releases each claim, once, and a reply racing an
 * idle lapse wins.
 */
export class ClaimSweeper extends PeriodicSweep {
  readonly #o: ClaimSweeperOptions;

  constructor(options: ClaimSweeperOptions) {
    super(options.everyMs ?? Math.min(15_000, Math.max(1_000, Math.floor(options.idleMs / 4))));
    this.#o = options;
  }

  /** Releases every claim whose holder has gone or gone quiet; returns how many. Never throws: a failure is logged. */
  async sweep(): Promise<number> {
    const { queue, desk, liveHandlers, whyGone, idleMs, logger } = this.#o;
    const now = (this.#o.now ?? Date.now)();
    let count = 0;
    try {
      const claimed = (await queue.list()).filter((t) => t.status === 'claimed' && t.claimedBy !== undefined);
      if (claimed.length === 0) return 0;
      const live = await liveHandlers(now);
      for (const ticket of claimed) {
        const holder = ticket.claimedBy as string;
        let released: boolean;
        if (!live.has(holder)) {
          released = await desk.release(ticket.id, holder, whyGone ? await whyGone(holder, ticket) : 'session-timed-out', now);
        } else if ((ticket.lastActivityAt ?? ticket.claimedAt ?? now) + idleMs <= now) {
          released = await desk.release(ticket.id, holder, 'idle', now, { idleSince: now - idleMs });
        } else continue;
        if (released) count++;
      }
    } catch (error) {
      logger.warn({ err: errorSummary(error) }, 'claim sweep failed');
    }
    return count;
  }
}

/**
 * Tells apart why a handler's sessions are gone, from their account: no
 * account means it was removed; sessions revoked since they claimed the
 * ticket, with the account still there, means a password reset; otherwise
 * their session timed out.
 */
export function whyGoneFromAccounts(accounts: {
  exists(username: string): Promise<boolean>;
  revokedAt(username: string): Promise<number | undefined>;
}): WhyGone {
  return async (handler, ticket) => {
    if (!(await accounts.exists(handler))) return 'removed';
    const revoked = await accounts.revokedAt(handler);
    return revoked !== undefined && revoked >= (ticket.claimedAt ?? 0) ? 'password-reset' : 'session-timed-out';
  };
}
