import { randomBytes } from 'node:crypto';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import { AUDIT_PAGE, auditPage, auditWindow, DEFAULT_AUDIT_RETENTION_DAYS, matchesAudit, pageOf } from '../../handoff/audit-query.js';
import type { AuditEntry, AuditLog, AuditPage, AuditQuery } from '../../handoff/handoff-model.js';
import { auditRecord } from '../memory/audit-log.js';

/** Where a {@link RedisAuditLog} keeps entries and for how long. */
export interface RedisAuditLogOptions {
  readonly client: RedisClient;
  /**
   * The log ({@link RedisKeys.auditLog}), with {@link RedisKeys.auditOfHandler}
   * and {@link RedisKeys.auditOfTicket} beside it for filtering.
   */
  readonly keys: RedisKeys;
  /** The force's retention period in days (`AUDIT_RETENTION_DAYS`). */
  readonly retentionDays?: number;
}

/**
 * Moves the entries of the list the log used to be (newest 10,000, JSON
 * lines) into the sorted sets, in one step so that two instances starting
 * together move them once, then deletes the list.
 * KEYS: the old list. ARGV: log key, unique prefix for members, retention ms.
 */
const MOVE_OLD_LIST = `
local lines = redis.call('LRANGE', KEYS[1], 0, -1)
for i, line in ipairs(lines) do
  local ok, e = pcall(cjson.decode, line)
  if ok and type(e) == 'table' and type(e.at) == 'number' and type(e.handler) == 'string' then
    e.id = ARGV[2] .. i
    local member = cjson.encode(e)
    local score = string.format('%d', e.at)
    redis.call('ZADD', ARGV[1], score, member)
    local indexes = { ARGV[1] .. ':handler:' .. e.handler }
    if type(e.ticketId) == 'string' then table.insert(indexes, ARGV[1] .. ':ticket:' .. e.ticketId) end
    for _, index in ipairs(indexes) do
      redis.call('ZADD', index, score, member)
      redis.call('PEXPIRE', index, ARGV[3])
    end
  end
end
redis.call('DEL', KEYS[1])
return #lines`;

/**
 * The audit log shared by every instance, kept for the force's retention
 * period rather than a number of entries. Each entry is a member of a sorted
 * set scored by its time, so it can be trimmed by time and read by date
 * range: one set holds the whole log, and the same member goes into a set
 * per handler (actor, or the one taken over from) and one per ticket, so a
 * filtered read does not scan the whole year. Writing an entry, its index
 * entries and the trims is one transaction; the index sets also expire a
 * retention period after their last entry, so those of long-gone tickets
 * disappear. Only the audit fields are stored (never message text), with a
 * random id that keeps two identical entries apart.
 */
export class RedisAuditLog implements AuditLog {
  readonly #client: RedisClient;
  readonly #keys: RedisKeys;
  readonly #key: string;
  readonly #oldListKey: string;
  readonly #retentionMs: number;
  #movedOldList: Promise<unknown> | undefined;

  constructor({ client, keys, retentionDays = DEFAULT_AUDIT_RETENTION_DAYS }: RedisAuditLogOptions) {
    this.#client = client;
    this.#keys = keys;
    this.#key = keys.auditLog();
    this.#oldListKey = keys.auditLogList();
    this.#retentionMs = retentionDays * 24 * 3600_000;
  }

  async append(entry: AuditEntry): Promise<void> {
    await this.#ready();
    const record = auditRecord(entry);
    const member = JSON.stringify({ ...record, id: randomBytes(8).toString('base64url') });
    const expired = `(${record.at - this.#retentionMs}`;
    const transaction = this.#client.multi().zAdd(this.#key, { score: record.at, value: member }).zRemRangeByScore(this.#key, '-inf', expired);
    for (const index of this.#indexesOf(record)) {
      transaction.zAdd(index, { score: record.at, value: member }).zRemRangeByScore(index, '-inf', expired).pExpire(index, this.#retentionMs);
    }
    await transaction.exec();
  }

  async query(query: AuditQuery): Promise<AuditPage> {
    await this.#ready();
    let window = auditWindow(query);
    if (window.limit === 0) return { entries: [] };
    const { handler, ticketId } = query;
    if (ticketId !== undefined || handler !== undefined) {
      // An index set is trimmed only when it is written to: it may still hold what the whole log has already dropped.
      window = { ...window, min: Math.max(window.min, await this.#oldestKept()) };
    }
    if (ticketId !== undefined && handler !== undefined) {
      // One ticket's entries are few: read them all and filter by handler here.
      return pageOf((await this.#read(this.#ticketKey(ticketId), window)).filter((e) => matchesAudit(e, query)), window);
    }
    const key = ticketId !== undefined ? this.#ticketKey(ticketId) : handler !== undefined ? this.#handlerKey(handler) : this.#key;
    return auditPage(await this.#read(key, window, { offset: window.offset, count: window.limit + 1 }), window);
  }

  async list(limit = 100): Promise<AuditEntry[]> {
    return (await this.query({ limit: Math.min(limit, AUDIT_PAGE.max) })).entries;
  }

  /** Entries of one sorted set in the window's time range, newest first (all of them, or a slice). */
  async #read(key: string, window: { min: number; max: number }, limit?: { offset: number; count: number }): Promise<AuditEntry[]> {
    const score = (n: number) => (n === Infinity ? '+inf' : n === -Infinity ? '-inf' : String(n));
    const members = await this.#client.zRange(key, score(window.max), score(window.min), { BY: 'SCORE', REV: true, ...(limit && { LIMIT: limit }) });
    return members.map((member) => auditRecord(JSON.parse(member) as AuditEntry));
  }

  /** The time of the oldest entry the retention period keeps, counted back from the newest in the log. */
  async #oldestKept(): Promise<number> {
    const [newest] = await this.#client.zRangeWithScores(this.#key, 0, 0, { REV: true });
    return newest === undefined ? -Infinity : newest.score - this.#retentionMs;
  }

  /** The per-handler and per-ticket sets an entry belongs in. */
  #indexesOf(entry: AuditEntry): string[] {
    const handlers = new Set([entry.handler, ...(entry.about === undefined ? [] : [entry.about])]);
    return [...[...handlers].map((h) => this.#handlerKey(h)), ...(entry.ticketId === undefined ? [] : [this.#ticketKey(entry.ticketId)])];
  }

  #handlerKey(handler: string): string {
    return this.#keys.auditOfHandler(handler);
  }

  #ticketKey(ticketId: string): string {
    return this.#keys.auditOfTicket(ticketId);
  }

  /** Moves the older capped list into the log before this instance first reads or writes it. */
  #ready(): Promise<unknown> {
    this.#movedOldList ??= this.#client
      .eval(MOVE_OLD_LIST, {
        keys: [this.#oldListKey],
        arguments: [this.#key, `moved-${randomBytes(6).toString('base64url')}-`, String(this.#retentionMs)],
      })
      .catch((error: unknown) => {
        // Try again on the next call rather than never.
        this.#movedOldList = undefined;
        throw error;
      });
    return this.#movedOldList;
  }
}
