import type { KeyValueStore } from '../../core/store.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';

/**
 * A JSON record per conversation for a channel's own needs (the Bot Framework
 * conversation reference that proactive replies need), shared by every
 * instance and expiring with the conversation. The core's key-value store,
 * so it slots in without the channel knowing Redis.
 */
export class RedisJsonRecords<T> implements KeyValueStore<T> {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly channel: string,
    private readonly ttlMs: number,
  ) {}

  async read(key: string): Promise<T | undefined> {
    const raw = await this.client.get(this.keys.channelRecord(this.channel, key));
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async write(key: string, value: T): Promise<void> {
    await this.client.set(this.keys.channelRecord(this.channel, key), JSON.stringify(value), { expiration: { type: 'PX', value: this.ttlMs } });
  }

  async delete(key: string): Promise<void> {
    await this.client.del(this.keys.channelRecord(this.channel, key));
  }
}

/**
 * A yes/no mark per chat shared by every instance: which Telegram chats have
 * blocked the bot, so no instance keeps sending to them.
 */
export class RedisChatFlags {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly name: string,
    private readonly ttlMs: number,
  ) {}

  async block(chatId: string): Promise<void> {
    await this.client.set(this.keys.channelRecord(this.name, chatId), '1', { expiration: { type: 'PX', value: this.ttlMs } });
  }

  /** True when the chat was marked (DEL answers how many keys it removed). */
  async unblock(chatId: string): Promise<boolean> {
    return (await this.client.del(this.keys.channelRecord(this.name, chatId))) > 0;
  }

  async isBlocked(chatId: string): Promise<boolean> {
    return (await this.client.exists(this.keys.channelRecord(this.name, chatId))) === 1;
  }
}

/**
 * One JSON value under one key, without expiry, shared by every instance:
 * the X account's OAuth 2.0 tokens, which the next start must find.
 */
export class RedisJsonValue<T> {
  constructor(
    private readonly client: RedisClient,
    private readonly key: string,
  ) {}

  async read(): Promise<T | undefined> {
    const raw = await this.client.get(this.key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async write(value: T): Promise<void> {
    await this.client.set(this.key, JSON.stringify(value));
  }
}
