import { TelegramError } from 'telegraf';
import { BotError, DeliveryError } from '../../core/errors.js';

/** Telegram's `parameters` on a failed call: how long to wait (429), or where a group moved. */
export interface TelegramResponseParameters {
  readonly retry_after?: number;
  readonly migrate_to_chat_id?: number;
}

/**
 * A failed Bot API call, reduced to what is safe to log: the method, the
 * status code, Telegram's description and its `parameters`. Thrown as it is by
 * {@link BotApiClient}; telegraf's own error keeps the request payload
 * (message text, chat id), so that one is never passed on as a cause.
 */
export class TelegramApiError extends BotError {
  constructor(
    readonly method: string,
    readonly code: number | undefined,
    readonly description: string | undefined,
    readonly parameters?: TelegramResponseParameters,
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
 * Translates whatever a Bot API call threw (our {@link BotApiClient}'s
 * errors, or telegraf's `TelegramError` for the calls still made through
 * telegraf) into the {@link DeliveryError} that `sendWithRetry` and the
 * dispatcher understand: 429 carries the wait Telegram asked for, 403
 * (blocked, kicked) and a vanished chat are permanent, everything else keeps
 * a sanitised cause.
 */
export function toDeliveryError(error: unknown, method: string): DeliveryError {
  if (error instanceof TelegramApiError) return apiFailure(error);
  if (error instanceof TelegramError) return apiFailure(new TelegramApiError(method, error.code, error.description, error.parameters));
  const cause = error instanceof TelegramNetworkError ? error : new TelegramNetworkError(method, networkCode(error));
  return new DeliveryError(cause.message, { cause });
}

function apiFailure(cause: TelegramApiError): DeliveryError {
  if (cause.code === 429) {
    const seconds = cause.parameters?.retry_after;
    const retryAfterMs = (typeof seconds === 'number' && seconds >= 0 ? seconds : 1) * 1000;
    return new DeliveryError(cause.message, { cause, retryAfterMs });
  }
  const permanent = cause.code === 403 || (cause.code === 400 && CHAT_GONE.test(cause.description ?? ''));
  return new DeliveryError(cause.message, { cause, permanent });
}

function networkCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True when a send failed because the person blocked the bot or removed it from the chat. */
export function isBlockedByUser(error: unknown): boolean {
  return error instanceof DeliveryError && error.cause instanceof TelegramApiError && error.cause.code === 403;
}
