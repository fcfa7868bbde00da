import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLog, AuditQuery } from '../../src/handoff/handoff-model.js';
import { MemoryAuditLog } from '../../src/storage/memory/audit-log.js';
import { RedisAuditLog } from '../../src/storage/redis/audit-log.js';
import { useTestRedis } from '../support/handoff-backends.js';

const redis = useTestRedis();
const DAY = 24 * 3600_000;
/** 10 March 2026, noon UTC: entries are given realistic times. */
const T0 = Date.UTC(2026, 2, 10, 12);

const backends: { name: string; make: (retentionDays?: number) => Promise<AuditLog> }[] = [
  { name: 'MemoryAuditLog', make: async (retentionDays) => new MemoryAuditLog(retentionDays === undefined ? {} : { retentionDays }) },
  {
    name: 'RedisAuditLog',
    make: async (retentionDays) =>
      new RedisAuditLog({ client: await redis.client(), keys: redis.keys(), ...(retentionDays === undefined ? {} : { retentionDays }) }),
  },
];

const entry = (at: number, action: AuditEntry['action'] = 'viewed', handler = 'alice', ticketId = `ticket-${at}`): AuditEntry => ({
  at,
  handler,
  action,
  ticketId,
});

/** Every page of a query, following the cursor, with the size of each page. */
async function allPages(log: AuditLog, query: AuditQuery): Promise<{ entries: AuditEntry[]; sizes: number[] }> {
  const entries: AuditEntry[] = [];
  const sizes: number[] = [];
  let page = await log.query(query);
  for (;;) {
    entries.push(...page.entries);
    sizes.push(page.entries.length);
    if (!page.next) return { entries, sizes };
    page = await log.query({ ...query, after: page.next });
  }
}

