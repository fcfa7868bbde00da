/**
 * What is kept about one conversation between messages. The snapshot is the
 * flow machine's persisted snapshot (plain JSON); `flowVersion` says which
 * version of the flow wrote it, so a snapshot from an older flow is never
 * restored into a machine that no longer has its states.
 */
export interface StoredConversation {
  readonly flowVersion: number;
  readonly snapshot: unknown;
  /**
   * The button ids last offered. A press of any other answer button is stale
   * (pressed after the conversation moved on) and is not acted on, so that,
   * say, a second tap on "I'm safe" is never read as an answer to the age question.
   */
  readonly offered?: readonly string[];
  /** Recent message times (ms), newest last, for the per-person rate limit. */
  readonly recent: readonly number[];
  /**
   * The language last used with this person, so that messages that carry no
   * platform hint (a call handler's, a queue time-out) reach them in it.
   */
  readonly locale?: string;
  /**
   * The last durable turn (set only when the event came from a durable inbox):
   * its inbox entry id and what it said, as locale keys. If the process dies
   * after saving but before the reply went out, the redelivered entry is
   * recognised and the same reply is sent, instead of running the message twice.
   */
  readonly lastTurn?: LastTurn;
  /** When this record was last written (ms since epoch). */
  readonly updatedAt: number;
  /**
   * When the conversation's first message arrived (ms), so "clear this chat"
   * can say when older messages remain; absent for one stored before this was kept.
   */
  readonly since?: number;
  /** When the risk to their life last rose to the level the flow holds (ms), for the call handler's summary. */
  readonly riskAt?: number;
  /** When they first said someone puts them in danger (ms), for the call handler's summary. */
  readonly dangerAt?: number;
}

/** A reply as stored: a locale key, its variables and button ids (the flow's Reply, structurally). */
export interface StoredReply {
  readonly key: string;
  readonly vars?: Readonly<Record<string, string | number | boolean>>;
  readonly choices?: readonly string[];
}

/** See {@link StoredConversation.lastTurn}. */
export interface LastTurn {
  readonly id: string;
  readonly locale: string;
  readonly replies: readonly StoredReply[];
}

/**
 * Where conversations live between messages. Three methods, like grammY's
 * StorageAdapter, so that the in-memory default and Redis are interchangeable.
 * Implementations expire a record `ttlMs` after its last write.
 */
export type ConversationStore = KeyValueStore<StoredConversation>;

/**
 * A record per key, in memory or in Redis: the one small storage interface
 * for plain key-value records (conversations, Bot Framework's conversation
 * references), three methods as grammY's storage adapters have.
 */
export interface KeyValueStore<T> {
  /** The record, or undefined when there is none (never written, deleted or expired). */
  read(key: string): Promise<T | undefined>;
  write(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * Runs work for one conversation at a time, in arrival order, so that two
 * messages from one person never race on the same snapshot.
 */
export interface ConversationLock {
  runExclusive<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/**
 * Remembers which platform deliveries were already handled, so a redelivered
 * webhook gets no second answer. `firstSeen` marks the id and says whether this
 * is the first time it was seen (atomic, like Redis SET NX).
 */
export interface DeliveryLog {
  firstSeen(deliveryId: string): Promise<boolean>;
  /** Removes the mark again, used when handling failed so a retry is not dropped. */
  forget(deliveryId: string): Promise<void>;
}
