import type { DeliveryError } from '../core/errors.js';
import { sendWithRetry, type RetryOptions } from './send-with-retry.js';

/**
 * Runs one platform deletion per item (an id, or a batch of ids), in order,
 * each retried on the platform's 429 like a send. An item the platform
 * refuses is reported in `failed` and the rest still run: clearing a chat
 * must say honestly what is left, never stop halfway or fail the turn.
 */
export async function deleteEach<T>(
  items: readonly T[],
  remove: (item: T) => Promise<unknown>,
  toError: (error: unknown) => DeliveryError,
  retry?: RetryOptions,
): Promise<{ done: T[]; failed: T[] }> {
  const done: T[] = [];
  const failed: T[] = [];
  for (const item of items) {
    try {
      await sendWithRetry(async () => {
        try {
          return await remove(item);
        } catch (error) {
          throw toError(error);
        }
      }, retry);
      done.push(item);
    } catch {
      failed.push(item);
    }
  }
  return { done, failed };
}
