import { describe, expect, it } from 'vitest';
import type { ConversationStore, StoredConversation } from '../../src/core/store.js';
import { MemoryConversationStore } from '../../src/storage/memory/conversation-store.js';
import { RedisConversationStore } from '../../src/storage/redis/conversation-store.js';
import { PartitionLeases } from '../../src/storage/redis/partition-leases.js';
import { RedisKeys } from '../../src/storage/redis/redis-keys.js';
import { memoryAndRedis } from '../support/memory-and-redis.js';

/**
 * The conversation store's contract, run against both implementations: what
 * the engine relies on whichever one a force runs (the Redis one with every
 * partition held, as a worker holds the partition it processes).
 */

const PARTITIONS = 4;

const { kinds } = memoryAndRedis<void, () => Promise<ConversationStore>>(
  'conversations',
  () => async () => new MemoryConversationStore({ ttlMs: 60_000 }),
  ({ client, prefix }) =>
    async () => {
      const keys = new RedisKeys(prefix);
      const leases = new PartitionLeases(client, keys, PARTITIONS);
      for (let partition = 0; partition < PARTITIONS; partition++) expect(await leases.acquire(partition)).toBe(true);
      return new RedisConversationStore(client, keys, leases, 60_000);
    },
);

const record = (step: string, extra: Partial<StoredConversation> = {}): StoredConversation => ({
  flowVersion: 3,
  snapshot: { value: step, context: { facts: { age: 15 } } },
  recent: [1_700_000_000_000, 1_700_000_001_000],
  updatedAt: 1_700_000_001_000,
  ...extra,
});

describe.each(kinds)('the conversation store (%s)', (_kind, make) => {
  it('reads back exactly what was written, every field', async () => {
    const store = await make()();
    const written = record('askAge', {
      offered: ['yes', 'no'],
      locale: 'cy',
      lastTurn: { id: '1-0', locale: 'cy', replies: [{ key: 'age.ask', choices: ['under18'] }] },
      since: 1_699_999_000_000,
      riskAt: 1_700_000_000_500,
    });
    await store.write('telegram:501', written);
    expect(await store.read('telegram:501')).toEqual(written);
  });

  it('answers undefined for a conversation never written', async () => {
    const store = await make()();
    expect(await store.read('telegram:never')).toBeUndefined();
  });

  it('keeps the latest write, and each conversation apart from the others', async () => {
    const store = await make()();
    await store.write('telegram:1', record('first'));
    await store.write('botframework:msteams:2', record('other'));
    await store.write('telegram:1', record('second'));
    expect((await store.read('telegram:1'))?.snapshot).toEqual(record('second').snapshot);
    expect((await store.read('botframework:msteams:2'))?.snapshot).toEqual(record('other').snapshot);
  });

  it('forgets a deleted conversation and leaves the others', async () => {
    const store = await make()();
    await store.write('twitter:1', record('a'));
    await store.write('twitter:2', record('b'));
    await store.delete('twitter:1');
    expect(await store.read('twitter:1')).toBeUndefined();
    expect(await store.read('twitter:2')).toEqual(record('b'));
    await store.delete('twitter:never');
  });
});
