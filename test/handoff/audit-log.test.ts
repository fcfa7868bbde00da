import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLog } from '../../src/handoff/handoff-model.js';
import { MemoryAuditLog } from '../../src/handoff/memory-audit-log.js';
import { RedisAuditLog } from '../../src/handoff/redis-audit-log.js';
import { useTestRedis } from './handoff-backends.js';

const redis = useTestRedis();

const backends: { name: string; make: (maxEntries?: number) => Promise<AuditLog> }[] = [
  { name: 'MemoryAuditLog', make: async (maxEntries) => new MemoryAuditLog(maxEntries === undefined ? {} : { maxEntries }) },
  {
    name: 'RedisAuditLog',
    make: async (maxEntries) => new RedisAuditLog({ client: await redis.client(), keys: redis.keys(), ...(maxEntries === undefined ? {} : { maxEntries }) }),
  },
];

const entry = (at: number, action: AuditEntry['action'] = 'viewed'): AuditEntry => ({ at, handler: 'alice', action, ticketId: `ticket-${at}` });

describe.each(backends)('$name', ({ make }) => {
  it('lists entries newest first, up to the limit asked for', async () => {
    const log = await make();
    await log.append({ at: 1, handler: 'alice', action: 'signed-in' });
    await log.append(entry(2, 'claimed'));
    await log.append(entry(3, 'replied'));
    await log.append(entry(4, 'ended'));
    expect(await log.list()).toEqual([entry(4, 'ended'), entry(3, 'replied'), entry(2, 'claimed'), { at: 1, handler: 'alice', action: 'signed-in' }]);
    expect((await log.list(2)).map((e) => e.at)).toEqual([4, 3]);
    expect(await log.list(0)).toEqual([]);
  });

  it('lists the newest 100 when no limit is given', async () => {
    const log = await make();
    for (let i = 1; i <= 120; i++) await log.append(entry(i));
    const listed = await log.list();
    expect(listed).toHaveLength(100);
    expect(listed[0]?.at).toBe(120);
    expect(listed[99]?.at).toBe(21);
  });

  it('drops the oldest entries beyond its cap', async () => {
    const log = await make(3);
    for (let i = 1; i <= 5; i++) await log.append(entry(i));
    expect((await log.list(10)).map((e) => e.at)).toEqual([5, 4, 3]);
  });

  it('stores only the audit fields, so message text passed by mistake is never kept', async () => {
    const log = await make();
    const careless = { ...entry(1, 'replied'), text: 'I am 15 and he has my photos' } as AuditEntry;
    await log.append(careless);
    const [stored] = await log.list();
    expect(stored).toEqual(entry(1, 'replied'));
    expect(JSON.stringify(await log.list())).not.toContain('photos');
  });
});

describe.each(backends)('$name, sign-in records', ({ make }) => {
  it('keeps the client address of a failed or slowed-down sign-in', async () => {
    const log = await make();
    await log.append({ at: 1, handler: '(unknown)', action: 'sign-in-failed', address: '192.0.2.7' });
    await log.append({ at: 2, handler: 'alice', action: 'sign-in-throttled', address: '2001:db8::1' });
    expect(await log.list()).toEqual([
      { at: 2, handler: 'alice', action: 'sign-in-throttled', address: '2001:db8::1' },
      { at: 1, handler: '(unknown)', action: 'sign-in-failed', address: '192.0.2.7' },
    ]);
  });
});
