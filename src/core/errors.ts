/**
 * Base class for the bot's own errors. Each carries the error that caused it
 * (if any) so that a log line can show the whole chain without losing where a
 * failure began.
 */
export class BotError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Configuration or a force profile is missing or malformed; the process should not start. */
export class ConfigError extends BotError {}

/** A store could not be reached or answered badly; the caller may retry later. */
export class StoreError extends BotError {}

/** A platform refused or failed a send; `retryAfterMs` is set when the platform said when to try again. */
export class DeliveryError extends BotError {
  constructor(
    message: string,
    readonly options: { cause?: unknown; retryAfterMs?: number; permanent?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
  }

  /** The platform asked us to wait this long before retrying (429), if it did. */
  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }

  /** True when retrying cannot help (the person blocked the bot, the chat is gone). */
  get permanent(): boolean {
    return this.options.permanent ?? false;
  }
}

/** Something the engine could not do for one turn; the conversation itself is intact. */
export class TurnError extends BotError {}

/**
 * A channel could not start (its platform unreachable, its credentials
 * refused). `reason` says why in words that are safe to log and to show on
 * `/readyz`: never a token, a key or a URL that carries one. The platform's
 * own error is kept as `platformError`, off the `cause` chain that log lines
 * follow, because its message may carry exactly that (a Bot API URL holds the
 * Telegram token).
 */
export class ChannelStartError extends BotError {
  constructor(
    readonly channel: string,
    readonly reason: string,
    readonly platformError?: unknown,
  ) {
    super(`the ${channel} channel did not start: ${reason}`);
  }
}
