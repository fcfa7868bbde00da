import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import type { ConsoleEvent, HandlerPayload } from '../../src/handoff/handoff-model.js';
import { MemoryConsoleEvents } from '../../src/handoff/memory-console-events.js';
import { MemoryHandoffQueue } from '../../src/handoff/memory-handoff-queue.js';
import { QueueTimeout } from '../../src/handoff/queue-timeout.js';
import { newTicket } from './handoff-backends.js';

const MINUTE = 60_000;

function timeoutOn(queue: MemoryHandoffQueue, clock: { now: number }) {
  const delivered: { key: string; payload: HandlerPayload }[] = [];
  const heard: ConsoleEvent[] = [];
  const events = new MemoryConsoleEvents();
  events.subscribe((e) => heard.push(e));
  const timeout = new QueueTimeout({
    queue,
    events,
    deliver: async (key, payload) => {
      delivered.push({ key, payload });
    },
    logger: silentLogger,
    timeoutMs: 10 * MINUTE,
    now: () => clock.now,
  });
  return { timeout, delivered, heard };
}

describe('QueueTimeout', () => {
  it('tells people who waited longer than the time-out, removes them and tells the consoles once', async () => {
    const queue = new MemoryHandoffQueue();
    const clock = { now: 0 };
    const old = await queue.enqueue(newTicket({ conversationKey: 'telegram:1' }), 0);
    await queue.enqueue(newTicket({ conversationKey: 'telegram:2' }), 5 * MINUTE);
    const { timeout, delivered, heard } = timeoutOn(queue, clock);
    clock.now = 10 * MINUTE;
    expect(await timeout.sweep()).toBe(1);
    expect(delivered).toEqual([{ key: 'telegram:1', payload: { type: 'handler', action: 'timeout' } }]);
    expect(await queue.get(old.id)).toBeUndefined();
    expect(heard).toEqual([{ type: 'queue-changed' }]);
    expect(await timeout.sweep()).toBe(0);
  });

  it('never times out a conversation a handler holds', async () => {
    const queue = new MemoryHandoffQueue();
    const clock = { now: 0 };
    const ticket = await queue.enqueue(newTicket(), 0);
    await queue.claim(ticket.id, 'alice', MINUTE);
    const { timeout, delivered } = timeoutOn(queue, clock);
    clock.now = 60 * MINUTE;
    expect(await timeout.sweep()).toBe(0);
    expect(delivered).toEqual([]);
  });

  it('counts the wait of someone handed back to the queue from when they went back, not from when they first joined', async () => {
    const queue = new MemoryHandoffQueue();
    const clock = { now: 0 };
    const ticket = await queue.enqueue(newTicket(), 0);
    await queue.claim(ticket.id, 'alice', MINUTE);
    await queue.release(ticket.id, 'alice', 40 * MINUTE);
    const { timeout, delivered } = timeoutOn(queue, clock);
    clock.now = 41 * MINUTE;
    expect(await timeout.sweep()).toBe(0);
    expect(delivered).toEqual([]);
    expect((await queue.get(ticket.id))?.status).toBe('queued');
    clock.now = 50 * MINUTE;
    expect(await timeout.sweep()).toBe(1);
  });
});
