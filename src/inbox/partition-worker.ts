import { conversationKeyToString } from '../core/conversation-key.js';
import type { BoundedSet } from '../core/bounded-set.js';
import { type InboundEvent, isInboundEvent } from '../core/inbound-event.js';
import type { Logger } from '../core/logger.js';
import type { Dispatcher } from '../engine/dispatcher.js';
import { errorSummary } from '../logging/error-summary.js';
import type { PartitionLeases } from '../storage/redis/partition-leases.js';
import { duplicateConnection, type RedisClient } from '../storage/redis/redis-connection.js';
import { runScript } from '../storage/redis/lua-script.js';
import { INBOX_GROUP, type RedisKeys } from '../storage/redis/redis-keys.js';
import { ACK } from './redis-inbox-scripts.js';

/** What a {@link PartitionWorker} works with: the Redis inbox's connections, leases and tuning. */
export interface PartitionWorkerOptions {
  readonly client: RedisClient;
  readonly keys: RedisKeys;
  readonly leases: PartitionLeases;
  readonly dispatcher: Pick<Dispatcher, 'process'>;
  readonly logger: Logger;
  /** How long a blocking read waits for new entries. */
  readonly blockMs: number;
  /** Pause after a failed turn or a Redis error before trying again. */
  readonly retryMs: number;
  /** Most entries the worker runs at once (different people's; one person's run one at a time). */
  readonly maxInFlight: number;
}

/**
 * Processes one partition's stream until stopped. Reading does not wait for
 * the entries already read: each person's entries join the end of that
 * person's own chain, so one slow turn holds up only that person, while
 * different people's turns run side by side, up to `maxInFlight` entries.
 * When a turn fails or the lease lapses, nothing more is started: the chains
 * run out, and every entry still unacknowledged is claimed again in stream order.
 */
export class PartitionWorker {
  #stopped = false;
  #done: Promise<void> = Promise.resolve();
  readonly #connection: RedisClient;
  readonly #consumer: string;
  /** The last entry run scheduled for each person, so their next one waits for it. */
  readonly #tails = new Map<string, Promise<void>>();
  readonly #running = new Set<Promise<void>>();
  #inFlight = 0;
  /** Why this worker stopped starting entries, until the chains have run out and the pending ones are claimed. */
  #halt: { error?: unknown } | undefined;

  constructor(
    private readonly partition: number,
    private readonly o: PartitionWorkerOptions,
    private readonly answered: BoundedSet<string>,
  ) {
    this.#connection = duplicateConnection(o.client, o.logger, `inbox-${partition}`);
    this.#consumer = o.leases.instanceId;
  }

  start(): void {
    this.#done = this.#loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#done;
    await this.#connection.close().catch(() => undefined);
  }

