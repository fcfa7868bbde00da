import { StoreError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { duplicateConnection, type RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import type { ConsoleEvent, ConsoleEvents } from '../../handoff/handoff-model.js';
import { deliverToAll } from '../memory/console-events.js';

/** What a {@link RedisConsoleEvents} publishes on and listens with. */
export interface RedisConsoleEventsOptions {
  /** The shared connection, used to publish; the subscriber is its duplicate. */
  readonly client: RedisClient;
  /** The channel is {@link RedisKeys.consoleEvents}. */
  readonly keys: RedisKeys;
  readonly logger?: Logger;
}

/**
 * Publishes one console event to every instance that shares `keys`, for a
 * process that only speaks (the `npm run handlers` CLI) and need not listen.
 */
export async function publishConsoleEvent(client: RedisClient, keys: RedisKeys, event: ConsoleEvent): Promise<void> {
  await client.publish(keys.consoleEvents(), JSON.stringify(event));
}

/**
 * Console events shared by every instance through Redis pub/sub on one
 * channel, so a browser connected to one instance hears about a person who
 * arrived at another. A connection in subscriber mode can run no other
 * command, so listening uses a dedicated duplicate of the shared client.
 * Every instance (this one included) hears an event through Redis, once.
 * The subscriber connects in the background from construction (like the
 * shared client, so start-up never waits on Redis); {@link ready} resolves
 * once it listens, and {@link close} ends it on shut-down.
 */
export class RedisConsoleEvents implements ConsoleEvents {
  readonly #client: RedisClient;
  readonly #subscriber: RedisClient;
  readonly #keys: RedisKeys;
  readonly #channel: string;
  readonly #logger: Logger;
  readonly #listeners = new Set<(event: ConsoleEvent) => void>();
  readonly #listening: Promise<boolean>;
  #closed: () => void = () => {};

  constructor({ client, keys, logger = silentLogger }: RedisConsoleEventsOptions) {
    this.#client = client;
    this.#logger = logger;
    this.#keys = keys;
    this.#channel = keys.consoleEvents();
    this.#subscriber = duplicateConnection(client, logger, 'handoff-events');
    const closed = new Promise<boolean>((resolve) => {
      this.#closed = () => resolve(false);
    });
    const started = this.#subscriber
      .connect()
      .then(() => this.#subscriber.subscribe(this.#channel, (message) => this.#receive(message)))
      .then(
        () => true,
        (error: unknown) => {
          logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'console events subscriber failed to start');
          return false;
        },
      );
    // A connect still waiting for Redis never settles once the client is dropped, so closing settles it.
    this.#listening = Promise.race([started, closed]);
  }

  /** Resolves once events published from now on will be heard here; rejects if the subscriber could not start or was closed first. */
  async ready(): Promise<void> {
    if (!(await this.#listening)) throw new StoreError('the console events subscriber could not start');
  }

  /** Closes the dedicated subscriber connection (the shared client is the caller's to close). */
  async close(): Promise<void> {
    this.#closed();
    if (this.#subscriber.isReady) {
      try {
        await this.#subscriber.close();
        return;
      } catch {
        // Fall through: a connection that cannot close cleanly is dropped.
      }
    }
    // Still connecting (Redis away) or failed to close: drop it rather than wait.
    if (this.#subscriber.isOpen) this.#subscriber.destroy();
  }

  async publish(event: ConsoleEvent): Promise<void> {
    await publishConsoleEvent(this.#client, this.#keys, event);
  }

  subscribe(listener: (event: ConsoleEvent) => void): () => void {
    const own = (event: ConsoleEvent) => listener(event);
    this.#listeners.add(own);
    return () => {
      this.#listeners.delete(own);
    };
  }

  #receive(message: string): void {
    let event: ConsoleEvent;
    try {
      event = JSON.parse(message) as ConsoleEvent;
    } catch (error) {
      this.#logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'unreadable console event dropped');
      return;
    }
    deliverToAll(this.#listeners, event, this.#logger);
  }
}
