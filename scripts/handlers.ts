/**
 * Manages call-handler accounts for the console. There is no default account:
 *
 *   printf '%s\n' "$PASSWORD" | npm run handlers -- add alice --password-stdin
 *   printf '%s\n' "$PASSWORD" | npm run handlers -- add sam --password-stdin --supervisor
 *   npm run handlers -- list
 *   npm run handlers -- grant-supervisor alice
 *   npm run handlers -- revoke-supervisor alice
 *   npm run handlers -- remove alice
 *   printf '%s\n' "$PASSWORD" | npm run handlers -- reset-password alice --password-stdin
 *
 * Accounts are in Redis when REDIS_URL is set (keys under REDIS_PREFIX,
 * default "ssb"), otherwise in HANDLERS_FILE (default .data/handlers.json in
 * the package root): the same place the server reads, so this works against a
 * running server. Passwords are read from stdin only (one line), never from
 * the command line, where other users and shell history could see them.
 * `remove` and `reset-password` end the handler's sessions at once; with
 * Redis they also tell every running server to end the handler's live streams.
 * A supervisor can also take over another handler's conversation and read the
 * audit log; granting or revoking the role applies to their next request.
 *
 * Exit codes: 0 done, 1 refused or failed, 2 wrong usage.
 */
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import {
  FileHandlerAccounts,
  HandlerAccountError,
  RedisHandlerAccounts,
  type HandlerAccounts,
} from '../src/console/auth/handler-accounts.js';
import { RedisSessionStore } from '../src/console/auth/session-store.js';
import { silentLogger } from '../src/core/logger.js';
import { publishConsoleEvent } from '../src/storage/redis/console-events.js';
import { createRedisConnection, type RedisClient } from '../src/storage/redis/redis-connection.js';
import { RedisKeys } from '../src/storage/redis/redis-keys.js';

const USAGE = `Usage: npm run handlers -- <command>
  add <username> --password-stdin [--supervisor]  create a call-handler account (a supervisor with --supervisor)
  remove <username>                               delete an account and end its sessions
  list                                            print every username, marking supervisors
  reset-password <username> --password-stdin      set a new password and end the handler's sessions
  grant-supervisor <username>                     let a handler take over conversations and read the audit log
  revoke-supervisor <username>                    take that away again (at once)
Passwords are read from stdin (one line), never from the command line.`;

/** Exit codes of the command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

type Command =
  | { readonly name: 'add'; readonly username: string; readonly supervisor: boolean }
  | { readonly name: 'reset-password'; readonly username: string }
  | { readonly name: 'remove' | 'grant-supervisor' | 'revoke-supervisor'; readonly username: string }
  | { readonly name: 'list' };

/** Reads the arguments strictly: anything unexpected is a usage error, and so is a password on the command line. */
export function parseArguments(args: readonly string[]): Command | { readonly error: string } {
  const [name, ...rest] = args;
  const positional = rest.filter((arg) => !arg.startsWith('-'));
  const flags = rest.filter((arg) => arg.startsWith('-'));
  if (flags.some((flag) => flag.startsWith('--password') && flag !== '--password-stdin')) {
    return { error: 'passwords are read from stdin only: use --password-stdin' };
  }
  switch (name) {
    case 'add': {
      const supervisor = flags.includes('--supervisor');
      const expected = supervisor ? 2 : 1;
      if (positional.length !== 1 || flags.length !== expected || !flags.includes('--password-stdin')) {
        return { error: 'add takes one username, --password-stdin and optionally --supervisor' };
      }
      return { name, username: positional[0] as string, supervisor };
    }
    case 'reset-password':
      if (positional.length !== 1 || flags.length !== 1 || flags[0] !== '--password-stdin') {
        return { error: `${name} takes one username and --password-stdin` };
      }
      return { name, username: positional[0] as string };
    case 'remove':
    case 'grant-supervisor':
    case 'revoke-supervisor':
      if (positional.length !== 1 || flags.length !== 0) return { error: `${name} takes one username` };
      return { name, username: positional[0] as string };
    case 'list':
      if (rest.length !== 0) return { error: 'list takes no arguments' };
      return { name };
    default:
      return { error: name === undefined ? 'no command given' : 'unknown command' };
  }
}