  async #loop(): Promise<void> {
    const { keys, logger, retryMs, maxInFlight } = this.o;
    const stream = keys.inbox(this.partition);
    let claimPending = true;
    // Keep trying until connected (Redis may be away): a worker that gave up would leave its partition unserved.
    while (!this.#stopped) {
      try {
        if (!this.#connection.isOpen) await this.#connection.connect();
        await this.#ensureGroup(stream);
        break;
      } catch (error) {
        logger.warn({ partition: this.partition, err: errorSummary(error) }, 'inbox worker not started yet; will retry');
        await sleep(retryMs);
      }
    }
    while (!this.#stopped) {
      try {
        const entries = claimPending ? await this.#claim(stream) : await this.#read(stream);
        if (claimPending && entries.length === 0) {
          claimPending = false;
          continue;
        }
        // Entries read after a failure stay pending: they are claimed again, after the earlier ones, in order.
        if (this.#halt === undefined) for (const [key, run] of byConversation(entries)) this.#schedule(stream, key, run);
        // Claimed entries are still pending while they run: claiming again before they finish would run them twice.
        if (claimPending) await this.#drain();
        while (this.#inFlight >= maxInFlight && this.#halt === undefined) await Promise.race(this.#running);
        if (this.#halt !== undefined) {
          await this.#drain();
          const { error } = this.#halt;
          this.#halt = undefined;
          claimPending = true;
          if (error !== undefined) throw error;
          // The lease lapsed (a long pause, or Redis away): wait for the tick to win it back or hand the
          // partition over, then start again from the unacknowledged entries, in order.
          await sleep(retryMs);
        }
      } catch (error) {
        claimPending = true;
        await this.#drain();
        this.#halt = undefined;
        if (!this.#stopped) {
          logger.warn({ partition: this.partition, err: errorSummary(error) }, 'inbox entry not processed; will retry');
          // Redis came back empty (restarted without persistence, or flushed): the stream and group must be made again.
          if (error instanceof Error && /NOGROUP/.test(error.message)) await this.#ensureGroup(stream).catch(() => undefined);
          await sleep(retryMs);
        }
      }
    }
    await this.#drain();
  }

  /** Puts one person's entries at the end of their chain; a failure or a lapsed lease halts the worker. */
  #schedule(stream: string, key: string, run: readonly ParsedEntry[]): void {
    const after = this.#tails.get(key) ?? Promise.resolve();
    const chain = after
      .then(() => this.#processRun(stream, run))
      .then(
        (outcome) => {
          if (outcome === 'lease-lapsed') this.#halt ??= {};
        },
        (error: unknown) => {
          this.#halt ??= { error };
        },
      );
    this.#tails.set(key, chain);
    this.#running.add(chain);
    this.#inFlight += run.length;
    void chain.then(() => {
      this.#running.delete(chain);
      this.#inFlight -= run.length;
      if (this.#tails.get(key) === chain) this.#tails.delete(key);
    });
  }

  /** Waits until every chain has run out. */
  async #drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running);
  }

  /** One person's entries, in stream order; stops at the first that cannot run (left pending, retried in order). */
  async #processRun(stream: string, run: readonly ParsedEntry[]): Promise<'done' | 'lease-lapsed' | 'stopped'> {
    for (const entry of run) {
      if (this.#stopped || this.#halt !== undefined) return 'stopped';
      if (this.o.leases.held(this.partition) === undefined) return 'lease-lapsed';
      await this.#process(stream, entry);
    }
    return 'done';
  }

  /** Creates the partition's stream and consumer group unless they exist. */
  async #ensureGroup(stream: string): Promise<void> {
    await this.#connection.xGroupCreate(stream, INBOX_GROUP, '0', { MKSTREAM: true }).catch((error: Error) => {
      if (!/BUSYGROUP/.test(error.message)) throw error;
    });
  }

  /** Entries delivered earlier but never acknowledged (a killed instance's, or our own failed ones), oldest first. */
  async #claim(stream: string): Promise<Entry[]> {
    const reply = await this.#connection.xAutoClaim(stream, INBOX_GROUP, this.#consumer, 0, '0-0', { COUNT: 100 });
    return reply.messages.filter((m): m is NonNullable<typeof m> => m !== null);
  }

  async #read(stream: string): Promise<Entry[]> {
    const reply = await this.#connection.xReadGroup(INBOX_GROUP, this.#consumer, { key: stream, id: '>' }, { COUNT: 64, BLOCK: this.o.blockMs });
    if (!reply || !Array.isArray(reply)) return [];
    return (reply as { messages: Entry[] }[]).flatMap((s) => s.messages);
  }

  async #process(stream: string, { id, event }: ParsedEntry): Promise<void> {
    const entry = `${stream} ${id}`;
    // Answered here already, but Redis was away when the acknowledgement went: acknowledge, don't answer twice.
    if (!this.answered.has(entry)) {
      const delivered = event ? await this.o.dispatcher.process(event, id) : false;
      if (!event) this.o.logger.error({ partition: this.partition }, 'unreadable inbox entry dropped');
      // Only a reply that reached the platform is remembered: an undelivered one is sent again if the entry returns.
      if (delivered) this.answered.add(entry);
    }
    // On the shared connection: the worker's own may be waiting in a blocking read.
    await runScript(this.o.client, ACK, { keys: [stream], arguments: [INBOX_GROUP, id] });
    this.answered.delete(entry);
  }
}

/** An inbox entry with its event read (undefined when unreadable: it is dropped, not retried forever). */
interface ParsedEntry {
  readonly id: string;
  readonly event: InboundEvent | undefined;
}

/** Reads each entry once and groups them by conversation, keeping stream order within each group. */
function byConversation(entries: readonly Entry[]): Map<string, ParsedEntry[]> {
  const runs = new Map<string, ParsedEntry[]>();
  for (const entry of entries) {
    let event: InboundEvent | undefined;
    try {
      const read: unknown = JSON.parse(String(entry.message.e));
      event = isInboundEvent(read) ? read : undefined;
    } catch {
      event = undefined;
    }
    const key = event ? conversationKeyToString(event.key) : `unreadable:${entry.id}`;
    const parsed = { id: entry.id, event };
    const run = runs.get(key);
    if (run) run.push(parsed);
    else runs.set(key, [parsed]);
  }
  return runs;
}

interface Entry {
  id: string;
  message: Record<string, string>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
