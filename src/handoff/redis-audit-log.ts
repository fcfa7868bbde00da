import type { RedisClient } from '../storage/redis/redis-connection.js';
import type { RedisKeys } from '../storage/redis/redis-keys.js';
import type { AuditEntry, AuditLog } from './handoff-model.js';
import { AUDIT_DEFAULTS, auditRecord } from './memory-audit-log.js';

/** Where a {@link RedisAuditLog} keeps entries and how many. */
export interface RedisAuditLogOptions {
  readonly client: RedisClient;
  /** Only the prefix is used: the log is the list `<prefix>:handoff:audit`. */
  readonly keys: RedisKeys;
  readonly maxEntries?: number;
}

/**
 * The audit log shared by every instance: a Redis list, newest first, pushed
 * and trimmed to `maxEntries` in one transaction, so every instance's actions
 * land in one record. Only the audit fields are stored (never message text).
 */
export class RedisAuditLog implements AuditLog {
  readonly #client: RedisClient;
  readonly #key: string;
  readonly #maxEntries: number;

  constructor({ client, keys, maxEntries = AUDIT_DEFAULTS.maxEntries }: RedisAuditLogOptions) {
    this.#client = client;
    this.#key = `${keys.prefix}:handoff:audit`;
    this.#maxEntries = maxEntries;
  }

  async append(entry: AuditEntry): Promise<void> {
    await this.#client
      .multi()
      .lPush(this.#key, JSON.stringify(auditRecord(entry)))
      .lTrim(this.#key, 0, this.#maxEntries - 1)
      .exec();
  }

  async list(limit: number = AUDIT_DEFAULTS.listLimit): Promise<AuditEntry[]> {
    if (limit <= 0) return [];
    const raw = await this.#client.lRange(this.#key, 0, limit - 1);
    return raw.map((line) => JSON.parse(line) as AuditEntry);
  }
}
