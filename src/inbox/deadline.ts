import { BotError } from '../core/errors.js';

/** Redis gave no answer in time. */
export class RedisDeadlineError extends BotError {
  constructor(ms: number) {
    super(`Redis did not answer within ${ms} ms`);
  }
}

/** Rejects when `work` takes longer than `ms`: one plain timer, cleared as soon as the answer comes. */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisDeadlineError(ms)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
