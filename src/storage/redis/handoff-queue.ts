import { StoreError } from '../../core/errors.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import type { ClaimFields, HandoffQueue, HandoffTicket, NewTicket } from '../../handoff/handoff-model.js';
import { freshTicket, mergeTicket, queueScore } from '../../handoff/ticket-merge.js';

/**
 * Creates a ticket unless the conversation already has one; returns the id
 * that now stands for the conversation (the new one, or the one already there).
 * KEYS: ticket, order, index. ARGV: conversation key, id, ticket JSON, score.
 */
const CREATE = `
local existing = redis.call('HGET', KEYS[3], ARGV[1])
if existing then return existing end
redis.call('HSET', KEYS[1], 'ticket', ARGV[3], 'conv', ARGV[1], 'status', 'queued')
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
return ARGV[2]`;

/**
 * Replaces a ticket's queued details only if nobody changed them since they
 * were read (compare and set); returns the whole record, or false to retry.
 * KEYS: ticket, order. ARGV: expected JSON, new JSON, score, id.
 */
const UPDATE = `
if redis.call('HGET', KEYS[1], 'ticket') ~= ARGV[1] then return false end
redis.call('HSET', KEYS[1], 'ticket', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
return redis.call('HGETALL', KEYS[1])`;

/** Claims a queued ticket. KEYS: ticket. ARGV: handler, now. */
const CLAIM = `
if redis.call('HGET', KEYS[1], 'status') ~= 'queued' then return false end
redis.call('HSET', KEYS[1], 'status', 'claimed', 'claimedBy', ARGV[1], 'claimedAt', ARGV[2], 'lastActivityAt', ARGV[2])
redis.call('HDEL', KEYS[1], 'requeuedAt')
return redis.call('HGETALL', KEYS[1])`;

/** True when KEYS[1] is claimed by ARGV[1]; the first lines of the scripts that act only for the holder. */
const HELD = `local function held()
  return redis.call('HGET', KEYS[1], 'status') == 'claimed' and redis.call('HGET', KEYS[1], 'claimedBy') == ARGV[1]
end
`;

/** Records the holder's activity. KEYS: ticket. ARGV: handler, now. */
const TOUCH = `${HELD}
if not held() then return 0 end
local last = tonumber(redis.call('HGET', KEYS[1], 'lastActivityAt') or '0') or 0
if tonumber(ARGV[2]) > last then redis.call('HSET', KEYS[1], 'lastActivityAt', ARGV[2]) end
return 1`;

/**
 * Puts a ticket the handler holds back in the queue (same score, so same
 * place), unless an idle cut-off is given and the holder acted after it.
 * KEYS: ticket. ARGV: handler, now, idle cut-off or ''.
 */
const RELEASE = `${HELD}
if not held() then return false end
if ARGV[3] ~= '' and (tonumber(redis.call('HGET', KEYS[1], 'lastActivityAt') or '0') or 0) > tonumber(ARGV[3]) then return false end
redis.call('HSET', KEYS[1], 'status', 'queued', 'requeuedAt', ARGV[2])
redis.call('HDEL', KEYS[1], 'claimedBy', 'claimedAt', 'lastActivityAt')
return redis.call('HGETALL', KEYS[1])`;

/** Hands a ticket from its holder to another handler. KEYS: ticket. ARGV: holder, new holder, now. */
const REASSIGN = `${HELD}
if not held() then return false end
redis.call('HSET', KEYS[1], 'claimedBy', ARGV[2], 'claimedAt', ARGV[3], 'lastActivityAt', ARGV[3])
return redis.call('HGETALL', KEYS[1])`;

/**
 * Removes a ticket, its place in the queue and its index entry; with ARGV[2]
 * '1', only while it is queued. KEYS: ticket, order, index. ARGV: id, only-if-queued.
 */
const REMOVE = `
local fields = redis.call('HGETALL', KEYS[1])
if #fields == 0 then return false end
if ARGV[2] == '1' and redis.call('HGET', KEYS[1], 'status') ~= 'queued' then return false end
local conv = redis.call('HGET', KEYS[1], 'conv')
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('HGET', KEYS[3], conv) == ARGV[1] then redis.call('HDEL', KEYS[3], conv) end
return fields`;

/** How many times a re-queue retries when another instance changes the same ticket in between. */
const MAX_ATTEMPTS = 20;

/** The ticket fields that only change on re-queue, kept as one JSON value next to the claim fields. */
type QueuedPart = Omit<HandoffTicket, ClaimFields>;

/** Where a {@link RedisHandoffQueue} keeps its data. */
export interface RedisHandoffQueueOptions {
  readonly client: RedisClient;
  /** Tickets, the queue's order and the index by conversation. */
  readonly keys: RedisKeys;
}

/**
 * The handoff queue shared by every instance through Redis, so a handler on
 * one instance sees and claims a person who arrived at another. Each ticket
 * is a hash (its details as JSON, plus status and claim fields), ordered by a
 * sorted set scored `priority * 1e13 + queuedAt`, and found by conversation
 * through an index hash. Claim, touch, release, reassign, remove and creation
 * are single Lua scripts, so two handlers on two instances claiming one
 * ticket get exactly one success; a re-queue merges in JavaScript and writes
 * with a compare-and-set script, retrying if the ticket changed in between.
 */
export class RedisHandoffQueue implements HandoffQueue {
  readonly #client: RedisClient;
  readonly #keys: RedisKeys;

  constructor({ client, keys }: RedisHandoffQueueOptions) {
    this.#client = client;
    this.#keys = keys;
  }

