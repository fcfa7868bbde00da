import { createClient } from 'redis';
import type { Logger } from '../../core/logger.js';

/** The node-redis client type used throughout the Redis adapters. */
export type RedisClient = ReturnType<typeof createClient>;

/** How to reach Redis and how patiently. */
export interface RedisConnectionOptions {
  readonly url: string;
  readonly logger: Logger;
  /** Longest wait between reconnection attempts. */
  readonly maxBackoffMs?: number;
  /**
   * A command that gets no answer in this time fails (node-redis' own
   * time-out); 0 for none. node-redis arms an `AbortSignal.timeout` per
   * command, a timer and a weak reference that live for the whole time-out
   * even when the answer came at once: right for occasional commands, too
   * costly for the several per message of the hot path, whose connection is
   * made with 0 and bounds only the webhook's wait itself (see RedisInbox).
   */
  readonly commandTimeoutMs?: number;
  /** What the connection is called in logs. */
  readonly name?: string;
}

/**
 * Creates a Redis client that never takes the process down and never queues
 * silently: commands fail at once while Redis is away (so webhooks answer 503
 * and platforms retry), it reconnects by itself with capped exponential
 * backoff, and its error events are logged (with no message content) instead
 * of crashing. `connect()` is started in the background: the server starts
 * and reports not-ready until Redis answers.
 */
export function createRedisConnection({ url, logger, maxBackoffMs = 5_000, commandTimeoutMs = 5_000, name = 'redis' }: RedisConnectionOptions): RedisClient {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    ...(commandTimeoutMs > 0 && { commandOptions: { timeout: commandTimeoutMs } }),
    socket: {
      connectTimeout: 5_000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 10), maxBackoffMs) + Math.floor(Math.random() * 100),
    },
  });
  watch(client, logger, name);
  return client;
}

/** A second connection for blocking reads, with the same logging; connected in the background. */
export function duplicateConnection(client: RedisClient, logger: Logger, name: string): RedisClient {
  const copy = client.duplicate();
  watch(copy, logger, name);
  return copy;
}

/** Starts connecting without waiting: callers check `isReady` and get errors while Redis is away. */
export function connectInBackground(client: RedisClient, logger: Logger): void {
  client.connect().catch((error: unknown) => {
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'redis connect failed');
  });
}

function watch(client: RedisClient, logger: Logger, name: string): void {
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) logger.warn({ connection: name, err: error.message }, 'redis unavailable');
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info({ connection: name }, 'redis available again');
    down = false;
  });
}
