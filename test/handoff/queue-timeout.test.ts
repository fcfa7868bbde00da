import { describe, expect, it } from 'vitest';
import { createHandoffDesk } from '../../src/handoff/handoff-desk.js';
import { type HandlerPayload, type HandoffTicket, SYSTEM_ACTOR } from '../../src/handoff/handoff-model.js';
import { QueueTimeout, type QueueTimeouts } from '../../src/handoff/queue-timeout.js';
import { captureLog } from '../support/captured-log.js';
import { newTicket, storeBackends, useTestRedis } from '../support/handoff-backends.js';

const MINUTE = 60_000;
const TIMEOUTS: QueueTimeouts = { normalMs: 10 * MINUTE, urgentMs: 30 * MINUTE };
const redis = useTestRedis();

describe.each(storeBackends(redis))('QueueTimeout on $name', ({ make }) => {
  async function timeoutOn() {
    const stores = await make();
    const delivered: { key: string; payload: HandlerPayload }[] = [];
    const timedOut: HandoffTicket[] = [];
    const log = captureLog();
    const desk = createHandoffDesk({
      ...stores,
      deliver: async (key, payload) => {
        delivered.push({ key, payload });
      },
      savedReplies: () => [],
      queueTimeouts: TIMEOUTS,
    });
    const timeout = new QueueTimeout({
      queue: stores.queue,
      desk,
      hashKey: (key) => `hash-of-${key.length}`,
      logger: log.logger,
      timeouts: TIMEOUTS,
      onTimedOut: (ticket) => timedOut.push(ticket),
    });
    return { ...stores, desk, timeout, delivered, timedOut, log };
  }

  it('tells people who waited longer than the time-out, removes them, audits it and writes it in the transcript, once', async () => {
    const { queue, desk, timeout, delivered, timedOut, audit, transcripts } = await timeoutOn();
    const old = await queue.enqueue(newTicket({ conversationKey: 'telegram:1' }), 0);
    await queue.enqueue(newTicket({ conversationKey: 'telegram:2' }), 5 * MINUTE);
    expect(await timeout.sweep(10 * MINUTE - 1)).toBe(0);
    expect(await timeout.sweep(10 * MINUTE)).toBe(1);
    expect(delivered).toEqual([{ key: 'telegram:1', payload: { type: 'handler', action: 'timeout' } }]);
    expect(timedOut.map((t) => t.id)).toEqual([old.id]);
    expect(await queue.get(old.id)).toBeUndefined();
    expect(await audit.list(5)).toContainEqual({ at: 10 * MINUTE, handler: SYSTEM_ACTOR, action: 'timed-out', ticketId: old.id });
    expect((await transcripts.read('telegram:1')).map((e) => e.text)).toEqual([
      'Nobody picked up within 10 minutes. The person was told, and given the other ways to get help.',
    ]);
    expect(await timeout.sweep(10 * MINUTE)).toBe(0);
    expect((await desk.queue(10 * MINUTE)).map((t) => t.timesOutInSeconds)).toEqual([5 * 60]);
  });

  it('lets someone in crisis or danger wait for the longer urgent time-out, and shows handlers the time left', async () => {
    const { queue, desk, timeout, delivered } = await timeoutOn();
    const crisis = await queue.enqueue(newTicket({ conversationKey: 'telegram:3', reason: 'crisis', flags: { crisis: true, danger: false, under18: false } }), 0);
    const danger = await queue.enqueue(newTicket({ conversationKey: 'telegram:4', reason: 'danger', flags: { crisis: false, danger: true, under18: false } }), 0);
    const child = await queue.enqueue(newTicket({ conversationKey: 'telegram:5', reason: 'child-at-risk', flags: { crisis: false, danger: false, under18: true } }), 0);
    const left = Object.fromEntries((await desk.queue(4 * MINUTE)).map((t) => [t.id, t.timesOutInSeconds]));
    expect(left).toEqual({ [crisis.id]: 26 * 60, [danger.id]: 26 * 60, [child.id]: 6 * 60 });
    expect(await timeout.sweep(10 * MINUTE)).toBe(1);
    expect(delivered.map((d) => d.key)).toEqual(['telegram:5']);
    expect(await timeout.sweep(30 * MINUTE - 1)).toBe(0);
    expect(await timeout.sweep(30 * MINUTE)).toBe(2);
    expect(delivered.map((d) => d.key).sort()).toEqual(['telegram:3', 'telegram:4', 'telegram:5']);
  });

  it('logs each time-out as one line with the hashed conversation and no text: an error for an urgent ticket, a warning otherwise', async () => {
    const { queue, timeout, log } = await timeoutOn();
    const urgent = await queue.enqueue(newTicket({ conversationKey: 'telegram:6', reason: 'crisis', flags: { crisis: true, danger: false, under18: false } }), 0);
    const normal = await queue.enqueue(newTicket({ conversationKey: 'telegram:7' }), 0);
    expect(await timeout.sweep(30 * MINUTE)).toBe(2);
    const lines = log.entries().filter((e) => e.event === 'handoff.timed-out');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'error', ticket: urgent.id, conversation: 'hash-of-10', reason: 'crisis', urgent: true, waitedSeconds: 1800 }),
      expect.objectContaining({ level: 'warn', ticket: normal.id, conversation: 'hash-of-10', reason: 'requested', urgent: false, waitedSeconds: 1800 }),
    ]);
    expect(log.raw.join('\n')).not.toContain('telegram:');
  });

  it('never times out a conversation a handler holds', async () => {
    const { queue, timeout, delivered } = await timeoutOn();
    const ticket = await queue.enqueue(newTicket(), 0);
    await queue.claim(ticket.id, 'alice', MINUTE);
    expect(await timeout.sweep(60 * MINUTE)).toBe(0);
    expect(delivered).toEqual([]);
  });

  it('leaves a ticket claimed between the check and the removal with its handler', async () => {
    const { queue, desk, delivered } = await timeoutOn();
    const ticket = await queue.enqueue(newTicket(), 0);
    await queue.claim(ticket.id, 'alice', 11 * MINUTE);
    expect(await desk.timeOut(ticket.id, 11 * MINUTE)).toBeUndefined();
    expect((await queue.get(ticket.id))?.claimedBy).toBe('alice');
    expect(delivered).toEqual([]);
  });

  it('counts the wait of someone handed back to the queue from when they went back, not from when they first joined', async () => {
    const { queue, timeout } = await timeoutOn();
    const ticket = await queue.enqueue(newTicket(), 0);
    await queue.claim(ticket.id, 'alice', MINUTE);
    await queue.release(ticket.id, 'alice', 40 * MINUTE);
    expect(await timeout.sweep(41 * MINUTE)).toBe(0);
    expect((await queue.get(ticket.id))?.status).toBe('queued');
    expect(await timeout.sweep(50 * MINUTE)).toBe(1);
  });
});
