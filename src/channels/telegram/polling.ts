import { setTimeout as sleep } from 'node:timers/promises';
import { TelegramError, type Telegram } from 'telegraf';
import type { Logger } from '../../core/index.js';
import { isUpdate, updateKind } from './inbound.js';

/** telegraf types the signal with the `abort-controller` polyfill; node-fetch accepts Node's own. */
export type TelegrafSignal = NonNullable<NonNullable<Parameters<Telegram['callApi']>[2]>['signal']>;

/** The update kinds the bot asks Telegram for, in webhook and polling mode alike. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

/** Options for {@link TelegramPoller}. */
export interface TelegramPollerOptions {
  readonly telegram: Telegram;
  readonly handle: (update: Record<string, unknown> & { update_id: number }) => Promise<void>;
  readonly logger: Logger;
  /** Long-poll time Telegram may hold `getUpdates` open, in seconds. */
  readonly timeoutSeconds?: number;
  /** First wait after a failure; doubled per consecutive failure up to `maxBackoffMs`. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
}

/**
 * Long polling for development and for forces without a public HTTPS address.
 * Its own `getUpdates` loop rather than telegraf's, because telegraf's stops
 * for good when one update fails; here the offset only moves past an update
 * once the engine accepted it, so a failed update is fetched again after a
 * pause, exactly as Telegram redelivers a webhook that got an error.
 */
export class TelegramPoller {
  readonly #options: Required<TelegramPollerOptions>;
  readonly #abort = new AbortController();
  #loop: Promise<void> | undefined;

  constructor({ timeoutSeconds = 50, backoffMs = 1000, maxBackoffMs = 30_000, ...rest }: TelegramPollerOptions) {
    this.#options = { timeoutSeconds, backoffMs, maxBackoffMs, ...rest };
  }

  /**
   * Removes any webhook (Telegram refuses `getUpdates` while one is set), then
   * polls in the background. `signal` bounds the removal: a Bot API that does
   * not answer fails the start instead of holding it.
   */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.#loop) throw new Error('Telegram polling already started');
    await this.#options.telegram.callApi('deleteWebhook', { drop_pending_updates: false }, signal ? { signal: signal as unknown as TelegrafSignal } : {});
    this.#options.logger.info({ event: 'telegram.polling.started' }, 'Telegram polling started');
    this.#loop = this.#run();
  }

  /** Aborts the open `getUpdates` request and waits for the loop to end. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#loop;
    this.#loop = undefined;
  }

  async #run(): Promise<void> {
    const { telegram, handle, logger, timeoutSeconds } = this.#options;
    const signal = this.#abort.signal;
    let offset = 0;
    let fetchFailures = 0;
    let updateFailures = 0;
    while (!signal.aborted) {
      let updates: unknown[];
      try {
        updates = await telegram.callApi(
          'getUpdates',
          { timeout: timeoutSeconds, offset, allowed_updates: [...ALLOWED_UPDATES] },
          { signal: signal as unknown as TelegrafSignal },
        );
        fetchFailures = 0;
      } catch (error) {
        if (signal.aborted) return;
        fetchFailures++;
        logger.warn({ event: 'telegram.polling.failed', code: (error as { code?: unknown }).code }, 'Telegram getUpdates failed; polling again after a pause');
        await this.#pause(this.#delayAfter(error, fetchFailures));
        continue;
      }
      for (const update of updates) {
        if (!isUpdate(update)) continue;
        try {
          await handle(update);
          updateFailures = 0;
          offset = update.update_id + 1;
        } catch (error) {
          updateFailures++;
          logger.error({ event: 'telegram.polling.update_failed', updateKind: updateKind(update), error: (error as Error | undefined)?.name }, 'a polled Telegram update was not handled; fetching it again after a pause');
          await this.#pause(this.#delayAfter(error, updateFailures));
          break;
        }
      }
    }
  }

  #delayAfter(error: unknown, failures: number): number {
    const { backoffMs, maxBackoffMs } = this.#options;
    const retryAfter = error instanceof TelegramError ? error.parameters?.retry_after : undefined;
    if (typeof retryAfter === 'number') return retryAfter * 1000;
    return Math.min(maxBackoffMs, backoffMs * 2 ** (failures - 1));
  }

  async #pause(ms: number): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: this.#abort.signal });
    } catch {
      // Aborted by stop(): the loop condition ends the loop.
    }
  }
}