describe.each(backends)('$name', ({ make }) => {
  it('lists entries newest first, up to the limit asked for', async () => {
    const log = await make();
    await log.append({ at: T0 + 1, handler: 'alice', action: 'signed-in' });
    await log.append(entry(T0 + 2, 'claimed'));
    await log.append(entry(T0 + 3, 'replied'));
    await log.append(entry(T0 + 4, 'ended'));
    expect(await log.list()).toEqual([entry(T0 + 4, 'ended'), entry(T0 + 3, 'replied'), entry(T0 + 2, 'claimed'), { at: T0 + 1, handler: 'alice', action: 'signed-in' }]);
    expect((await log.list(2)).map((e) => e.at)).toEqual([T0 + 4, T0 + 3]);
    expect(await log.list(0)).toEqual([]);
  });

  it('keeps every entry of the retention period, however many: no cap by count', async () => {
    const log = await make();
    const total = 10_050;
    for (let start = 0; start < total; start += 500) {
      await Promise.all(Array.from({ length: Math.min(500, total - start) }, (_, i) => log.append(entry(T0 + start + i))));
    }
    const oldest = await log.query({ to: T0 + 9, limit: 200 });
    expect(oldest.entries.map((e) => e.at)).toEqual(Array.from({ length: 10 }, (_, i) => T0 + 9 - i));
    expect((await log.query({ limit: 1 })).entries[0]?.at).toBe(T0 + total - 1);
  }, 60_000);

  it('drops entries older than the retention period, counted back from the newest entry written', async () => {
    const log = await make(30);
    await log.append(entry(T0, 'claimed'));
    await log.append(entry(T0 + 10 * DAY, 'replied'));
    await log.append(entry(T0 + 29 * DAY, 'ended'));
    expect((await log.list()).map((e) => e.at)).toEqual([T0 + 29 * DAY, T0 + 10 * DAY, T0]);
    await log.append(entry(T0 + 31 * DAY, 'signed-out'));
    expect((await log.list()).map((e) => e.at)).toEqual([T0 + 31 * DAY, T0 + 29 * DAY, T0 + 10 * DAY]);
    expect((await log.query({ ticketId: `ticket-${T0}` })).entries).toEqual([]);
    expect((await log.query({ handler: 'alice', limit: 10 })).entries).toHaveLength(3);
  });

  it('filters by handler (as actor, or as the one taken over from), by ticket and by an inclusive date range, newest first', async () => {
    const log = await make();
    await log.append(entry(T0, 'claimed', 'alice', 't-1'));
    await log.append(entry(T0 + 1_000, 'replied', 'alice', 't-1'));
    await log.append(entry(T0 + 2_000, 'viewed', 'bob', 't-1'));
    await log.append({ at: T0 + 3_000, handler: 'sam', action: 'taken-over', ticketId: 't-1', about: 'alice' });
    await log.append(entry(T0 + 4_000, 'claimed', 'bob', 't-2'));
    await log.append({ at: T0 + 5_000, handler: 'bob', action: 'signed-out' });
    const ats = async (query: AuditQuery) => (await log.query(query)).entries.map((e) => e.at - T0);
    expect(await ats({ handler: 'alice' })).toEqual([3_000, 1_000, 0]);
    expect(await ats({ handler: 'bob' })).toEqual([5_000, 4_000, 2_000]);
    expect(await ats({ ticketId: 't-1' })).toEqual([3_000, 2_000, 1_000, 0]);
    expect(await ats({ ticketId: 't-1', handler: 'bob' })).toEqual([2_000]);
    expect(await ats({ from: T0 + 1_000, to: T0 + 4_000 })).toEqual([4_000, 3_000, 2_000, 1_000]);
    expect(await ats({ handler: 'bob', from: T0 + 3_000 })).toEqual([5_000, 4_000]);
    expect(await ats({ handler: 'carol' })).toEqual([]);
    expect(await ats({ ticketId: 'no-such-ticket' })).toEqual([]);
  });

  it.each([
    ['no filter', {}],
    ['a handler', { handler: 'alice' }],
    ['a ticket', { ticketId: 't-1' }],
    ['a ticket and a handler', { ticketId: 't-1', handler: 'alice' }],
    ['a date range', { from: T0 + 2, to: T0 + 40 }],
  ] as const)('pages through %s newest first, every entry once, even many in the same millisecond and new ones arriving meanwhile', async (_name, filter) => {
    const log = await make();
    const written: AuditEntry[] = [];
    for (let i = 0; i < 45; i++) {
      // Three entries share each millisecond.
      const e = entry(T0 + Math.floor(i / 3), i % 2 === 0 ? 'viewed' : 'noted', i % 4 === 0 ? 'bob' : 'alice', 't-1');
      written.push(e);
      await log.append(e);
    }
    const query: AuditQuery = { ...filter, limit: 7 };
    const first = await log.query(query);
    await log.append(entry(T0 + 100, 'ended', 'alice', 't-1'));
    const { entries, sizes } = await allPages(log, { ...query, after: first.next });
    const seen = [...first.entries, ...entries];
    const expected = written
      .filter((e) => (!('handler' in filter) || e.handler === filter.handler) && (!('from' in filter) || (e.at >= filter.from && e.at <= filter.to)))
      .map((e) => JSON.stringify(e))
      .sort();
    expect(seen.map((e) => JSON.stringify(e)).sort()).toEqual(expected);
    expect(seen.map((e) => e.at)).toEqual([...seen.map((e) => e.at)].sort((a, b) => b - a));
    expect(first.entries).toHaveLength(Math.min(7, expected.length));
    expect(sizes.slice(0, -1).every((n) => n === 7)).toBe(true);
  });

  it('says there is no next page when the last page is exactly full', async () => {
    const log = await make();
    for (let i = 0; i < 4; i++) await log.append(entry(T0 + i));
    const page = await log.query({ limit: 4 });
    expect(page.entries).toHaveLength(4);
    expect(page.next).toBeUndefined();
  });

  it('stores only the audit fields, so message text passed by mistake is never kept', async () => {
    const log = await make();
    const careless = { ...entry(T0, 'replied'), text: 'I am 15 and he has my photos' } as AuditEntry;
    await log.append(careless);
    const [stored] = await log.list();
    expect(stored).toEqual(entry(T0, 'replied'));
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

describe('RedisAuditLog', () => {
  it('keeps the log in sorted sets scored by time: the whole log, one per handler and one per ticket, each with its retention', async () => {
    const client = await redis.client();
    const keys = redis.keys();
    const log = new RedisAuditLog({ client, keys, retentionDays: 2 });
    await log.append({ at: T0, handler: 'sam', action: 'taken-over', ticketId: 't-1', about: 'alice' });
    const prefix = `${keys.prefix}:handoff:audit-log`;
    expect((await client.keys(`${prefix}*`)).sort()).toEqual([prefix, `${prefix}:handler:alice`, `${prefix}:handler:sam`, `${prefix}:ticket:t-1`].sort());
    expect(await client.zScore(prefix, (await client.zRange(prefix, 0, 0))[0] as string)).toBe(T0);
    for (const key of [`${prefix}:handler:alice`, `${prefix}:ticket:t-1`]) {
      const ttl = await client.pTTL(key);
      expect(ttl).toBeGreaterThan(2 * DAY - 60_000);
      expect(ttl).toBeLessThanOrEqual(2 * DAY);
    }
  });

  it('moves entries from the older capped list into the log once, keeping them', async () => {
    const client = await redis.client();
    const keys = redis.keys();
    const legacy = `${keys.prefix}:handoff:audit`;
    await client.lPush(legacy, [JSON.stringify(entry(T0, 'claimed')), JSON.stringify(entry(T0 + 1, 'replied'))]);
    const [a, b] = [new RedisAuditLog({ client, keys }), new RedisAuditLog({ client: await redis.client(), keys })];
    const [fromA, fromB] = await Promise.all([a.list(), b.list()]);
    expect(fromA).toEqual([entry(T0 + 1, 'replied'), entry(T0, 'claimed')]);
    expect(fromB).toEqual(fromA);
    expect(await client.exists(legacy)).toBe(0);
    expect(await client.keys(`${legacy}:*`)).toEqual([]);
    expect((await a.query({ ticketId: `ticket-${T0}` })).entries).toEqual([entry(T0, 'claimed')]);
  });
});
