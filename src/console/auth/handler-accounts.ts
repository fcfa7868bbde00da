import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../../config/package-root.js';
import { BotError } from '../../core/errors.js';
import { writeFileAtomically } from '../../storage/atomic-file.js';
import type { RedisClient } from '../../storage/redis/redis-connection.js';
import { RedisKeys } from '../../storage/redis/redis-keys.js';
import { PasswordHashing, type PasswordHashingOptions } from './password-hashing.js';

/** Call-handler usernames: short, lower-case, safe in URLs, keys and file names. */
export const USERNAME_PATTERN = /^[a-z0-9._-]{3,32}$/;
/** Shortest accepted password, in characters. */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest accepted password: bounds the work one sign-in attempt can cause. */
export const MAX_PASSWORD_LENGTH = 1024;

/** Why an account change was refused; `code` lets the CLI and tests tell cases apart. */
export type HandlerAccountProblem = 'invalid-username' | 'weak-password' | 'already-exists' | 'unknown-handler' | 'corrupt-store';

/** An account change was refused or the account store could not be read. */
export class HandlerAccountError extends BotError {
  constructor(
    message: string,
    readonly code: HandlerAccountProblem,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The call handlers who may sign in to the console. There is no default
 * account: the first one is made with `npm run handlers -- add`. Both stores
 * also keep, per handler, when their sessions were last revoked (by `remove`
 * or `reset-password`), because the CLI cannot reach a running server's
 * in-memory sessions: the server refuses sessions created at or before it.
 */
export interface HandlerAccounts {
  /** Creates an account (a supervisor if asked); refuses a taken or malformed username and a short password. */
  add(username: string, password: string, options?: { supervisor?: boolean }): Promise<void>;
  /** Deletes an account (and revokes its sessions); refuses an unknown one. */
  remove(username: string): Promise<void>;
  /** Every username, sorted. */
  list(): Promise<string[]>;
  /** Replaces a password (and revokes the handler's sessions); refuses an unknown handler. */
  resetPassword(username: string, password: string): Promise<void>;
  /** True when the password is right; always spends one hash, even for an unknown username. */
  verify(username: string, password: string): Promise<boolean>;
  exists(username: string): Promise<boolean>;
  /** Records that every session of `username` created at or before `at` (epoch ms) is over. */
  revokeSessions(username: string, at: number): Promise<void>;
  /** When the handler's sessions were last revoked (epoch ms), if ever. */
  revokedAt(username: string): Promise<number | undefined>;
  /**
   * Grants or revokes the supervisor role (take over another handler's
   * conversation, read the audit log); refuses an unknown handler. The
   * console reads the role on every request, so a change applies at once.
   */
  setSupervisor(username: string, supervisor: boolean): Promise<void>;
  /** True when the account exists and has the supervisor role. */
  isSupervisor(username: string): Promise<boolean>;
  /** Every supervisor's username, sorted. */
  supervisors(): Promise<string[]>;
}

/** Throws unless `username` is 3-32 characters of a-z, 0-9, `.`, `_`, `-`. */
export function assertValidUsername(username: string): void {
  if (!USERNAME_PATTERN.test(username)) {
    throw new HandlerAccountError('usernames are 3-32 characters of a-z, 0-9, ".", "_" and "-"', 'invalid-username');
  }
}

/** Throws unless `password` has 12 to 1024 characters. */
export function assertAcceptablePassword(password: string): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw new HandlerAccountError(`passwords must have at least ${MIN_PASSWORD_LENGTH} characters`, 'weak-password');
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new HandlerAccountError(`passwords must have at most ${MAX_PASSWORD_LENGTH} characters`, 'weak-password');
  }
}

/** Where the file store lives unless `HANDLERS_FILE` says otherwise: `.data/handlers.json` in the package root. */
export function defaultHandlersFile(root: string = packageRoot()): string {
  return join(root, '.data', 'handlers.json');
}

const fileSchema = z.object({
  version: z.literal(1),
  handlers: z.record(z.string(), z.object({ hash: z.string(), updatedAt: z.number(), supervisor: z.boolean().optional() })),
  revokedAt: z.record(z.string(), z.number()),
});
type AccountsFile = z.infer<typeof fileSchema>;

/** Options of {@link FileHandlerAccounts}. */
export interface FileHandlerAccountsOptions {
  /** The JSON file; created (mode 0600, folder 0700) on the first change. */
  readonly path?: string;
  readonly hashing?: PasswordHashingOptions;
  readonly now?: () => number;
}

/**
 * Accounts in one JSON file, for a single server without Redis. The file is
 * read again on every call, so a running server sees what the CLI changed,
 * and replaced atomically (temporary file, then rename) with mode 0600, so a
 * reader never sees half a file and other local users cannot read the hashes.
 * Changes made through one instance are serialised; two CLI runs at the same
 * instant could still lose one change (the operator runs one at a time).
 */
