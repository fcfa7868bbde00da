import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { CheckSweeper } from '../../src/scheduling/check-sweeper.js';
import type { CheckStore } from '../../src/scheduling/check-store.js';
import { MemoryCheckStore } from '../../src/storage/memory/check-store.js';
import { RedisCheckStore } from '../../src/storage/redis/check-store.js';
import { RedisKeys } from '../../src/storage/redis/redis-keys.js';
import { memoryAndRedis } from '../support/memory-and-redis.js';

const { kinds } = memoryAndRedis<void, CheckStore>(
  'checks',
  () => new MemoryCheckStore(),
  ({ client, prefix }) => new RedisCheckStore(client, new RedisKeys(prefix)),
);
const alice = { channel: 'telegram', id: '111' } as const;
const bob = { channel: 'twitter', id: '222' } as const;

describe.each(kinds)('CheckStore (%s)', (_kind, make) => {
  it('gives back what is due, once, and keeps what is not due yet', async () => {
    const store = make();
    await store.schedule(alice, 'safety', 1_000);
    await store.schedule(bob, 'safety', 5_000);
    expect(await store.take(999)).toEqual([]);
    expect(await store.take(1_000)).toEqual([{ check: 'safety', conversationKey: 'telegram:111', dueAt: 1_000 }]);
    expect(await store.take(4_000)).toEqual([]);
    expect(await store.take(9_000)).toEqual([{ check: 'safety', conversationKey: 'twitter:222', dueAt: 5_000 }]);
  });

  it('keeps one pending check per conversation: scheduling again moves it', async () => {
    const store = make();
    await store.schedule(alice, 'safety', 1_000);
    await store.schedule(alice, 'safety', 3_000);
    expect(await store.take(2_000)).toEqual([]);
    expect(await store.take(3_000)).toHaveLength(1);
  });

  it('forgets an erased conversation\'s checks', async () => {
    const store = make();
    await store.schedule(alice, 'safety', 1_000);
    await store.schedule(bob, 'safety', 1_000);
    await store.erase('telegram:111');
    expect((await store.take(2_000)).map((c) => c.conversationKey)).toEqual(['twitter:222']);
  });

  it('gives each due check to one of several sweepers at once', async () => {
    const store = make();
    for (let i = 0; i < 20; i++) await store.schedule({ channel: 'telegram', id: String(i) }, 'safety', 1_000 + i);
    const takes = await Promise.all([store.take(5_000, 7), store.take(5_000, 7), store.take(5_000, 7), store.take(5_000, 7)]);
    const all = takes.flat().map((c) => c.conversationKey).sort();
    expect(all).toHaveLength(20);
    expect(new Set(all).size).toBe(20);
  });
});

describe('CheckSweeper', () => {
  it('delivers due checks to their conversations, and tries again later what could not be delivered', async () => {
    const store = new MemoryCheckStore();
    await store.schedule(alice, 'safety', 1_000);
    await store.schedule(bob, 'safety', 1_000);
    const delivered: string[] = [];
    let now = 2_000;
    let failBob = true;
    const sweeper = new CheckSweeper({
      store,
      logger: silentLogger,
      now: () => now,
      deliver: async (key) => {
        if (key.id === '222' && failBob) throw new Error('inbox away');
        delivered.push(`${key.channel}:${key.id}`);
      },
    });
    expect(await sweeper.sweep()).toBe(1);
    expect(delivered).toEqual(['telegram:111']);
    failBob = false;
    expect(await sweeper.sweep()).toBe(0);
    now += 60_000;
    expect(await sweeper.sweep()).toBe(1);
    expect(delivered).toEqual(['telegram:111', 'twitter:222']);
  });
});
