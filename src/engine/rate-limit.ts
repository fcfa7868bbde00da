/** How many messages one person may send in a window before being asked to slow down. */
export interface RateLimit {
  readonly windowMs: number;
  readonly maxMessages: number;
}

/** Generous enough for someone tapping quickly through every step; stops floods. */
export const DEFAULT_RATE_LIMIT: RateLimit = { windowMs: 60_000, maxMessages: 30 };

/**
 * A sliding-window count over the times of recent messages. Pure: takes the
 * stored times and returns the new list (including this message) and whether
 * the message is within the limit. The list never holds more than the limit
 * plus one entry, so the stored record stays small.
 */
export function admitMessage(
  recent: readonly number[],
  now: number,
  { windowMs, maxMessages }: RateLimit = DEFAULT_RATE_LIMIT,
): { recent: number[]; allowed: boolean } {
  const kept = recent.filter((t) => t > now - windowMs && t <= now);
  kept.push(now);
  const allowed = kept.length <= maxMessages;
  return { recent: kept.slice(-(maxMessages + 1)), allowed };
}