export class FileHandlerAccounts implements HandlerAccounts {
  readonly path: string;
  readonly #hashing: PasswordHashing;
  readonly #now: () => number;
  #queue: Promise<unknown> = Promise.resolve();

  constructor({ path = defaultHandlersFile(), hashing = {}, now = Date.now }: FileHandlerAccountsOptions = {}) {
    this.path = path;
    this.#hashing = new PasswordHashing(hashing);
    this.#now = now;
  }

  async add(username: string, password: string, { supervisor = false }: { supervisor?: boolean } = {}): Promise<void> {
    assertValidUsername(username);
    assertAcceptablePassword(password);
    const hash = await this.#hashing.hash(password);
    await this.#change((file) => {
      if (file.handlers[username]) throw new HandlerAccountError('that handler already exists', 'already-exists');
      file.handlers[username] = { hash, updatedAt: this.#now(), ...(supervisor && { supervisor }) };
    });
  }

  async remove(username: string): Promise<void> {
    await this.#change((file) => {
      if (!file.handlers[username]) throw new HandlerAccountError('no such handler', 'unknown-handler');
      delete file.handlers[username];
      file.revokedAt[username] = this.#now();
    });
  }

  async list(): Promise<string[]> {
    return Object.keys((await this.#read()).handlers).sort();
  }

  async resetPassword(username: string, password: string): Promise<void> {
    assertAcceptablePassword(password);
    const hash = await this.#hashing.hash(password);
    await this.#change((file) => {
      const account = file.handlers[username];
      if (!account) throw new HandlerAccountError('no such handler', 'unknown-handler');
      const now = this.#now();
      file.handlers[username] = { ...account, hash, updatedAt: now };
      file.revokedAt[username] = now;
    });
  }

  async verify(username: string, password: string): Promise<boolean> {
    const { handlers } = await this.#read();
    return this.#hashing.verify(USERNAME_PATTERN.test(username) ? handlers[username]?.hash : undefined, password);
  }

  async exists(username: string): Promise<boolean> {
    return USERNAME_PATTERN.test(username) && Object.hasOwn((await this.#read()).handlers, username);
  }

  async revokeSessions(username: string, at: number): Promise<void> {
    await this.#change((file) => {
      file.revokedAt[username] = Math.max(file.revokedAt[username] ?? 0, at);
    });
  }

  async revokedAt(username: string): Promise<number | undefined> {
    const file = await this.#read();
    return Object.hasOwn(file.revokedAt, username) ? file.revokedAt[username] : undefined;
  }

  async setSupervisor(username: string, supervisor: boolean): Promise<void> {
    await this.#change((file) => {
      const account = file.handlers[username];
      if (!account) throw new HandlerAccountError('no such handler', 'unknown-handler');
      const { supervisor: _was, ...rest } = account;
      file.handlers[username] = { ...rest, ...(supervisor && { supervisor }) };
    });
  }

  async isSupervisor(username: string): Promise<boolean> {
    const { handlers } = await this.#read();
    return USERNAME_PATTERN.test(username) && Object.hasOwn(handlers, username) && handlers[username]?.supervisor === true;
  }

  async supervisors(): Promise<string[]> {
    const { handlers } = await this.#read();
    return Object.keys(handlers)
      .filter((name) => handlers[name]?.supervisor === true)
      .sort();
  }

  async #read(): Promise<AccountsFile> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, handlers: {}, revokedAt: {} };
      throw new HandlerAccountError('the handlers file cannot be read', 'corrupt-store', { cause: error });
    }
    try {
      const parsed = fileSchema.parse(JSON.parse(text));
      // Plain prototype-free copies: usernames such as "__proto__" are refused anyway, but stay safe.
      return {
        version: 1,
        handlers: Object.assign(Object.create(null) as AccountsFile['handlers'], parsed.handlers),
        revokedAt: Object.assign(Object.create(null) as AccountsFile['revokedAt'], parsed.revokedAt),
      };
    } catch (error) {
      throw new HandlerAccountError('the handlers file is not valid', 'corrupt-store', { cause: error });
    }
  }

  #change(edit: (file: AccountsFile) => void): Promise<void> {
    const run = this.#queue.then(async () => {
      const file = await this.#read();
      edit(file);
      await this.#write(file);
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #write(file: AccountsFile): Promise<void> {
    await writeFileAtomically(this.path, `${JSON.stringify(file, null, 2)}\n`);
  }
}

/** Options of {@link RedisHandlerAccounts}. */
export interface RedisHandlerAccountsOptions {
  readonly client: RedisClient;
  /** Where its keys are (`REDIS_PREFIX`, default `ssb`). */
  readonly keys?: RedisKeys;
  readonly hashing?: PasswordHashingOptions;
  readonly now?: () => number;
}

