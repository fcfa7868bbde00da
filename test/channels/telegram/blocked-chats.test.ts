import { describe, expect, it } from 'vitest';
import { type BlockedChats, MemoryBlockedChats } from '../../../src/channels/telegram/blocked-chats.js';
import { RedisKeys } from '../../../src/storage/redis/redis-keys.js';
import { RedisChatFlags } from '../../../src/storage/redis/side-records.js';
import { memoryAndRedis } from '../../support/memory-and-redis.js';

const { kinds } = memoryAndRedis<{ ttlMs?: number; maxEntries?: number }, BlockedChats>(
  'blocked',
  (policy) => new MemoryBlockedChats(policy?.maxEntries === undefined ? {} : { maxEntries: policy.maxEntries }),
  ({ client, prefix }, policy) => new RedisChatFlags(client, new RedisKeys(prefix), 'telegram-blocked', policy?.ttlMs ?? 60_000),
);

describe.each(kinds)('BlockedChats (%s)', (_kind, make) => {
  it('marks, reports and unmarks a chat, unblock telling whether it was marked', async () => {
    const chats = make();
    expect(await chats.isBlocked('5012345678')).toBe(false);
    expect(await chats.unblock('5012345678')).toBe(false);
    await chats.block('5012345678');
    expect(await chats.isBlocked('5012345678')).toBe(true);
    expect(await chats.isBlocked('5012345679')).toBe(false);
    expect(await chats.unblock('5012345678')).toBe(true);
    expect(await chats.isBlocked('5012345678')).toBe(false);
    expect(await chats.unblock('5012345678')).toBe(false);
  });
});

const make = Object.fromEntries(kinds);

describe('MemoryBlockedChats', () => {
  it('forgets the oldest marks beyond its bound', async () => {
    const chats = make.memory?.({ maxEntries: 2 }) as BlockedChats;
    for (const id of ['1', '2', '3']) await chats.block(id);
    expect(await chats.isBlocked('1')).toBe(false);
    expect(await chats.unblock('3')).toBe(true);
  });
});

describe('RedisChatFlags', () => {
  it('forgets a mark after its time to live', async () => {
    const chats = make.redis?.({ ttlMs: 100 }) as BlockedChats;
    await chats.block('42');
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await chats.isBlocked('42')).toBe(false);
    expect(await chats.unblock('42')).toBe(false);
  });
});
