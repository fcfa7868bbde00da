import { describe, expect, it } from 'vitest';
import { PRIORITY, type HandoffQueue } from '../../src/handoff/handoff-model.js';
import { MemoryHandoffQueue } from '../../src/storage/memory/handoff-queue.js';
import { RedisHandoffQueue } from '../../src/storage/redis/handoff-queue.js';
import { newTicket, useTestRedis } from '../support/handoff-backends.js';

const redis = useTestRedis();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const backends: { name: string; make: () => Promise<HandoffQueue> }[] = [
  { name: 'MemoryHandoffQueue', make: async () => new MemoryHandoffQueue() },
  { name: 'RedisHandoffQueue', make: async () => new RedisHandoffQueue({ client: await redis.client(), keys: redis.keys() }) },
];

describe.each(backends)('$name', ({ make }) => {
  it('queues a new conversation with a random id, its priority from the flags and the time it was queued', async () => {
    const queue = await make();
    const ticket = await queue.enqueue(newTicket({ flags: { crisis: false, danger: false, under18: true } }), 1_000);
    expect(ticket.id).toMatch(UUID);
    expect(ticket).toMatchObject({ conversationKey: 'telegram:424242', status: 'queued', priority: PRIORITY.child, queuedAt: 1_000 });
    expect(ticket.claimedBy).toBeUndefined();
    expect(await queue.get(ticket.id)).toEqual(ticket);
    expect(await queue.byConversation('telegram:424242')).toEqual(ticket);
    const other = await queue.enqueue(newTicket({ conversationKey: 'telegram:7' }), 1_000);
    expect(other.id).not.toBe(ticket.id);
  });

  it('finds nothing for an unknown id or conversation', async () => {
    const queue = await make();
    expect(await queue.get('no-such-ticket')).toBeUndefined();
    expect(await queue.byConversation('telegram:1')).toBeUndefined();
    expect(await queue.list()).toEqual([]);
  });

  it('lists danger and crisis first, then under-18s, then the rest, oldest first within each, claimed ones included', async () => {
    const queue = await make();
    const adultOld = await queue.enqueue(newTicket({ conversationKey: 'c:1' }), 100);
    const adultNew = await queue.enqueue(newTicket({ conversationKey: 'c:2' }), 200);
    const child = await queue.enqueue(newTicket({ conversationKey: 'c:3', flags: { crisis: false, danger: false, under18: true } }), 300);
    const danger = await queue.enqueue(newTicket({ conversationKey: 'c:4', reason: 'danger', flags: { crisis: false, danger: true, under18: false } }), 500);
    const crisis = await queue.enqueue(newTicket({ conversationKey: 'c:5', reason: 'crisis', flags: { crisis: true, danger: false, under18: true } }), 400);
    await queue.claim(adultNew.id, 'alice', 600);
    expect((await queue.list()).map((t) => t.id)).toEqual([crisis.id, danger.id, child.id, adultOld.id, adultNew.id]);
    expect((await queue.list()).find((t) => t.id === adultNew.id)).toMatchObject({ status: 'claimed', claimedBy: 'alice' });
  });

  it('re-queueing a conversation keeps its ticket, its age and every flag once set, and only ever raises its priority', async () => {
    const queue = await make();
    const first = await queue.enqueue(newTicket({ flags: { crisis: false, danger: false, under18: false, paid: true } }), 100);
    await queue.enqueue(newTicket({ conversationKey: 'c:older-child', flags: { crisis: false, danger: false, under18: true } }), 50);

    const raised = await queue.enqueue(
      newTicket({ reason: 'crisis', flags: { crisis: true, danger: false, under18: false, paid: false }, locale: 'cy' }),
      900,
    );
    expect(raised).toMatchObject({ id: first.id, queuedAt: 100, priority: PRIORITY.urgent, reason: 'crisis', locale: 'cy' });
    expect(raised.flags).toEqual({ crisis: true, danger: false, under18: false, paid: true });
    expect((await queue.list())[0]?.id).toBe(first.id);

    const calmer = await queue.enqueue(newTicket({ answers: { ageGroup: 'adult', knownPerson: true, stepsSeen: ['welcome'] } }), 1_000);
    expect(calmer).toMatchObject({ id: first.id, queuedAt: 100, priority: PRIORITY.urgent, reason: 'crisis' });
    expect(calmer.flags.crisis).toBe(true);
    expect(calmer.answers).toEqual({ ageGroup: 'adult', knownPerson: true, stepsSeen: ['welcome'] });
    expect(await queue.get(first.id)).toEqual(calmer);
    expect(await queue.list()).toHaveLength(2);
  });

  it('records whether they paid once it is known, and keeps "paid" once said', async () => {
    const queue = await make();
    const unknown = await queue.enqueue(newTicket(), 1);
    expect(unknown.flags.paid).toBeUndefined();
    expect((await queue.enqueue(newTicket({ flags: { crisis: false, danger: false, under18: false, paid: false } }), 2)).flags.paid).toBe(false);
    expect((await queue.enqueue(newTicket(), 3)).flags.paid).toBe(false);
    expect((await queue.enqueue(newTicket({ flags: { crisis: false, danger: false, under18: false, paid: true } }), 4)).flags.paid).toBe(true);
    expect((await queue.enqueue(newTicket({ flags: { crisis: false, danger: false, under18: false, paid: false } }), 5)).flags.paid).toBe(true);
  });

  it('re-queueing a claimed conversation leaves it with the handler who holds it', async () => {
    const queue = await make();
    const ticket = await queue.enqueue(newTicket(), 100);
    await queue.claim(ticket.id, 'alice', 200);
    const again = await queue.enqueue(newTicket({ reason: 'danger', flags: { crisis: false, danger: true, under18: false } }), 300);
    expect(again).toMatchObject({ id: ticket.id, status: 'claimed', claimedBy: 'alice', claimedAt: 200, priority: PRIORITY.urgent });
  });

  it('claims a queued ticket once: a second claim, or a claim of an unknown ticket, gets nothing', async () => {
    const queue = await make();
    const ticket = await queue.enqueue(newTicket(), 100);
    const claimed = await queue.claim(ticket.id, 'alice', 250);
    expect(claimed).toMatchObject({ id: ticket.id, status: 'claimed', claimedBy: 'alice', claimedAt: 250, lastActivityAt: 250, queuedAt: 100 });
    expect(await queue.claim(ticket.id, 'bob', 260)).toBeUndefined();
    expect(await queue.claim(ticket.id, 'alice', 270)).toBeUndefined();
    expect(await queue.get(ticket.id)).toEqual(claimed);
    expect(await queue.claim('no-such-ticket', 'bob', 280)).toBeUndefined();
  });

  it('gives exactly one success when ten claims of one ticket arrive together', async () => {
    const queue = await make();
    const ticket = await queue.enqueue(newTicket(), 100);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => queue.claim(ticket.id, `handler-${i}`, 200)));
    const winners = results.filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    expect((await queue.get(ticket.id))?.claimedBy).toBe(winners[0]?.claimedBy);
  });

  it('releases a ticket only for the handler who holds it, back to its old place in the queue', async () => {
    const queue = await make();
    const older = await queue.enqueue(newTicket({ conversationKey: 'c:1' }), 100);
    const newer = await queue.enqueue(newTicket({ conversationKey: 'c:2' }), 200);
    await queue.claim(older.id, 'alice', 300);
    expect(await queue.release(older.id, 'bob', 310)).toBeUndefined();
    expect(await queue.release(newer.id, 'alice', 310)).toBeUndefined();
    expect(await queue.release('no-such-ticket', 'alice', 310)).toBeUndefined();

    const released = await queue.release(older.id, 'alice', 350);
    expect(released).toEqual({ ...older, status: 'queued', requeuedAt: 350 });
    expect(released?.claimedBy).toBeUndefined();
    expect(released?.claimedAt).toBeUndefined();
    expect(released?.lastActivityAt).toBeUndefined();
    expect((await queue.list()).map((t) => t.id)).toEqual([older.id, newer.id]);
    expect(await queue.claim(older.id, 'bob', 400)).toMatchObject({ claimedBy: 'bob' });
  });

  it('records the holder’s activity on a claimed ticket, and only the holder’s', async () => {
    const queue = await make();
    const ticket = await queue.enqueue(newTicket(), 100);
    expect(await queue.touch(ticket.id, 'alice', 150)).toBe(false);
    await queue.claim(ticket.id, 'alice', 200);
    expect(await queue.touch(ticket.id, 'bob', 300)).toBe(false);
    expect(await queue.touch('no-such-ticket', 'alice', 300)).toBe(false);
    expect((await queue.get(ticket.id))?.lastActivityAt).toBe(200);
    expect(await queue.touch(ticket.id, 'alice', 400)).toBe(true);
    expect(await queue.get(ticket.id)).toMatchObject({ claimedAt: 200, lastActivityAt: 400 });
    expect((await queue.list())[0]?.lastActivityAt).toBe(400);
  });

  it('releases an idle claim only if the holder has not acted since the idle cut-off', async () => {
    const queue = await make();
    const ticket = await queue.enqueue(newTicket(), 100);
    await queue.claim(ticket.id, 'alice', 200);
    await queue.touch(ticket.id, 'alice', 500);
    expect(await queue.release(ticket.id, 'alice', 900, { idleSince: 499 })).toBeUndefined();
    expect((await queue.get(ticket.id))?.status).toBe('claimed');
    expect(await queue.release(ticket.id, 'alice', 900, { idleSince: 500 })).toMatchObject({ status: 'queued', requeuedAt: 900, queuedAt: 100 });
  });

  it('hands a claimed ticket from its holder to another handler at once, and only from the holder named', async () => {
    const queue = await make();
    const ticket = await queue.enqueue(newTicket(), 100);
    expect(await queue.reassign(ticket.id, 'alice', 'sam', 150)).toBeUndefined();
    await queue.claim(ticket.id, 'alice', 200);
    expect(await queue.reassign(ticket.id, 'bob', 'sam', 300)).toBeUndefined();
    expect(await queue.reassign('no-such-ticket', 'alice', 'sam', 300)).toBeUndefined();
    const moved = await queue.reassign(ticket.id, 'alice', 'sam', 300);
    expect(moved).toMatchObject({ id: ticket.id, status: 'claimed', claimedBy: 'sam', claimedAt: 300, lastActivityAt: 300, queuedAt: 100 });
    expect(await queue.get(ticket.id)).toEqual(moved);
    expect(await queue.release(ticket.id, 'alice', 400)).toBeUndefined();
    expect(await queue.touch(ticket.id, 'alice', 400)).toBe(false);
    const results = await Promise.all([queue.reassign(ticket.id, 'sam', 'kim', 500), queue.reassign(ticket.id, 'sam', 'lee', 500)]);
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
  });

  it('removes a ticket and everything that finds it; queueing again afterwards starts a new ticket', async () => {
    const queue = await make();
    const ticket = await queue.enqueue(newTicket(), 100);
    const other = await queue.enqueue(newTicket({ conversationKey: 'c:other' }), 150);
    await queue.claim(ticket.id, 'alice', 200);
    expect(await queue.remove(ticket.id)).toMatchObject({ id: ticket.id, status: 'claimed', claimedBy: 'alice' });
    expect(await queue.get(ticket.id)).toBeUndefined();
    expect(await queue.byConversation('telegram:424242')).toBeUndefined();
    expect((await queue.list()).map((t) => t.id)).toEqual([other.id]);
    expect(await queue.remove(ticket.id)).toBeUndefined();
    expect(await queue.claim(ticket.id, 'bob', 300)).toBeUndefined();

    const fresh = await queue.enqueue(newTicket(), 500);
    expect(fresh.id).not.toBe(ticket.id);
    expect(fresh).toMatchObject({ queuedAt: 500, status: 'queued' });
  });
});

