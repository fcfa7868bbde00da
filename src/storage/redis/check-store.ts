import { type ConversationKey, conversationKeyToString } from '../../core/conversation-key.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import { type CheckStore, type DueCheck, checkMember, parseCheckMember } from '../../scheduling/check-store.js';

/**
 * Takes up to ARGV[2] members due by ARGV[1] from the sorted set KEYS[1] and
 * returns them with their scores, in one step: two instances sweeping at
 * once never both take a check.
 */
const TAKE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
for i = 1, #due, 2 do redis.call('ZREM', KEYS[1], due[i]) end
return due`;

/**
 * Scheduled checks in Redis, shared by every instance: one sorted set scored
 * by when each check is due (see `RedisKeys.checks`).
 */
export class RedisCheckStore implements CheckStore {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async schedule(key: ConversationKey, check: 'safety', dueAt: number): Promise<void> {
    await this.client.zAdd(this.keys.checks(), { score: dueAt, value: checkMember(check, conversationKeyToString(key)) });
  }

  async take(now: number, limit = 100): Promise<DueCheck[]> {
    const reply = (await this.client.eval(TAKE, { keys: [this.keys.checks()], arguments: [String(now), String(limit)] })) as unknown[];
    const taken: DueCheck[] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const parsed = parseCheckMember(String(reply[i]));
      if (parsed) taken.push({ ...parsed, dueAt: Number(reply[i + 1]) });
    }
    return taken;
  }

  async erase(conversationKey: string): Promise<void> {
    await this.client.zRem(this.keys.checks(), checkMember('safety', conversationKey));
  }
}
