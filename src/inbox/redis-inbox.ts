import { BoundedSet } from '../core/bounded-set.js';
import { conversationKeyToString } from '../core/conversation-key.js';
import { StoreError } from '../core/errors.js';
import type { InboundEvent } from '../core/inbound-event.js';
import { errorSummary } from '../logging/error-summary.js';
import { runScript } from '../storage/redis/lua-script.js';
import { partitionOf } from '../storage/redis/redis-keys.js';
import { withDeadline } from './deadline.js';
import { deliveryId, type Inbox } from './inbox.js';
import { PartitionWorker, type PartitionWorkerOptions } from './partition-worker.js';
import { ENQUEUE } from './redis-inbox-scripts.js';

/** What {@link RedisInbox} works with and its tuning; the defaults suit one to a few instances. */
export interface RedisInboxOptions
  extends Omit<PartitionWorkerOptions, 'blockMs' | 'retryMs' | 'maxInFlight'>,
    Partial<Pick<PartitionWorkerOptions, 'blockMs' | 'retryMs' | 'maxInFlight'>> {
  /**
   * How long a delivery id is at least remembered against redelivery (whole ms); an id is kept for up to
   * twice this (see the ENQUEUE script). 24 h by default: platforms retry for minutes, not days.
   */
  readonly dedupeMs?: number;
  /**
   * Longest a webhook waits for its event to be recorded before it answers
   * 503 (so the platform delivers it again): bounds the wait on a Redis that
   * holds the connection open but does not answer.
   */
  readonly submitTimeoutMs?: number;
  /** How often leases are renewed and partitions rebalanced. */
  readonly tickMs?: number;
}

/**
 * The durable inbox. A webhook's event is written to a Redis Stream (one per
 * partition of conversations) before the webhook answers 200, so an
 * acknowledged message survives any crash. Each partition is processed by the
 * one instance that holds its lease; each person's entries run one at a time
 * in stream order (different people's side by side), so one person's messages
 * are answered in arrival order, whichever instance received them. An entry is acknowledged only after its reply was
 * handed to the platform; entries left unacknowledged by a killed instance are
 * claimed (XAUTOCLAIM) by the partition's next holder and answered once (the
 * engine recognises an entry whose turn was already saved and only resends
 * its reply).
 */
export class RedisInbox implements Inbox {
  readonly #o: Required<RedisInboxOptions>;
  readonly #workers = new Map<number, PartitionWorker>();
  /**
   * Entries this process has answered but not yet acknowledged. The reply goes
   * to the platform before the acknowledgement reaches Redis; if Redis goes
   * away in between, the entry stays pending and comes back once Redis returns.
   * Remembering it here means this process then only acknowledges it, instead
   * of sending the person the same reply twice. (Were the process itself to die
   * in that moment, the next holder resends the reply: a duplicate is better
   * than a lost answer.) Bounded; the oldest are forgotten first.
   */
  readonly #answered = new BoundedSet<string>(10_000);
  #timer: NodeJS.Timeout | undefined;
  #stopping = false;
  #ticking: Promise<void> | undefined;

  constructor({ dedupeMs = 24 * 3600_000, submitTimeoutMs = 5_000, tickMs = 1_000, blockMs = 1_000, retryMs = 500, maxInFlight = 256, ...deps }: RedisInboxOptions) {
    if (!Number.isSafeInteger(dedupeMs) || dedupeMs < 1) throw new RangeError('dedupeMs must be a positive whole number of ms');
    this.#o = { dedupeMs, submitTimeoutMs, tickMs, blockMs, retryMs, maxInFlight, ...deps };
  }

  async submit(event: InboundEvent): Promise<void> {
    const { client, keys, leases } = this.#o;
    const partition = partitionOf(conversationKeyToString(event.key), leases.partitions);
    const id = deliveryId(event) ?? '';
    try {
      // If the deadline passes and the entry is recorded after all, the platform's redelivery finds its mark.
      await withDeadline(
        runScript(client, ENQUEUE, {
          keys: [keys.inbox(partition)],
          arguments: [id, String(this.#o.dedupeMs), JSON.stringify(event), keys.delivery('')],
        }),
        this.#o.submitTimeoutMs,
      );
    } catch (error) {
      throw new StoreError('could not record the inbound event', { cause: error });
    }
  }

  /** Starts taking partitions and processing them. */
  async start(): Promise<void> {
    this.#stopping = false;
    const loop = () => {
      this.#ticking = this.#tick().finally(() => {
        if (!this.#stopping) this.#timer = setTimeout(loop, this.#o.tickMs);
      });
    };
    loop();
  }

  /** Stops taking new entries, lets each worker finish its current one, and gives the leases back. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    await this.#ticking;
    await Promise.all([...this.#workers.values()].map((w) => w.stop()));
    this.#workers.clear();
    await Promise.all(this.#o.leases.heldPartitions().map((p) => this.#o.leases.release(p).catch(() => undefined)));
    await this.#o.client.zRem(this.#o.keys.instances(), this.#o.leases.instanceId).catch(() => undefined);
  }

  /** Partitions this instance processes now (for tests and logs). */
  ownedPartitions(): number[] {
    return [...this.#workers.keys()].sort((a, b) => a - b);
  }

  /** Heartbeat, renew leases, take free partitions up to a fair share, give back extras. */
  async #tick(): Promise<void> {
    const { client, keys, leases, logger } = this.#o;
    if (!client.isReady) return;
    try {
      const now = Date.now();
      await client.zAdd(keys.instances(), { score: now, value: leases.instanceId });
      await client.zRemRangeByScore(keys.instances(), 0, now - leases.ttlMs * 2);
      const live = Math.max(1, await client.zCard(keys.instances()));
      const fair = Math.ceil(leases.partitions / live);

      for (const partition of [...this.#workers.keys()]) {
        if (!(await leases.acquire(partition))) this.#drop(partition, 'lease lost');
      }
      const order = shuffle([...Array(leases.partitions).keys()].filter((p) => !this.#workers.has(p)));
      for (const partition of order) {
        if (this.#workers.size >= fair || this.#stopping) break;
        if (await leases.acquire(partition)) this.#run(partition);
      }
      while (this.#workers.size > fair) {
        const extra = Math.max(...this.#workers.keys());
        const worker = this.#workers.get(extra);
        this.#workers.delete(extra);
        await worker?.stop();
        await leases.release(extra);
      }
    } catch (error) {
      logger.warn({ err: errorSummary(error) }, 'inbox tick failed');
    }
  }

  #run(partition: number): void {
    const worker = new PartitionWorker(partition, this.#o, this.#answered);
    this.#workers.set(partition, worker);
    worker.start();
  }

  #drop(partition: number, reason: string): void {
    const worker = this.#workers.get(partition);
    this.#workers.delete(partition);
    this.#o.leases.forget(partition);
    void worker?.stop();
    this.#o.logger.warn({ partition, reason }, 'partition given up');
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
