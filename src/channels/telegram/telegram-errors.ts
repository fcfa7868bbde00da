import { TelegramError } from 'telegraf';
import { BotError, DeliveryError } from '../../core/errors.js';

/**
 * A failed Bot API call, reduced to what is safe to log: the method, the
 * status code and Telegram's description. telegraf's own error keeps the
 * request payload (message text, chat id), so it is never passed on as a cause.
 */
export class TelegramApiError extends BotError {
  constructor(
    readonly method: string,
    readonly code: number | undefined,
    readonly description: string | undefined,
  ) {
    super(`Telegram ${method} failed${code === undefined ? '' : ` (${code})`}`);
  }
}

/** A Bot API call that never got an answer (connection refused, reset, timed out). */
export class TelegramNetworkError extends BotError {
  constructor(
    readonly method: string,
    readonly code: string | undefined,
  ) {
    super(`Telegram ${method} request failed${code === undefined ? '' : ` (${code})`}`);
  }
}

/** Telegram's description for "the chat no longer exists", which retrying cannot fix. */
const CHAT_GONE = /chat not found|user is deactivated|group chat was deactivated/i;

/**
 * Translates whatever a telegraf call threw into the {@link DeliveryError}
 * that `sendWithRetry` and the dispatcher understand: 429 carries the wait
 * Telegram asked for, 403 (blocked, kicked) and a vanished chat are permanent,
 * everything else keeps a sanitised cause.
 */
export function toDeliveryError(error: unknown, method: string): DeliveryError {
  if (error instanceof TelegramError) {
    const cause = new TelegramApiError(method, error.code, error.description);
    if (error.code === 429) {
      const seconds = error.parameters?.retry_after;
      const retryAfterMs = (typeof seconds === 'number' && seconds >= 0 ? seconds : 1) * 1000;
      return new DeliveryError(cause.message, { cause, retryAfterMs });
    }
    const permanent = error.code === 403 || (error.code === 400 && CHAT_GONE.test(error.description ?? ''));
    return new DeliveryError(cause.message, { cause, permanent });
  }
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const cause = new TelegramNetworkError(method, code);
  return new DeliveryError(cause.message, { cause });
}

/** True when a send failed because the person blocked the bot or removed it from the chat. */
export function isBlockedByUser(error: unknown): boolean {
  return error instanceof DeliveryError && error.cause instanceof TelegramApiError && error.cause.code === 403;
}
