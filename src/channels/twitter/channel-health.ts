import type { ChannelHealth } from '../channel.js';
import type { Logger } from '../../core/index.js';
import { checkDelivery, type XActivityAdmin } from './activity-admin.js';

/** How often the channel asks X whether its webhook and subscription still stand. */
export const DEFAULT_HEALTH_CHECK_MS = 15 * 60_000;

/**
 * The X channel's health as this instance sees it: the webhook's last
 * challenge and delivery here, and what X itself says about the webhook and
 * the Activity API subscription, asked at start and then periodically. A
 * missing subscription does not make the instance unready (every instance
 * would drop out of the load balancer and the webhook would fail X's
 * challenge too); it is reported, logged at error and exported as a metric.
 */
export class XChannelHealth {
  #state: { -readonly [K in keyof ChannelHealth]: ChannelHealth[K] } = { unreadableMessages: 0 };
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: {
      readonly admin: XActivityAdmin | undefined;
      readonly userId: string;
      readonly logger: Logger;
      readonly now?: () => number;
    },
  ) {}

  snapshot(): ChannelHealth {
    return { ...this.#state };
  }

  challengeAnswered(): void {
    this.#state.lastChallengeAt = this.#now();
  }

  eventArrived(): void {
    this.#state.lastEventAt = this.#now();
  }

  unreadableMessage(): void {
    this.#state.unreadableMessages++;
  }

  /** Asks X now; never throws (a failed check is reported, not fatal). */
  async check(): Promise<void> {
    const { admin, userId, logger } = this.options;
    if (admin === undefined || !admin.canReadSubscriptions) return;
    try {
      const { webhookValid, subscribed } = await checkDelivery(admin, userId);
      this.#state = { ...this.#state, webhookValid, subscribed, checkedAt: this.#now() };
      delete this.#state.checkProblem;
      if (!webhookValid || !subscribed) {
        logger.error(
          { event: 'x.delivery_check', webhookValid, subscribed },
          'X is not set up to deliver direct messages to the bot: run npm run x:setup -- <public URL>',
        );
      } else {
        logger.debug({ event: 'x.delivery_check', webhookValid, subscribed }, 'X webhook and subscription in place');
      }
    } catch (error) {
      this.#state.checkProblem = `could not ask X (${error instanceof Error ? error.name : typeof error})`;
      logger.warn({ event: 'x.delivery_check', err: error instanceof Error ? error.name : typeof error }, 'could not check the X webhook and subscription');
    }
  }

  /**
   * Checks now and every `everyMs` until {@link stop}. The first check is not
   * waited for: a slow X must not hold up the start (and the other channels).
   */
  start(everyMs: number): void {
    void this.check();
    this.#timer = setInterval(() => void this.check(), everyMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}
