import { describe, expect, it } from 'vitest';
import { MESSAGE_ID_TTL_MS, type MessageIdStore } from '../../src/core/chat-clearing.js';
import { MemoryMessageIds } from '../../src/storage/memory/message-ids.js';
import { RedisKeys } from '../../src/storage/redis/redis-keys.js';
import { RedisMessageIds } from '../../src/storage/redis/message-ids.js';
import { memoryAndRedis } from '../support/memory-and-redis.js';

const { kinds, redis } = memoryAndRedis<void, MessageIdStore>(
  'msgids',
  () => new MemoryMessageIds(),
  ({ client, prefix }) => new RedisMessageIds(client, new RedisKeys(prefix)),
);

const HOUR = 60 * 60 * 1000;
const T = 1_800_000_000_000;

describe.each(kinds)('MessageIdStore (%s)', (_kind, make) => {
  it("lists a conversation's ids oldest first, with who sent each and when, and nobody else's", async () => {
    const store = make();
    await store.add('telegram:1', [{ id: '12', from: 'bot', at: T + 2 }]);
    await store.add('telegram:1', [{ id: '11', from: 'person', at: T + 1 }]);
    await store.add('telegram:2', [{ id: '99', from: 'bot', at: T }]);
    expect(await store.list('telegram:1', T + 3)).toEqual([
      { id: '11', from: 'person', at: T + 1 },
      { id: '12', from: 'bot', at: T + 2 },
    ]);
  });

  it('never lists an id 48 hours after it was sent', async () => {
    const store = make();
    await store.add('telegram:1', [{ id: '1', from: 'bot', at: T }]);
    await store.add('telegram:1', [{ id: '2', from: 'bot', at: T + HOUR }]);
    expect((await store.list('telegram:1', T + MESSAGE_ID_TTL_MS - 1)).map((m) => m.id)).toEqual(['1', '2']);
    expect((await store.list('telegram:1', T + MESSAGE_ID_TTL_MS)).map((m) => m.id)).toEqual(['2']);
    expect(await store.list('telegram:1', T + HOUR + MESSAGE_ID_TTL_MS)).toEqual([]);
  });

  it('forgets the ids that were deleted and keeps the rest', async () => {
    const store = make();
    await store.add('x:1', [
      { id: 'a', from: 'bot', at: T },
      { id: 'b', from: 'person', at: T + 1 },
      { id: 'c', from: 'bot', at: T + 2 },
    ]);
    await store.remove('x:1', ['a', 'b']);
    expect((await store.list('x:1', T + 3)).map((m) => m.id)).toEqual(['c']);
  });

  it('erases every id of a conversation on "delete my data"', async () => {
    const store = make();
    await store.add('telegram:1', [{ id: '1', from: 'bot', at: T }]);
    await store.add('telegram:2', [{ id: '2', from: 'bot', at: T }]);
    await store.erase('telegram:1');
    expect(await store.list('telegram:1', T + 1)).toEqual([]);
    expect(await store.list('telegram:2', T + 1)).toHaveLength(1);
  });
});

describe('RedisMessageIds', () => {
  it('keeps only ids in one key per conversation, which expires within 48 hours', async () => {
    const keys = new RedisKeys('msgids-ttl');
    const store = new RedisMessageIds(redis.client, keys);
    await store.add('telegram:7', [{ id: '5', from: 'person', at: Date.now() }]);
    expect(await redis.client.zRange(keys.messageIds('telegram:7'), 0, -1)).toEqual(['p|5']);
    const ttl = await redis.client.pTTL(keys.messageIds('telegram:7'));
    expect(ttl).toBeGreaterThan(MESSAGE_ID_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(MESSAGE_ID_TTL_MS);
    await store.erase('telegram:7');
    expect(await redis.client.exists(keys.messageIds('telegram:7'))).toBe(0);
  });
});
