import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/core/errors.js';
import { sendWithRetry } from '../../src/channels/send-with-retry.js';

describe('sendWithRetry', () => {
  it('retries after the platform says when, then succeeds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await sendWithRetry(
      async () => {
        calls++;
        if (calls === 1) throw new DeliveryError('429', { retryAfterMs: 1500 });
        return 'sent';
      },
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('sent');
    expect(waits).toEqual([1500]);
  });

  it('gives up after maxAttempts', async () => {
    let calls = 0;
    await expect(
      sendWithRetry(
        async () => {
          calls++;
          throw new DeliveryError('429', { retryAfterMs: 1 });
        },
        { maxAttempts: 3, sleep: async () => {} },
      ),
    ).rejects.toBeInstanceOf(DeliveryError);
    expect(calls).toBe(3);
  });

  it('does not retry failures without retry advice, nor waits beyond the bound', async () => {
    let calls = 0;
    const fail = (retryAfterMs?: number) =>
      sendWithRetry(
        async () => {
          calls++;
          throw new DeliveryError('nope', retryAfterMs === undefined ? {} : { retryAfterMs });
        },
        { maxWaitMs: 1000, sleep: async () => {} },
      );
    await expect(fail()).rejects.toThrow('nope');
    await expect(fail(60_000)).rejects.toThrow('nope');
    expect(calls).toBe(2);
  });
});
