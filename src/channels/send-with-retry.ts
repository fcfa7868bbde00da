import { DeliveryError } from '../core/errors.js';

/** How persistently to retry a send that the platform rate-limited. */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts?: number;
  /** Never wait longer than this for one retry; a longer `retry_after` fails the delivery instead. */
  readonly maxWaitMs?: number;
  /** Waits; injectable so tests need not sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs one platform call, retrying when it fails with a {@link DeliveryError}
 * that carries `retryAfterMs` (the platform's 429 answer), up to a bound.
 * Every other failure is passed on unchanged at once: retrying a refused or
 * malformed request only repeats it.
 */
export async function sendWithRetry<T>(
  call: () => Promise<T>,
  { maxAttempts = 3, maxWaitMs = 30_000, sleep = defaultSleep }: RetryOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const wait = error instanceof DeliveryError ? error.retryAfterMs : undefined;
      if (wait === undefined || attempt >= maxAttempts || wait > maxWaitMs) throw error;
      await sleep(wait);
    }
  }
}