/** Sets a field only if it exists already, so a reset cannot recreate a just-removed account. */
const RESET = `if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
  return 1
end
return 0`;

/** Deletes an account, its role and records the revocation in one step. KEYS: accounts, revoked-at, supervisors. */
const REMOVE = `if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
  redis.call('SREM', KEYS[3], ARGV[1])
  return 1
end
return 0`;

/** Creates an account, a supervisor if ARGV[3] is '1', unless it exists. KEYS: accounts, supervisors. ARGV: username, hash, role. */
const ADD = `if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('SREM', KEYS[2], ARGV[1])
if ARGV[3] == '1' then redis.call('SADD', KEYS[2], ARGV[1]) end
return 1`;

/** Grants (ARGV[2] '1') or revokes the supervisor role of an existing account. KEYS: accounts, supervisors. */
const SET_ROLE = `if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
if ARGV[2] == '1' then redis.call('SADD', KEYS[2], ARGV[1]) else redis.call('SREM', KEYS[2], ARGV[1]) end
return 1`;

/**
 * Accounts in Redis, shared by every instance: a hash {@link RedisKeys.handlers}
 * (username → argon2id hash), a hash {@link RedisKeys.handlersRevokedAt}
 * (username → epoch ms) and a set {@link RedisKeys.supervisors}.
 */
export class RedisHandlerAccounts implements HandlerAccounts {
  readonly #client: RedisClient;
  readonly #accountsKey: string;
  readonly #revokedKey: string;
  readonly #supervisorsKey: string;
  readonly #hashing: PasswordHashing;
  readonly #now: () => number;

  constructor({ client, keys = new RedisKeys(), hashing = {}, now = Date.now }: RedisHandlerAccountsOptions) {
    this.#client = client;
    this.#accountsKey = keys.handlers();
    this.#revokedKey = keys.handlersRevokedAt();
    this.#supervisorsKey = keys.supervisors();
    this.#hashing = new PasswordHashing(hashing);
    this.#now = now;
  }

  async add(username: string, password: string, { supervisor = false }: { supervisor?: boolean } = {}): Promise<void> {
    assertValidUsername(username);
    assertAcceptablePassword(password);
    const hash = await this.#hashing.hash(password);
    const added = await this.#client.eval(ADD, { keys: [this.#accountsKey, this.#supervisorsKey], arguments: [username, hash, supervisor ? '1' : '0'] });
    if (Number(added) !== 1) throw new HandlerAccountError('that handler already exists', 'already-exists');
  }

  async remove(username: string): Promise<void> {
    const removed = await this.#client.eval(REMOVE, {
      keys: [this.#accountsKey, this.#revokedKey, this.#supervisorsKey],
      arguments: [username, String(this.#now())],
    });
    if (removed !== 1) throw new HandlerAccountError('no such handler', 'unknown-handler');
  }

  async list(): Promise<string[]> {
    return (await this.#client.hKeys(this.#accountsKey)).sort();
  }

  async resetPassword(username: string, password: string): Promise<void> {
    assertAcceptablePassword(password);
    const hash = await this.#hashing.hash(password);
    const done = await this.#client.eval(RESET, {
      keys: [this.#accountsKey, this.#revokedKey],
      arguments: [username, hash, String(this.#now())],
    });
    if (done !== 1) throw new HandlerAccountError('no such handler', 'unknown-handler');
  }

  async verify(username: string, password: string): Promise<boolean> {
    const hash = USERNAME_PATTERN.test(username) ? await this.#client.hGet(this.#accountsKey, username) : null;
    return this.#hashing.verify(hash ?? undefined, password);
  }

  async exists(username: string): Promise<boolean> {
    return Number(await this.#client.hExists(this.#accountsKey, username)) === 1;
  }

  async revokeSessions(username: string, at: number): Promise<void> {
    const previous = Number((await this.#client.hGet(this.#revokedKey, username)) ?? 0);
    await this.#client.hSet(this.#revokedKey, username, String(Math.max(previous, at)));
  }

  async revokedAt(username: string): Promise<number | undefined> {
    const value = await this.#client.hGet(this.#revokedKey, username);
    return value === null || value === undefined ? undefined : Number(value);
  }

  async setSupervisor(username: string, supervisor: boolean): Promise<void> {
    const done = await this.#client.eval(SET_ROLE, { keys: [this.#accountsKey, this.#supervisorsKey], arguments: [username, supervisor ? '1' : '0'] });
    if (Number(done) !== 1) throw new HandlerAccountError('no such handler', 'unknown-handler');
  }

  async isSupervisor(username: string): Promise<boolean> {
    return USERNAME_PATTERN.test(username) && Number(await this.#client.sIsMember(this.#supervisorsKey, username)) === 1;
  }

  async supervisors(): Promise<string[]> {
    return (await this.#client.sMembers(this.#supervisorsKey)).sort();
  }
}