/** The password: one line from stdin, trailing newline stripped; typed without echo on a terminal. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    process.stderr.write('Password (not shown): ');
    const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
    const reader = createInterface({ input: process.stdin, output: muted, terminal: true });
    const line = await new Promise<string>((resolveLine) => reader.once('line', resolveLine));
    reader.close();
    process.stderr.write('\n');
    return line;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > 64 * 1024) throw new HandlerAccountError('the password on stdin is too long', 'weak-password');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (/[\r\n]/.test(text)) throw new HandlerAccountError('the password on stdin must be one line', 'weak-password');
  if (text === '') throw new HandlerAccountError('no password on stdin', 'weak-password');
  return text;
}

interface Stores {
  readonly accounts: HandlerAccounts;
  /** Ends sessions held in Redis; in file mode the server's memory sessions honour the revocation time instead. */
  endSessions(username: string): Promise<void>;
  close(): Promise<void>;
}

async function openStores(env: NodeJS.ProcessEnv): Promise<Stores> {
  const url = env.REDIS_URL?.trim();
  if (!url) {
    const file = env.HANDLERS_FILE?.trim();
    return {
      accounts: new FileHandlerAccounts(file ? { path: resolve(file) } : {}),
      endSessions: async () => undefined,
      close: async () => undefined,
    };
  }
  const prefix = env.REDIS_PREFIX?.trim() || 'ssb';
  if (!/^[\w-]{1,32}$/.test(prefix)) throw new Error('REDIS_PREFIX must be 1-32 letters, digits, _ or -');
  const client: RedisClient = createRedisConnection({ url, logger: silentLogger });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('Redis did not answer within 10 seconds')), 10_000);
      }),
    ]);
  } catch (error) {
    client.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const keys = new RedisKeys(prefix);
  const sessions = new RedisSessionStore({ client, keys });
  return {
    accounts: new RedisHandlerAccounts({ client, keys }),
    endSessions: async (username) => {
      await sessions.destroyAllFor(username);
      // Running servers end the handler's live streams at once, not at their next heartbeat.
      await publishConsoleEvent(client, keys, { type: 'handler-sessions-ended', username });
    },
    close: async () => {
      await client.close().catch(() => undefined);
    },
  };
}

/** Runs one command; returns the exit code. Messages go to stdout (results) and stderr (problems). */
export async function runHandlersCommand(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const command = parseArguments(args);
  if ('error' in command) {
    process.stderr.write(`${command.error}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  let stores: Stores | undefined;
  try {
    const password = command.name === 'add' || command.name === 'reset-password' ? await readPassword() : '';
    stores = await openStores(env);
    const { accounts } = stores;
    switch (command.name) {
      case 'add':
        await accounts.add(command.username, password, { supervisor: command.supervisor });
        process.stdout.write(`added ${command.username}${command.supervisor ? ' as a supervisor' : ''}\n`);
        break;
      case 'grant-supervisor':
      case 'revoke-supervisor': {
        const supervisor = command.name === 'grant-supervisor';
        await accounts.setSupervisor(command.username, supervisor);
        process.stdout.write(`${command.username} is ${supervisor ? 'now' : 'no longer'} a supervisor\n`);
        break;
      }
      case 'reset-password':
        await accounts.resetPassword(command.username, password);
        await stores.endSessions(command.username);
        process.stdout.write(`reset the password of ${command.username} and ended their sessions\n`);
        break;
      case 'remove':
        await accounts.remove(command.username);
        await stores.endSessions(command.username);
        process.stdout.write(`removed ${command.username} and ended their sessions\n`);
        break;
      case 'list': {
        const names = await accounts.list();
        const supervisors = new Set(await accounts.supervisors());
        if (names.length === 0) process.stderr.write('no call handlers yet\n');
        for (const name of names) process.stdout.write(`${name}${supervisors.has(name) ? ' (supervisor)' : ''}\n`);
        break;
      }
    }
    return EXIT.ok;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  } finally {
    await stores?.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runHandlersCommand(process.argv.slice(2));
}