  #ticketKey(id: string): string {
    return this.#keys.handoffTicket(id);
  }

  get #orderKey(): string {
    return this.#keys.handoffQueue();
  }

  get #indexKey(): string {
    return this.#keys.handoffByConversation();
  }

  async enqueue(ticket: NewTicket, now: number): Promise<HandoffTicket> {
    const queued = await this.#merge(ticket, now, false);
    if (!queued) throw new StoreError('handoff ticket could not be queued');
    return queued;
  }

  async refresh(ticket: NewTicket): Promise<HandoffTicket | undefined> {
    return this.#merge(ticket, 0, true);
  }

  /** Merges into the conversation's ticket, creating it unless `onlyIfPresent` (then undefined when there is none). */
  async #merge(ticket: NewTicket, now: number, onlyIfPresent: boolean): Promise<HandoffTicket | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      let id = await this.#client.hGet(this.#indexKey, ticket.conversationKey);
      if (id === null && onlyIfPresent) return undefined;
      if (id === null) {
        const fresh: QueuedPart = queuedPart(freshTicket(ticket, now));
        const winner = String(
          await this.#client.eval(CREATE, {
            keys: [this.#ticketKey(fresh.id), this.#orderKey, this.#indexKey],
            arguments: [ticket.conversationKey, fresh.id, JSON.stringify(fresh), String(queueScore(fresh))],
          }),
        );
        if (winner === fresh.id) return { ...fresh, status: 'queued' };
        id = winner;
      }
      const fields = await this.#client.hGetAll(this.#ticketKey(id));
      const raw = fields.ticket;
      if (raw === undefined) {
        if (onlyIfPresent) return undefined;
        continue;
      }
      const merged = mergeTicket(fromRecord(fields), ticket);
      const updated = await this.#client.eval(UPDATE, {
        keys: [this.#ticketKey(id), this.#orderKey],
        arguments: [raw, JSON.stringify(queuedPart(merged)), String(queueScore(merged)), id],
      });
      if (updated !== null) return fromFields(updated);
    }
    throw new StoreError(`handoff ticket kept changing while being re-queued (${MAX_ATTEMPTS} attempts)`);
  }

  async get(id: string): Promise<HandoffTicket | undefined> {
    const fields = await this.#client.hGetAll(this.#ticketKey(id));
    return fields.ticket === undefined ? undefined : fromRecord(fields);
  }

  async byConversation(conversationKey: string): Promise<HandoffTicket | undefined> {
    const id = await this.#client.hGet(this.#indexKey, conversationKey);
    return id === null ? undefined : this.get(id);
  }

  async list(): Promise<HandoffTicket[]> {
    const ids = await this.#client.zRange(this.#orderKey, 0, -1);
    const tickets = await Promise.all(ids.map((id) => this.get(id)));
    return tickets.filter((t): t is HandoffTicket => t !== undefined);
  }

  async claim(id: string, handler: string, now: number): Promise<HandoffTicket | undefined> {
    return this.#ticketScript(CLAIM, id, [handler, String(now)]);
  }

  async touch(id: string, handler: string, now: number): Promise<boolean> {
    return Number(await this.#client.eval(TOUCH, { keys: [this.#ticketKey(id)], arguments: [handler, String(now)] })) === 1;
  }

  async release(id: string, handler: string, now: number, { idleSince }: { idleSince?: number } = {}): Promise<HandoffTicket | undefined> {
    return this.#ticketScript(RELEASE, id, [handler, String(now), idleSince === undefined ? '' : String(idleSince)]);
  }

  async reassign(id: string, from: string, to: string, now: number): Promise<HandoffTicket | undefined> {
    return this.#ticketScript(REASSIGN, id, [from, to, String(now)]);
  }

  /** Runs a script on one ticket's hash that answers the whole record, or nothing when it did not apply. */
  async #ticketScript(script: string, id: string, args: string[]): Promise<HandoffTicket | undefined> {
    const fields = await this.#client.eval(script, { keys: [this.#ticketKey(id)], arguments: args });
    return fields === null ? undefined : fromFields(fields);
  }

  async remove(id: string, { onlyIfQueued = false }: { onlyIfQueued?: boolean } = {}): Promise<HandoffTicket | undefined> {
    const fields = await this.#client.eval(REMOVE, {
      keys: [this.#ticketKey(id), this.#orderKey, this.#indexKey],
      arguments: [id, onlyIfQueued ? '1' : '0'],
    });
    return fields === null ? undefined : fromFields(fields);
  }
}

function queuedPart(ticket: HandoffTicket): QueuedPart {
  const { status: _status, claimedBy: _by, claimedAt: _at, lastActivityAt: _active, requeuedAt: _requeued, ...rest } = ticket;
  return rest;
}

/** A script's HGETALL reply (a flat name, value, name, value… array) as a ticket. */
function fromFields(reply: unknown): HandoffTicket {
  if (!Array.isArray(reply)) throw new StoreError('unexpected reply from a handoff queue script');
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) record[String(reply[i])] = String(reply[i + 1]);
  return fromRecord(record);
}

function fromRecord(record: Record<string, string>): HandoffTicket {
  if (record.ticket === undefined) throw new StoreError('handoff ticket record has no details');
  const queued = JSON.parse(record.ticket) as QueuedPart;
  if (record.status === 'claimed' && record.claimedBy !== undefined) {
    const claimedAt = Number(record.claimedAt);
    return { ...queued, status: 'claimed', claimedBy: record.claimedBy, claimedAt, lastActivityAt: Number(record.lastActivityAt ?? claimedAt) };
  }
  return { ...queued, status: 'queued', ...(record.requeuedAt === undefined ? {} : { requeuedAt: Number(record.requeuedAt) }) };
}
