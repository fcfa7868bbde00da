import { afterAll, afterEach, beforeAll } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import type { AuditLog, ClosedTickets, ConsoleEvents, HandoffQueue, NewTicket, TranscriptStore } from '../../src/handoff/handoff-model.js';
import { MemoryClosedTickets } from '../../src/storage/memory/closed-tickets.js';
import { RedisClosedTickets } from '../../src/storage/redis/closed-tickets.js';
import { MemoryAuditLog } from '../../src/storage/memory/audit-log.js';
import { MemoryConsoleEvents } from '../../src/storage/memory/console-events.js';
import { MemoryHandoffQueue } from '../../src/storage/memory/handoff-queue.js';
import { MemoryTranscriptStore } from '../../src/storage/memory/transcript-store.js';
import { RedisAuditLog } from '../../src/storage/redis/audit-log.js';
import { RedisConsoleEvents } from '../../src/storage/redis/console-events.js';
import { RedisHandoffQueue } from '../../src/storage/redis/handoff-queue.js';
import { RedisTranscriptStore } from '../../src/storage/redis/transcript-store.js';
import { createRedisConnection, type RedisClient } from '../../src/storage/redis/redis-connection.js';
import { RedisKeys } from '../../src/storage/redis/redis-keys.js';
import { TestRedis } from './redis-server.js';

/**
 * A real Redis for one test file: starts before the file's tests, hands out
 * connected clients and a fresh key prefix per test (so tests cannot see each
 * other's data), and closes everything afterwards.
 */
export function useTestRedis() {
  let redis: TestRedis | undefined;
  let counter = 0;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    redis = await TestRedis.start();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  return {
    /** A connected client, closed after the test. */
    async client(): Promise<RedisClient> {
      if (!redis) throw new Error('Redis is not started yet');
      const client = createRedisConnection({ url: redis.url, logger: silentLogger });
      await client.connect();
      cleanups.push(async () => {
        await client.close();
      });
      return client;
    },
    /** Key names under a prefix no other test uses. */
    keys(): RedisKeys {
      counter += 1;
      return new RedisKeys(`handoff-test-${counter}`);
    },
    /** Runs `cleanup` after the test, before its clients close. */
    onCleanup(cleanup: () => Promise<void>): void {
      cleanups.push(cleanup);
    },
  };
}

/** A ticket to queue, for an adult who asked for a person, with overrides. */
export function newTicket(overrides: Partial<NewTicket> = {}): NewTicket {
  return {
    conversationKey: 'telegram:424242',
    channel: 'telegram',
    reason: 'requested',
    flags: { crisis: false, danger: false, under18: false },
    answers: { ageGroup: 'adult', knownPerson: false, stepsSeen: ['welcome', 'safety', 'age'] },
    locale: 'en-GB',
    ...overrides,
  };
}

/** Waits until `condition` holds, failing after `ms`. */
export async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The stores a handoff desk works on. */
export interface Stores {
  readonly queue: HandoffQueue;
  readonly transcripts: TranscriptStore;
  readonly audit: AuditLog;
  readonly events: ConsoleEvents;
  /** Ended tickets, kept for {@link CLOSED_KEEP_MS}. */
  readonly closedTickets: ClosedTickets;
}

/** How long the stores keep an ended ticket for export: one hour. */
export const CLOSED_KEEP_MS = 3600_000;

/** Rows for `describe.each`: every store in memory, and every store in the file's Redis. */
export function storeBackends(redis: ReturnType<typeof useTestRedis>): { name: string; make: () => Promise<Stores> }[] {
  return [
    {
      name: 'memory stores',
      make: async () => ({
        queue: new MemoryHandoffQueue(),
        transcripts: new MemoryTranscriptStore({ ttlMs: 60_000 }),
        audit: new MemoryAuditLog(),
        events: new MemoryConsoleEvents(),
        closedTickets: new MemoryClosedTickets({ keepMs: CLOSED_KEEP_MS }),
      }),
    },
    { name: 'Redis stores', make: () => redisStores(redis) },
  ];
}

/** Every store in the file's Redis, on a new connection, under `keys` (a fresh prefix by default: share it to be a second instance). */
export async function redisStores(redis: ReturnType<typeof useTestRedis>, keys: RedisKeys = redis.keys()): Promise<Stores> {
  const client = await redis.client();
  const events = new RedisConsoleEvents({ client, keys });
  await events.ready();
  redis.onCleanup(() => events.close());
  return {
    queue: new RedisHandoffQueue({ client, keys }),
    transcripts: new RedisTranscriptStore({ client, keys, ttlMs: 60_000 }),
    audit: new RedisAuditLog({ client, keys }),
    events,
    closedTickets: new RedisClosedTickets({ client, keys, keepMs: CLOSED_KEEP_MS }),
  };
}
