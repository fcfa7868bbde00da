import { conversationKeyToString } from '../core/conversation-key.js';
import { BotError, StoreError } from '../core/errors.js';
import type { InboundEvent } from '../core/inbound-event.js';
import type { Logger } from '../core/logger.js';
import type { Dispatcher } from '../engine/dispatcher.js';
import { errorSummary } from '../logging/error-summary.js';
import type { PartitionLeases } from '../storage/redis/partition-leases.js';
import { duplicateConnection, type RedisClient } from '../storage/redis/redis-connection.js';
import { luaScript, runScript } from '../storage/redis/lua-script.js';
import { deliveryId } from './inbox.js';
import { INBOX_GROUP, partitionOf, type RedisKeys } from '../storage/redis/redis-keys.js';

/**
 * Records a delivery once: marks its id (if any) and appends the event to its partition's stream, atomically.
 *
 * Marks are fields of time-bucketed hashes (`ARGV[4]` followed by the bucket number), not one key each: a
 * key with an expiry costs about 125 B of Redis memory, a short hash field about 70 B. The bucket is
 * floor(now / window), the window being the dedupe time (`ARGV[2]`). An id is looked for in the current and
 * the previous bucket, and a bucket expires when the bucket after it ends, so every id is remembered for
 * between one and two windows: never less than the dedupe time. (The bucket keys are built here, not passed
 * in KEYS: fine on a single Redis or Sentinel; Redis Cluster was never supported, the stream and the marks
 * already lived in different slots.)
 *
 * "now" is Redis' own TIME, not the caller's clock: it is the one clock every instance shares, so instances
 * whose clocks disagree still agree on the bucket (with their own clocks, one running ahead could write a mark
 * into a bucket that one running behind does not look in yet, and a redelivery around a bucket change would be
 * answered twice). Writing after TIME is allowed because scripts are replicated by their effects: the default
 * since Redis 5 and the only way in Redis 7 (Redis < 5 would need `redis.replicate_commands()` first).
 */
const ENQUEUE = luaScript(`
if ARGV[1] ~= '' then
  local window = tonumber(ARGV[2])
  local time = redis.call('TIME')
  local bucket = math.floor((tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)) / window)
  if redis.call('HEXISTS', ARGV[4] .. string.format('%d', bucket - 1), ARGV[1]) == 1 then return false end
  local current = ARGV[4] .. string.format('%d', bucket)
  if redis.call('HSETNX', current, ARGV[1], '1') == 0 then return false end
  redis.call('PEXPIREAT', current, string.format('%d', (bucket + 2) * window))
end
return redis.call('XADD', KEYS[1], '*', 'e', ARGV[3])`);

/** Acknowledges and removes a processed entry, so the stream only holds unfinished work. */
const ACK = luaScript(`
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return redis.call('XDEL', KEYS[1], ARGV[2])`);

/** Tuning for {@link RedisInbox}; the defaults suit one to a few instances. */
export interface RedisInboxOptions {
  readonly client: RedisClient;
  readonly keys: RedisKeys;
  readonly leases: PartitionLeases;
  readonly dispatcher: Pick<Dispatcher, 'process'>;
  readonly logger: Logger;
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
  /** How long a blocking read waits for new entries. */
  readonly blockMs?: number;
  /** Pause after a failed turn or a Redis error before trying again. */
  readonly retryMs?: number;
  /** Most entries one partition's worker runs at once (different people's; one person's run one at a time). */
  readonly maxInFlight?: number;
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
export class RedisInbox {
  readonly #o: Required<RedisInboxOptions>;
  readonly #workers = new Map<number, Worker>();
  readonly #answered = new AnsweredEntries();
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
    const worker = new Worker(partition, this.#o, this.#answered);
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

/**
 * Processes one partition's stream until stopped. Reading does not wait for
 * the entries already read: each person's entries join the end of that
 * person's own chain, so one slow turn holds up only that person, while
 * different people's turns run side by side, up to `maxInFlight` entries.
 * When a turn fails or the lease lapses, nothing more is started: the chains
 * run out, and every entry still unacknowledged is claimed again in stream order.
 */
class Worker {
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
    private readonly o: Required<RedisInboxOptions>,
    private readonly answered: AnsweredEntries,
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

/**
 * Entries this process has answered but not yet acknowledged. The reply goes
 * to the platform before the acknowledgement reaches Redis; if Redis goes
 * away in between, the entry stays pending and comes back once Redis returns.
 * Remembering it here means this process then only acknowledges it, instead
 * of sending the person the same reply twice. (Were the process itself to die
 * in that moment, the next holder resends the reply: a duplicate is better
 * than a lost answer.) Bounded; the oldest are forgotten first.
 */
class AnsweredEntries {
  readonly #entries = new Set<string>();

  constructor(private readonly maxEntries = 10_000) {}

  has(entry: string): boolean {
    return this.#entries.has(entry);
  }

  add(entry: string): void {
    this.#entries.add(entry);
    for (const oldest of this.#entries) {
      if (this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(oldest);
    }
  }

  delete(entry: string): void {
    this.#entries.delete(entry);
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
      event = JSON.parse(String(entry.message.e)) as InboundEvent;
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

/** Redis gave no answer in time. */
export class RedisDeadlineError extends BotError {
  constructor(ms: number) {
    super(`Redis did not answer within ${ms} ms`);
  }
}

/** Rejects when `work` takes longer than `ms`: one plain timer, cleared as soon as the answer comes. */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisDeadlineError(ms)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
