/**
 * Names of every key the bot keeps in Redis, in one place so that what is
 * stored (and what erasure must remove) can be read off this file. All keys
 * share a prefix so that one Redis can serve several forces or test runs.
 */
export class RedisKeys {
  constructor(readonly prefix = 'ssb') {}

  /** A conversation's snapshot record (JSON, TTL refreshed on activity). */
  conversation(key: string): string {
    return `${this.prefix}:conv:${key}`;
  }

  /** Marks a platform delivery id as seen (SET NX, expires after the dedupe window). */
  delivery(id: string): string {
    return `${this.prefix}:seen:${id}`;
  }

  /** The inbox stream of one partition. */
  inbox(partition: number): string {
    return `${this.prefix}:inbox:${partition}`;
  }

  /** Who holds a partition now: `instance|fencing token`, with an expiry. */
  lease(partition: number): string {
    return `${this.prefix}:lease:${partition}`;
  }

  /** The partition's fencing counter: every new holder gets a larger token. */
  fence(partition: number): string {
    return `${this.prefix}:fence:${partition}`;
  }

  /** Live instances, scored by last heartbeat (ms), for sharing partitions fairly. */
  instances(): string {
    return `${this.prefix}:instances`;
  }

  /** A channel's per-conversation side record (Bot Framework reference, Telegram blocked flag). */
  channelRecord(channel: string, key: string): string {
    return `${this.prefix}:${channel}:${key}`;
  }
}

/** The consumer group that every instance's workers belong to. */
export const INBOX_GROUP = 'workers';

/**
 * The partition a conversation belongs to (FNV-1a). All of one person's
 * messages land in one partition, which one instance processes at a time, in
 * arrival order.
 */
export function partitionOf(conversationKey: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < conversationKey.length; i++) {
    hash ^= conversationKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
