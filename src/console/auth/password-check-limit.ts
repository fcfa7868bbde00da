import pLimit, { type LimitFunction } from 'p-limit';
import { BotError } from '../../core/errors.js';

/** Too many password checks are running or waiting: the sign-in should be tried again in a moment. */
export class SignInBusyError extends BotError {}

/** How many password checks may run, and wait, at once. */
export interface PasswordCheckLimitOptions {
  /** Checks running at once (default 2). */
  readonly concurrency?: number;
  /** Checks waiting for a turn (default 16); one more is refused with {@link SignInBusyError}. */
  readonly queue?: number;
}

/**
 * Caps the argon2 verifications a sign-in burst can start. Each costs 64 MiB
 * and tens of milliseconds in libuv's thread pool (four threads by default),
 * which file reads, DNS and compression share: unbounded, a burst of sign-ins
 * would stall every other request, message handling included. Beyond the
 * queue, a check is refused at once rather than left waiting.
 */
export class PasswordCheckLimit {
  readonly #limit: LimitFunction;
  readonly #capacity: number;

  constructor({ concurrency = 2, queue = 16 }: PasswordCheckLimitOptions = {}) {
    this.#limit = pLimit(concurrency);
    this.#capacity = concurrency + queue;
  }

  /** Runs `check` when a place is free; rejects with {@link SignInBusyError}, without running it, when the queue is full. */
  run<T>(check: () => Promise<T>): Promise<T> {
    if (this.#limit.activeCount + this.#limit.pendingCount >= this.#capacity) {
      return Promise.reject(new SignInBusyError('too many sign-ins are being checked at once'));
    }
    return this.#limit(check);
  }
}
