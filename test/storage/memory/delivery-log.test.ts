import { describe, expect, it } from 'vitest';
import { MemoryDeliveryLog } from '../../../src/storage/memory/delivery-log.js';

describe('MemoryDeliveryLog', () => {
  it('says a delivery is new exactly once', async () => {
    const log = new MemoryDeliveryLog();
    expect(await log.firstSeen('telegram:1')).toBe(true);
    expect(await log.firstSeen('telegram:1')).toBe(false);
    expect(await log.firstSeen('telegram:2')).toBe(true);
  });

  it('forgets an id on request, so a redelivery after a failure is handled', async () => {
    const log = new MemoryDeliveryLog();
    await log.firstSeen('x');
    await log.forget('x');
    expect(await log.firstSeen('x')).toBe(true);
  });

  it('remembers ids for its TTL and within its size bound', async () => {
    let now = 0;
    const log = new MemoryDeliveryLog({ ttlMs: 100, maxEntries: 3, now: () => now });
    for (const id of ['a', 'b', 'c', 'd']) await log.firstSeen(id);
    expect(await log.firstSeen('a')).toBe(true); // evicted as the oldest
    now = 150;
    expect(await log.firstSeen('d')).toBe(true); // expired
  });
});