describe('RedisHandoffQueue across instances', () => {
  it('lets two instances, racing to claim one ticket 20 times over, succeed exactly once each time', async () => {
    const keys = redis.keys();
    const a = new RedisHandoffQueue({ client: await redis.client(), keys });
    const b = new RedisHandoffQueue({ client: await redis.client(), keys });
    for (let round = 0; round < 20; round++) {
      const ticket = await a.enqueue(newTicket({ conversationKey: `telegram:${round}` }), round);
      const results = await Promise.all([a.claim(ticket.id, 'alice', 1_000), b.claim(ticket.id, 'bob', 1_000)]);
      const winners = results.filter((r) => r !== undefined);
      expect(winners).toHaveLength(1);
      const stored = await b.get(ticket.id);
      expect(stored?.claimedBy).toBe(winners[0]?.claimedBy);
    }
  });

  it('shares one ticket per conversation when two instances queue the same person at once', async () => {
    const keys = redis.keys();
    const a = new RedisHandoffQueue({ client: await redis.client(), keys });
    const b = new RedisHandoffQueue({ client: await redis.client(), keys });
    const [one, two] = await Promise.all([
      a.enqueue(newTicket({ flags: { crisis: true, danger: false, under18: false } }), 100),
      b.enqueue(newTicket({ flags: { crisis: false, danger: false, under18: true } }), 100),
    ]);
    expect(one.id).toBe(two.id);
    const stored = await a.get(one.id);
    expect(stored?.flags).toMatchObject({ crisis: true, under18: true });
    expect(stored?.priority).toBe(PRIORITY.urgent);
    expect(await b.list()).toHaveLength(1);
  });

  it('sees on one instance what another queued, claimed and removed', async () => {
    const keys = redis.keys();
    const a = new RedisHandoffQueue({ client: await redis.client(), keys });
    const b = new RedisHandoffQueue({ client: await redis.client(), keys });
    const ticket = await a.enqueue(newTicket(), 100);
    expect(await b.byConversation('telegram:424242')).toEqual(ticket);
    await b.claim(ticket.id, 'bob', 200);
    expect((await a.get(ticket.id))?.claimedBy).toBe('bob');
    await b.remove(ticket.id);
    expect(await a.list()).toEqual([]);
  });
});
