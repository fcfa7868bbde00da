import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '../../storage/redis/redis-connection.js';
import { RedisKeys } from '../../storage/redis/redis-keys.js';

/** A signed-in call handler's session. Lives only on the server; the browser holds just `id`. */
export interface Session {
  /** 32 random bytes, base64url: the cookie value. */
  readonly id: string;
  readonly username: string;
  /** 32 random bytes, base64url: must come back in `x-csrf-token` on every state-changing request. */
  readonly csrfToken: string;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms of the last request that used the session. */
  readonly lastSeenAt: number;
}

/**
 * Where console sessions live. `get` is the only way to read one and it
 * enforces every rule (idle and absolute time-outs, revocation), so no caller
 * can forget one.
 */
export interface SessionStore {
  create(username: string, now: number): Promise<Session>;
  /** The live session with this id, touched (`lastSeenAt = now`); undefined when unknown, timed out or revoked. */
  get(id: string, now: number): Promise<Session | undefined>;
  /**
   * The live session with this id, as {@link get} but not touched: for checks
   * the server makes on its own (a live stream's heartbeat), which are not
   * the handler's activity and must not keep an idle session alive.
   */
  peek(id: string, now: number): Promise<Session | undefined>;
  destroy(id: string): Promise<void>;
  /** Ends every session of one handler (removal, password reset). */
  destroyAllFor(username: string): Promise<void>;
  /** How many distinct handlers have a live session: "is anyone signed in?". */
  activeHandlers(now: number): Promise<number>;
  /** The handlers with a live session: a claim held by anyone else goes back to the queue. */
  liveHandlers(now: number): Promise<Set<string>>;
  /** When the session ends however busy it is (its absolute time-out), so the page can warn before then. */
  endsAt(session: Session): number;
}

/** The time-outs and revocation source shared by both stores. */
export interface SessionPolicy {
  /** A session unused for this long is over (default 15 minutes). */
  readonly idleMs?: number;
  /** A session is over this long after sign-in, however busy (default 12 hours, a night shift). */
  readonly absoluteMs?: number;
  /**
   * When the handler's sessions were last revoked (epoch ms): sessions created
   * at or before it are refused. This is how the CLI ends sessions held in a
   * running server's memory; pass `accounts.revokedAt`.
   */
  readonly revokedAt?: (username: string) => Promise<number | undefined>;
}

/** Default idle time-out: 15 minutes. */
export const DEFAULT_IDLE_MS = 15 * 60_000;
/** Default absolute time-out: 12 hours, the longest shift a control room works. */
export const DEFAULT_ABSOLUTE_MS = 12 * 3600_000;

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** A fresh session with unguessable id and CSRF token. */
export function newSession(username: string, now: number): Session {
  return {
    id: randomBytes(32).toString('base64url'),
    username,
    csrfToken: randomBytes(32).toString('base64url'),
    createdAt: now,
    lastSeenAt: now,
  };
}

/** Checks shared by both stores: time-outs first (cheap), then revocation. */
class SessionRules {
  readonly idleMs: number;
  readonly absoluteMs: number;
  readonly #revokedAt: (username: string) => Promise<number | undefined>;

  constructor({ idleMs = DEFAULT_IDLE_MS, absoluteMs = DEFAULT_ABSOLUTE_MS, revokedAt = async () => undefined }: SessionPolicy) {
    this.idleMs = idleMs;
    this.absoluteMs = absoluteMs;
    this.#revokedAt = revokedAt;
  }

  /** When the session ends however busy it is. */
  absoluteEnd(session: Session): number {
    return session.createdAt + this.absoluteMs;
  }

  /** When the session ends if unused from now on. */
  expiresAt(session: Session): number {
    return Math.min(session.lastSeenAt + this.idleMs, session.createdAt + this.absoluteMs);
  }

  async live(session: Session, now: number): Promise<boolean> {
    if (now >= this.expiresAt(session)) return false;
    const revoked = await this.#revokedAt(session.username);
    return revoked === undefined || session.createdAt > revoked;
  }
}

