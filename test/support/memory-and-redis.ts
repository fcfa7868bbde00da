import { afterAll, beforeAll } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { createRedisConnection, type RedisClient } from '../../src/storage/redis/redis-connection.js';
import { TestRedis } from './redis-server.js';

/**
 * For tests that run the same cases against an in-memory implementation and a
 * Redis one (e.g. the console's login throttle and session store):
 *
 *     const { kinds, redis } = memoryAndRedis<ThrottlePolicy, LoginThrottle>(
 *       'l',
 *       (policy) => new MemoryLoginThrottle(policy),
 *       ({ client, prefix }, policy) => new RedisLoginThrottle({ client, keys: new RedisKeys(prefix), ...policy }),
 *     );
 *     describe.each(kinds)('LoginThrottle (%s)', (_kind, make) => { ... });
 *
 * Call it at the top level of a test file: it registers `beforeAll`/`afterAll`
 * hooks that start a throwaway {@link TestRedis} with a connected client, and
 * close and stop them after the file's tests.
 */

/** The file's connected Redis client; read it only inside tests and hooks (it exists once `beforeAll` has run). */
export interface RedisForTests {
  readonly client: RedisClient;
}

/** Where a Redis implementation is made: the shared client and a key prefix no other make has used. */
export interface RedisPlace {
  readonly client: RedisClient;
  readonly prefix: string;
}

/** Rows for `describe.each`: the kind's name, and how to make an instance with an optional policy. */
export type Kinds<P, T> = [string, (policy?: P) => T][];

/**
 * Starts a Redis for the file (see the module's comment) and returns it with
 * the rows `['memory', make]` and `['redis', make]`. Each Redis instance made
 * gets a fresh prefix, `<prefixStem>1`, `<prefixStem>2`, …, so that no two
 * share keys.
 */
export function memoryAndRedis<P, T>(
  prefixStem: string,
  makeMemory: (policy?: P) => T,
  makeRedis: (place: RedisPlace, policy?: P) => T,
): { readonly kinds: Kinds<P, T>; readonly redis: RedisForTests } {
  let server: TestRedis | undefined;
  let connected: RedisClient | undefined;
  let run = 0;

  beforeAll(async () => {
    server = await TestRedis.start();
    connected = createRedisConnection({ url: server.url, logger: silentLogger });
    await connected.connect();
  });

  afterAll(async () => {
    await connected?.close();
    await server?.stop();
  });

  const redis: RedisForTests = {
    get client(): RedisClient {
      if (!connected) throw new Error('the test Redis is used before beforeAll has started it');
      return connected;
    },
  };
  const kinds: Kinds<P, T> = [
    ['memory', (policy) => makeMemory(policy)],
    ['redis', (policy) => makeRedis({ client: redis.client, prefix: `${prefixStem}${++run}` }, policy)],
  ];
  return { kinds, redis };
}
