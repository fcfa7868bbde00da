import type { BotFrameworkConversationRecord, ConversationReferenceStore } from '../channels/botframework/reference-store.js';
import type { BlockedChats } from '../channels/telegram/blocked-chats.js';
import { FileXTokenStore, type XTokenStore, type XUserToken } from '../channels/twitter/index.js';
import type { AppConfig } from '../config/environment.js';
import type { Logger } from '../core/logger.js';
import type { MessageIdStore } from '../core/chat-clearing.js';
import type { ConversationStore } from '../core/store.js';
import type { Dispatcher } from '../engine/dispatcher.js';
import type { Inbox } from '../inbox/inbox.js';
import { MemoryInbox } from '../inbox/memory-inbox.js';
import { RedisInbox } from '../inbox/redis-inbox.js';
import type { ReadinessCheck } from '../server/create-server.js';
import type { CheckStore } from '../scheduling/check-store.js';
import { MemoryCheckStore } from '../storage/memory/check-store.js';
import { RedisCheckStore } from '../storage/redis/check-store.js';
import { MemoryConversationStore } from '../storage/memory/conversation-store.js';
import { MemoryDeliveryLog } from '../storage/memory/delivery-log.js';
import { MemoryMessageIds } from '../storage/memory/message-ids.js';
import { PartitionLeases } from '../storage/redis/partition-leases.js';
import { connectInBackground, createRedisConnection, type RedisClient } from '../storage/redis/redis-connection.js';
import { RedisConversationStore } from '../storage/redis/conversation-store.js';
import { RedisKeys } from '../storage/redis/redis-keys.js';
import { RedisMessageIds } from '../storage/redis/message-ids.js';
import { RedisChatFlags, RedisJsonRecords, RedisJsonValue } from '../storage/redis/side-records.js';

/** Side records a channel keeps per conversation, shared between instances when Redis is on. */
export interface ChannelStores {
  readonly botframeworkReferences?: ConversationReferenceStore;
  readonly telegramBlocked?: BlockedChats;
  /** The X account's newest OAuth 2.0 tokens (X rotates the refresh token at every refresh). */
  readonly xTokens?: XTokenStore;
}

/**
 * Everything that must be shared between instances: the conversation store,
 * the inbox, channel side records, and how to tell whether they are reachable.
 * In memory by default (one process, for trying the bot); in Redis when
 * `REDIS_URL` is set.
 */
export interface SharedState {
  readonly kind: 'memory' | 'redis';
  readonly store: ConversationStore;
  readonly channelStores: ChannelStores;
  /** Checks the conversation scheduled ("are you safe?" unanswered), until they are due. */
  readonly checks: CheckStore;
  /** The ids (never the text) of each conversation's messages of the last 48 hours, for "clear this chat". */
  readonly messageIds: MessageIdStore;
  readonly readiness: readonly ReadinessCheck[];
  /** The Redis connection and key names, when state lives in Redis. */
  readonly redis?: { readonly client: RedisClient; readonly keys: RedisKeys };
  /** Builds the inbox once the dispatcher exists. */
  inbox(dispatcher: Pick<Dispatcher, 'process'>): Inbox;
  close(): Promise<void>;
}

/** Chooses and builds the shared state from the configuration. */
export function createSharedState(config: AppConfig, logger: Logger): SharedState {
  if (config.redisUrl === undefined) {
    const deliveries = new MemoryDeliveryLog();
    return {
      kind: 'memory',
      store: new MemoryConversationStore({ ttlMs: config.conversationTtlMs }),
      // The one thing kept on disk without Redis: X's rotated refresh token must outlive the process.
      channelStores: config.twitter ? { xTokens: new FileXTokenStore(config.twitter.tokenFile) } : {},
      checks: new MemoryCheckStore(),
      messageIds: new MemoryMessageIds(),
      readiness: [],
      inbox: (dispatcher) => new MemoryInbox(dispatcher, deliveries, logger),
      close: async () => undefined,
    };
  }
  return createRedisState(config, config.redisUrl, logger);
}

/**
 * Two connections: `client` for everything occasional (leases, the console,
 * the handoff queue), whose commands time out after 5 s; and `hot` for the
 * commands every message makes (inbox, snapshots, Telegram's blocked flag),
 * without node-redis' per-command timer, and kept apart so that a busy
 * console never queues ahead of a webhook.
 */
function createRedisState(config: AppConfig, url: string, logger: Logger): SharedState {
  const client: RedisClient = createRedisConnection({ url, logger });
  const hot: RedisClient = createRedisConnection({ url, logger, commandTimeoutMs: 0, name: 'redis-messages' });
  connectInBackground(client, logger);
  connectInBackground(hot, logger);
  const keys = new RedisKeys(config.redisPrefix);
  const leases = new PartitionLeases(client, keys, config.inboxPartitions);
  const ttl = config.conversationTtlMs;
  let inbox: RedisInbox | undefined;
  return {
    kind: 'redis',
    redis: { client, keys },
    store: new RedisConversationStore(hot, keys, leases, ttl),
    checks: new RedisCheckStore(client, keys),
    messageIds: new RedisMessageIds(hot, keys),
    channelStores: {
      botframeworkReferences: new RedisJsonRecords<BotFrameworkConversationRecord>(client, keys, 'botframework', ttl),
      telegramBlocked: new RedisChatFlags(hot, keys, 'telegram-blocked', ttl),
      xTokens: new RedisJsonValue<XUserToken>(client, keys.xUserToken()),
    },
    readiness: [
      {
        name: 'redis',
        check: async () => client.isReady && hot.isReady && (await client.ping()) === 'PONG',
      },
    ],
    inbox(dispatcher) {
      inbox = new RedisInbox({ client: hot, keys, leases, dispatcher, logger });
      return inbox;
    },
    async close() {
      await inbox?.stop();
      await Promise.all([client.close().catch(() => undefined), hot.close().catch(() => undefined)]);
    },
  };
}
