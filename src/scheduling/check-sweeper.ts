import type { Logger } from '../core/logger.js';
import { type ConversationKey, parseConversationKey } from '../core/conversation-key.js';
import { errorSummary } from '../logging/error-summary.js';
import { PeriodicSweep } from '../handoff/periodic-sweep.js';
import type { CheckStore } from './check-store.js';

/** How long a check that could not be delivered waits before it is tried again. */
const RETRY_MS = 30_000;

/** What {@link CheckSweeper} needs. */
export interface CheckSweeperOptions {
  readonly store: CheckStore;
  /** Hands the due check to the conversation, through the inbox, in order with the person's own messages. */
  readonly deliver: (key: ConversationKey, check: 'safety') => Promise<void>;
  readonly logger: Logger;
  readonly everyMs?: number;
  readonly now?: () => number;
}

/**
 * Delivers the checks the flow scheduled when they come due (someone asked
 * "are you safe right now?" who has not answered). Runs on every instance;
 * the store's atomic take means each check is delivered once. The flow
 * ignores a check the person has moved past, so nothing needs cancelling.
 */
export class CheckSweeper extends PeriodicSweep {
  constructor(private readonly o: CheckSweeperOptions) {
    super(o.everyMs ?? 5_000);
  }

  async sweep(): Promise<number> {
    let count = 0;
    try {
      const now = (this.o.now ?? Date.now)();
      for (const due of await this.o.store.take(now)) {
        const key = parseConversationKey(due.conversationKey);
        if (!key) continue;
        try {
          await this.o.deliver(key, due.check);
          count++;
        } catch (error) {
          // Not delivered (the inbox is away): tried again on a later sweep rather than lost.
          await this.o.store.schedule(key, due.check, now + RETRY_MS);
          this.o.logger.warn({ err: errorSummary(error) }, 'scheduled check not delivered; will retry');
        }
      }
    } catch (error) {
      this.o.logger.warn({ err: errorSummary(error) }, 'scheduled check sweep failed');
    }
    return count;
  }
}
