import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import type { StoredConversation } from '../../../src/core/store.js';
import { PartitionLeases } from '../../../src/storage/redis/partition-leases.js';
import { createRedisConnection, type RedisClient } from '../../../src/storage/redis/redis-connection.js';
import { LeaseLostError, RedisConversationStore } from '../../../src/storage/redis/conversation-store.js';
import { partitionOf, RedisKeys } from '../../../src/storage/redis/redis-keys.js';
import { TestRedis } from '../../support/redis-server.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const record = (step: string): StoredConversation => ({ flowVersion: 1, snapshot: { value: step }, recent: [1], updatedAt: 1_700_000_000_000 });

describe('RedisConversationStore', () => {
  let redis: TestRedis;
  let client: RedisClient;
  let prefixCount = 0;
  const CONVERSATION = 'telegram:5012345678';

  beforeAll(async () => {
    redis = await TestRedis.start();
    client = createRedisConnection({ url: redis.url, logger: silentLogger });
    await client.connect();
  });

  afterAll(async () => {
    await client?.close();
    await redis?.stop();
  });

  /** A store over a fresh key prefix, its leases, and the conversation's partition (already held unless told not to). */
  async function setUp({ ttlMs = 60_000, acquire = true } = {}) {
    const keys = new RedisKeys(`store${++prefixCount}`);
    const leases = new PartitionLeases(client, keys, 4);
    const partition = partitionOf(CONVERSATION, leases.partitions);
    if (acquire) expect(await leases.acquire(partition)).toBe(true);
    return { keys, leases, partition, store: new RedisConversationStore(client, keys, leases, ttlMs) };
  }

  it('keeps a conversation for ttlMs after its last write, each write starting the time again', async () => {
    const { keys, store } = await setUp({ ttlMs: 300 });
    const key = keys.conversation(CONVERSATION);
    await store.write(CONVERSATION, record('first'));
    const firstTtl = await client.pTTL(key);
    expect(firstTtl).toBeGreaterThan(0);
    expect(firstTtl).toBeLessThanOrEqual(300);

    await sleep(200);
    expect(await client.pTTL(key)).toBeLessThanOrEqual(100);
    await store.write(CONVERSATION, record('second'));
    expect(await client.pTTL(key)).toBeGreaterThan(200);
    expect(await store.read(CONVERSATION)).toEqual(record('second'));

    await sleep(400);
    expect(await client.exists(key)).toBe(0);
    expect(await store.read(CONVERSATION)).toBeUndefined();
  });

  it('refuses to write or delete without holding the partition’s lease', async () => {
    const { keys, store } = await setUp({ acquire: false });
    await expect(store.write(CONVERSATION, record('unleased'))).rejects.toBeInstanceOf(LeaseLostError);
    await expect(store.delete(CONVERSATION)).rejects.toBeInstanceOf(LeaseLostError);
    expect(await client.exists(keys.conversation(CONVERSATION))).toBe(0);
  });

  it('refuses a write after another instance took the partition over, and leaves the new holder’s value alone', async () => {
    const { keys, leases, partition, store } = await setUp();
    await store.write(CONVERSATION, record('before takeover'));

    // The first instance stalls past its lease; a second one takes the partition (with a larger fencing token).
    await client.del(keys.lease(partition));
    const successor = new PartitionLeases(client, keys, leases.partitions);
    expect(await successor.acquire(partition)).toBe(true);
    const successorStore = new RedisConversationStore(client, keys, successor, 60_000);
    await successorStore.write(CONVERSATION, record('after takeover'));

    await expect(store.write(CONVERSATION, record('stale'))).rejects.toBeInstanceOf(LeaseLostError);
    expect(leases.held(partition)).toBeUndefined();
    await expect(store.delete(CONVERSATION)).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.read(CONVERSATION)).toEqual(record('after takeover'));
  });

  it('refuses a write from a holder whose lease lapsed even when no one has taken over, and keeps the stored value', async () => {
    const { keys, leases, partition, store } = await setUp();
    await store.write(CONVERSATION, record('kept'));
    await client.del(keys.lease(partition));

    await expect(store.write(CONVERSATION, record('stale'))).rejects.toBeInstanceOf(LeaseLostError);
    expect(leases.held(partition)).toBeUndefined();
    expect(await store.read(CONVERSATION)).toEqual(record('kept'));
  });

  it('deletes a conversation while holding the lease', async () => {
    const { keys, store } = await setUp();
    await store.write(CONVERSATION, record('to erase'));
    await store.delete(CONVERSATION);
    expect(await client.exists(keys.conversation(CONVERSATION))).toBe(0);
  });
});