/** Sessions in this process's memory, for a single server without Redis. */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #rules: SessionRules;

  constructor(policy: SessionPolicy = {}) {
    this.#rules = new SessionRules(policy);
  }

  async create(username: string, now: number): Promise<Session> {
    // Sessions abandoned without signing out are dropped here, so memory stays bounded.
    for (const [id, old] of this.#sessions) if (now >= this.#rules.expiresAt(old)) this.#sessions.delete(id);
    const session = newSession(username, now);
    this.#sessions.set(session.id, session);
    return session;
  }

  async get(id: string, now: number): Promise<Session | undefined> {
    const session = await this.peek(id, now);
    if (!session) return undefined;
    const touched = { ...session, lastSeenAt: Math.max(session.lastSeenAt, now) };
    this.#sessions.set(id, touched);
    return touched;
  }

  async peek(id: string, now: number): Promise<Session | undefined> {
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    if (!(await this.#rules.live(session, now))) {
      this.#sessions.delete(id);
      return undefined;
    }
    // Destroyed while the revocation was being read.
    return this.#sessions.has(id) ? session : undefined;
  }

  async destroy(id: string): Promise<void> {
    this.#sessions.delete(id);
  }

  async destroyAllFor(username: string): Promise<void> {
    for (const [id, session] of this.#sessions) if (session.username === username) this.#sessions.delete(id);
  }

  async activeHandlers(now: number): Promise<number> {
    return (await this.liveHandlers(now)).size;
  }

  async liveHandlers(now: number): Promise<Set<string>> {
    const handlers = new Set<string>();
    for (const [id, session] of [...this.#sessions]) {
      if (await this.#rules.live(session, now)) handlers.add(session.username);
      else this.#sessions.delete(id);
    }
    return handlers;
  }

  endsAt(session: Session): number {
    return this.#rules.absoluteEnd(session);
  }
}

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions extends SessionPolicy {
  readonly client: RedisClient;
  /** Where its keys are (`REDIS_PREFIX`, default `ssb`). */
  readonly keys?: RedisKeys;
}

/**
 * Sessions in Redis, so a handler signed in through one instance is signed in
 * on all. Keys are a SHA-256 of the session id (a Redis dump yields no usable
 * cookie): {@link RedisKeys.consoleSession} holds the session as JSON with
 * an expiry, and the sorted set {@link RedisKeys.consoleSessions} lists
 * `<username> <hash>` scored by expiry, for `destroyAllFor` and
 * `activeHandlers`. Touches rewrite a session only if it still exists, so a
 * request racing a sign-out cannot bring the session back.
 */
export class RedisSessionStore implements SessionStore {
  readonly #client: RedisClient;
  readonly #keys: RedisKeys;
  readonly #rules: SessionRules;

  constructor({ client, keys = new RedisKeys(), ...policy }: RedisSessionStoreOptions) {
    this.#client = client;
    this.#keys = keys;
    this.#rules = new SessionRules(policy);
  }

  async create(username: string, now: number): Promise<Session> {
    const session = newSession(username, now);
    const hash = sessionHash(session.id);
    const expiresAt = this.#rules.expiresAt(session);
    await this.#client
      .multi()
      .set(this.#key(hash), JSON.stringify(session), { expiration: { type: 'PX', value: Math.max(1, expiresAt - now) } })
      .zAdd(this.#index(), { score: expiresAt, value: `${username} ${hash}` })
      .exec();
    return session;
  }

  async get(id: string, now: number): Promise<Session | undefined> {
    const session = await this.peek(id, now);
    if (!session) return undefined;
    const hash = sessionHash(id);
    const touched = { ...session, lastSeenAt: Math.max(session.lastSeenAt, now) };
    const expiresAt = this.#rules.expiresAt(touched);
    const [written] = await this.#client
      .multi()
      .set(this.#key(hash), JSON.stringify(touched), { condition: 'XX', expiration: { type: 'PX', value: Math.max(1, expiresAt - now) } })
      .zAdd(this.#index(), { score: expiresAt, value: `${session.username} ${hash}` }, { condition: 'XX' })
      .exec();
    return String(written) === 'OK' ? touched : undefined;
  }

  async peek(id: string, now: number): Promise<Session | undefined> {
    if (!SESSION_ID.test(id)) return undefined;
    const hash = sessionHash(id);
    const session = parseSession(await this.#client.get(this.#key(hash)));
    if (!session || session.id !== id) return undefined;
    if (!(await this.#rules.live(session, now))) {
      await this.#remove(session.username, hash);
      return undefined;
    }
    return session;
  }

  async destroy(id: string): Promise<void> {
    if (!SESSION_ID.test(id)) return;
    const hash = sessionHash(id);
    const session = parseSession(await this.#client.get(this.#key(hash)));
    if (session) await this.#remove(session.username, hash);
  }

  async destroyAllFor(username: string): Promise<void> {
    const members = await this.#client.zRange(this.#index(), 0, -1);
    for (const member of members) {
      const [owner, hash] = member.split(' ');
      if (owner === username && hash) await this.#remove(owner, hash);
    }
  }

  async activeHandlers(now: number): Promise<number> {
    return (await this.liveHandlers(now)).size;
  }

  async liveHandlers(now: number): Promise<Set<string>> {
    await this.#client.zRemRangeByScore(this.#index(), '-inf', now);
    const members = await this.#client.zRange(this.#index(), 0, -1);
    if (members.length === 0) return new Set();
    const hashes = members.map((member) => member.split(' ')[1] ?? '');
    const records = await this.#client.mGet(hashes.map((hash) => this.#key(hash)));
    const handlers = new Set<string>();
    for (const record of records) {
      const session = parseSession(record);
      if (session && (await this.#rules.live(session, now))) handlers.add(session.username);
    }
    return handlers;
  }

  endsAt(session: Session): number {
    return this.#rules.absoluteEnd(session);
  }

  async #remove(username: string, hash: string): Promise<void> {
    await this.#client.multi().del(this.#key(hash)).zRem(this.#index(), `${username} ${hash}`).exec();
  }

  #key(hash: string): string {
    return this.#keys.consoleSession(hash);
  }

  #index(): string {
    return this.#keys.consoleSessions();
  }
}

/**
 * What stands for a session wherever its id must not go (Redis keys, events
 * sent between instances): a SHA-256 of the id, base64url. It cannot be used
 * as a cookie.
 */
export function sessionHash(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

function parseSession(text: string | null | undefined): Session | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const value = JSON.parse(text) as Partial<Session>;
    if (
      typeof value.id === 'string' &&
      typeof value.username === 'string' &&
      typeof value.csrfToken === 'string' &&
      typeof value.createdAt === 'number' &&
      typeof value.lastSeenAt === 'number'
    ) {
      return { id: value.id, username: value.username, csrfToken: value.csrfToken, createdAt: value.createdAt, lastSeenAt: value.lastSeenAt };
    }
  } catch {
    // An unreadable record is treated as no session.
  }
  return undefined;
}
