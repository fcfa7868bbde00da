import { type KeptMessage, MESSAGE_ID_TTL_MS, type MessageIdStore } from '../../core/chat-clearing.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';

/** A sorted-set member: who sent it (`b` the bot, `p` the person), a bar, the platform id. */
const member = (m: Pick<KeptMessage, 'id' | 'from'>) => `${m.from === 'bot' ? 'b' : 'p'}|${m.id}`;

/**
 * Message ids in Redis: one sorted set per conversation, scored by when each
 * message was sent. Ids older than {@link MESSAGE_ID_TTL_MS} are trimmed on
 * every write and never listed, and the whole key expires that long after
 * the newest, so nothing outlives its 48 hours.
 */
export class RedisMessageIds implements MessageIdStore {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly ttlMs = MESSAGE_ID_TTL_MS,
  ) {}

  async add(key: string, messages: readonly KeptMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const redisKey = this.keys.messageIds(key);
    const newest = Math.max(...messages.map((m) => m.at));
    // One round trip, without MULTI and EXEC: each command stands on its own, so no transaction is needed.
    await this.client
      .multi()
      .zAdd(redisKey, messages.map((m) => ({ score: m.at, value: member(m) })))
      .zRemRangeByScore(redisKey, '-inf', newest - this.ttlMs)
      .pExpire(redisKey, this.ttlMs)
      .execAsPipeline();
  }

  async list(key: string, now: number): Promise<KeptMessage[]> {
    const found = await this.client.zRangeByScoreWithScores(this.keys.messageIds(key), `(${now - this.ttlMs}`, '+inf');
    return found.flatMap(({ value, score }) => {
      const bar = value.indexOf('|');
      const from = value.slice(0, bar);
      if (bar < 0 || (from !== 'b' && from !== 'p')) return [];
      return [{ id: value.slice(bar + 1), from: from === 'b' ? ('bot' as const) : ('person' as const), at: score }];
    });
  }

  async remove(key: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.client.zRem(this.keys.messageIds(key), ids.flatMap((id) => [member({ id, from: 'bot' }), member({ id, from: 'person' })]));
  }

  async erase(key: string): Promise<void> {
    await this.client.del(this.keys.messageIds(key));
  }
}
