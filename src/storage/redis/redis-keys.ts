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

  /**
   * A hash of the platform delivery ids first seen in one time bucket (field: a letter for the channel,
   * then a digest of the message id), so that a redelivery is answered once. One hash per bucket rather than one key
   * per id, because a key with an expiry costs Redis nearly twice the memory of a hash field. The bucket is
   * Redis' time in ms divided by the dedupe window; the ENQUEUE script in `redis-inbox.ts` appends it to
   * `delivery('')` and lets the hash expire one window after the bucket ends. Erasure leaves it: it holds
   * digests of platform message ids, which name no conversation.
   */
  delivery(bucket: number | ''): string {
    return `${this.prefix}:seen:${bucket}`;
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

  /**
   * Checks the flow scheduled (an unanswered "are you safe?"), scored by when
   * they are due; members are `<check>|<conversation key>`. Erasure removes a
   * conversation's members.
   */
  checks(): string {
    return `${this.prefix}:checks`;
  }

  /**
   * The platform ids of a conversation's recent messages (a sorted set scored
   * by when each was sent), so "clear this chat" can delete them; never what
   * they said. Ids expire after 48 hours; erasure removes the key.
   */
  messageIds(key: string): string {
    return `${this.prefix}:msgids:${key}`;
  }

  /**
   * The X account's OAuth 2.0 user token (access token, the newest refresh
   * token and when the access token expires), as JSON, without expiry: X
   * rotates the refresh token at every refresh, so the newest one must
   * survive restarts and be shared by every instance. A secret like the
   * settings it grew from; not about any person.
   */
  xUserToken(): string {
    return `${this.prefix}:x-oauth2-token`;
  }

  /** A channel's per-conversation side record (Bot Framework reference, Telegram blocked flag). */
  channelRecord(channel: string, key: string): string {
    return `${this.prefix}:${channel}:${key}`;
  }

  /** A handoff ticket: a hash of its details (JSON) and its status and claim fields. Erasure removes it. */
  handoffTicket(id: string): string {
    return `${this.prefix}:handoff:ticket:${id}`;
  }

  /** The queue's order: ticket ids scored `priority * 1e13 + queuedAt`. */
  handoffQueue(): string {
    return `${this.prefix}:handoff:queue`;
  }

  /** Which ticket a conversation has (field: conversation key). Erasure removes its field. */
  handoffByConversation(): string {
    return `${this.prefix}:handoff:by-conversation`;
  }

  /** A conversation's transcript from the moment a handoff was requested (a list). Erasure removes it. */
  handoffTranscript(key: string): string {
    return `${this.prefix}:handoff:transcript:${key}`;
  }

  /** An ended ticket with its transcript, kept for export. Erasure removes it. */
  closedTicket(id: string): string {
    return `${this.prefix}:handoff:closed:${id}`;
  }

  /** The ids of a conversation's ended tickets, so erasure can find them. */
  closedTicketsOf(key: string): string {
    return `${this.prefix}:handoff:closed-of:${key}`;
  }

  /** The console's audit log (a sorted set by time); never a message's words or a person's platform id. */
  auditLog(): string {
    return `${this.prefix}:handoff:audit-log`;
  }

  /** The audit entries of one handler, beside the log for filtering. */
  auditOfHandler(username: string): string {
    return `${this.auditLog()}:handler:${username}`;
  }

  /** The audit entries of one ticket, beside the log for filtering. */
  auditOfTicket(ticketId: string): string {
    return `${this.auditLog()}:ticket:${ticketId}`;
  }

  /** The list the audit log was kept in before it became a sorted set; read once, moved, then deleted. */
  auditLogList(): string {
    return `${this.prefix}:handoff:audit`;
  }

  /** The pub/sub channel console events travel on between instances (a channel, not a key). */
  consoleEvents(): string {
    return `${this.prefix}:handoff:events`;
  }

  /** Call handlers' accounts: username → argon2id hash. */
  handlers(): string {
    return `${this.prefix}:handlers`;
  }

  /** When each handler's sessions were last revoked: username → epoch ms. */
  handlersRevokedAt(): string {
    return `${this.prefix}:handlers:revoked-at`;
  }

  /** The usernames that are supervisors. */
  supervisors(): string {
    return `${this.prefix}:handlers:supervisors`;
  }

  /** A console session, under a SHA-256 of its id so a Redis dump yields no usable cookie. */
  consoleSession(hash: string): string {
    return `${this.prefix}:console-session:${hash}`;
  }

  /** Every live console session's hash, scored by expiry, so a handler's sessions can be listed and ended. */
  consoleSessions(): string {
    return `${this.prefix}:console-sessions`;
  }

  /** Recent sign-in attempts of one subject (a username or an address), a sorted set by time. */
  loginAttempts(subject: string): string {
    return `${this.prefix}:login-attempts:${subject}`;
  }

  /** Marks that a subject's lock-out was already logged, so it is logged once. */
  loginNoted(subject: string): string {
    return `${this.prefix}:login-noted:${subject}`;
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
