import { describe, expect, it } from 'vitest';
import { MemoryConversationLock } from '../../../src/storage/memory/conversation-lock.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('MemoryConversationLock', () => {
  it('runs one conversation’s work one at a time, in arrival order', async () => {
    const lock = new MemoryConversationLock();
    const log: string[] = [];
    let running = 0;
    const work = (id: number) => async () => {
      running++;
      expect(running).toBe(1);
      log.push(`start ${id}`);
      await tick();
      log.push(`end ${id}`);
      running--;
      return id;
    };
    const results = await Promise.all([1, 2, 3].map((id) => lock.runExclusive('k', work(id))));
    expect(results).toEqual([1, 2, 3]);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    expect(lock.activeKeys).toBe(0);
  });

  it('lets different conversations run at the same time', async () => {
    const lock = new MemoryConversationLock();
    let concurrent = 0;
    let peak = 0;
    const work = async () => {
      peak = Math.max(peak, ++concurrent);
      await tick();
      concurrent--;
    };
    await Promise.all([lock.runExclusive('a', work), lock.runExclusive('b', work)]);
    expect(peak).toBe(2);
  });

  it('does not let a failed turn block the next', async () => {
    const lock = new MemoryConversationLock();
    const failed = lock.runExclusive('k', async () => {
      throw new Error('boom');
    });
    const next = lock.runExclusive('k', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
