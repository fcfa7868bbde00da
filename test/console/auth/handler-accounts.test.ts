import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import {
  defaultHandlersFile,
  FileHandlerAccounts,
  HandlerAccountError,
  RedisHandlerAccounts,
  type HandlerAccounts,
} from '../../../src/console/auth/handler-accounts.js';
import { createRedisConnection, type RedisClient } from '../../../src/storage/redis/redis-connection.js';
import { TestRedis } from '../../support/redis-server.js';
import { RedisKeys } from '../../../src/storage/redis/redis-keys.js';

const PASSWORD = 'correct horse battery';
/** Real argon2id with a smaller cost, to keep the suite quick; the defaults are checked below. */
const FAST = { memoryCost: 8192, timeCost: 2, parallelism: 1 };

let redis: TestRedis;
let client: RedisClient;
let dir: string;
let run = 0;

beforeAll(async () => {
  redis = await TestRedis.start();
  client = createRedisConnection({ url: redis.url, logger: silentLogger });
  await client.connect();
  dir = mkdtempSync(join(tmpdir(), 'handler-accounts-'));
});

afterAll(async () => {
  await client.close();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

const kinds: [string, () => HandlerAccounts][] = [
  ['file', () => new FileHandlerAccounts({ path: join(dir, `run-${run}`, 'handlers.json'), hashing: FAST })],
  ['redis', () => new RedisHandlerAccounts({ client, keys: new RedisKeys(`t${run}`), hashing: FAST })],
];

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HandlerAccountError);
  return (error as HandlerAccountError).code;
}

describe.each(kinds)('HandlerAccounts (%s)', (_kind, make) => {
  let accounts: HandlerAccounts;
  beforeEach(() => {
    run += 1;
    accounts = make();
  });

  it('adds an account whose password then verifies, and no other password does', async () => {
    await accounts.add('alice', PASSWORD);
    expect(await accounts.exists('alice')).toBe(true);
    expect(await accounts.verify('alice', PASSWORD)).toBe(true);
    expect(await accounts.verify('alice', `${PASSWORD}!`)).toBe(false);
  });

  it('starts with no accounts at all and lists the added ones sorted', async () => {
    expect(await accounts.list()).toEqual([]);
    await accounts.add('zoe.k', PASSWORD);
    await accounts.add('adam_1', PASSWORD);
    expect(await accounts.list()).toEqual(['adam_1', 'zoe.k']);
  });

  it('refuses a second account with the same username', async () => {
    await accounts.add('alice', PASSWORD);
    expect(await refusal(accounts.add('alice', 'another long password'))).toBe('already-exists');
    expect(await accounts.verify('alice', PASSWORD)).toBe(true);
  });

  it.each(['al', 'a'.repeat(33), 'Alice', 'al ice', 'al/ice', 'ålice', '__proto__x!'])('refuses the username %j', async (username) => {
    expect(await refusal(accounts.add(username, PASSWORD))).toBe('invalid-username');
  });

  it('accepts usernames of 3 and 32 characters of a-z, 0-9, ".", "_" and "-"', async () => {
    await accounts.add('a.b', PASSWORD);
    await accounts.add(`${'x'.repeat(30)}-9`, PASSWORD);
    expect(await accounts.list()).toHaveLength(2);
  });

  it('refuses a password shorter than 12 characters', async () => {
    expect(await refusal(accounts.add('alice', 'elevenchars'))).toBe('weak-password');
    expect(await accounts.exists('alice')).toBe(false);
    await accounts.add('alice', 'twelve chars');
  });

  it('answers false for an unknown user (and a malformed name) without throwing', async () => {
    expect(await accounts.verify('nobody', PASSWORD)).toBe(false);
    expect(await accounts.verify('', '')).toBe(false);
    expect(await accounts.verify('NOT VALID', PASSWORD)).toBe(false);
  });

  it('spends a full hash on an unknown user, so timing does not reveal which usernames exist', async () => {
    await accounts.add('alice', PASSWORD);
    await accounts.verify('nobody', 'warm up the dummy hash');
    const time = async (username: string) => {
      const start = performance.now();
      for (let i = 0; i < 3; i++) await accounts.verify(username, 'wrong password here');
      return performance.now() - start;
    };
    const known = await time('alice');
    const unknown = await time('nobody');
    // Without the dummy hash an unknown name would answer in well under 1% of the time.
    expect(unknown).toBeGreaterThan(known * 0.3);
  });

  it('removes an account, records a revocation time, and refuses to remove an unknown one', async () => {
    await accounts.add('alice', PASSWORD);
    expect(await accounts.revokedAt('alice')).toBeUndefined();
    const before = Date.now();
    await accounts.remove('alice');
    expect(await accounts.exists('alice')).toBe(false);
    expect(await accounts.verify('alice', PASSWORD)).toBe(false);
    expect(await accounts.revokedAt('alice')).toBeGreaterThanOrEqual(before);
    expect(await refusal(accounts.remove('alice'))).toBe('unknown-handler');
  });

  it('resets a password: the old one stops working, the new one works, sessions are revoked', async () => {
    await accounts.add('alice', PASSWORD);
    await accounts.resetPassword('alice', 'a brand new passphrase');
    expect(await accounts.verify('alice', PASSWORD)).toBe(false);
    expect(await accounts.verify('alice', 'a brand new passphrase')).toBe(true);
    expect(await accounts.revokedAt('alice')).toBeTypeOf('number');
    expect(await refusal(accounts.resetPassword('bob', 'a brand new passphrase'))).toBe('unknown-handler');
    expect(await refusal(accounts.resetPassword('alice', 'short'))).toBe('weak-password');
    expect(await accounts.exists('bob')).toBe(false);
  });

  it('keeps the latest revocation time', async () => {
    await accounts.revokeSessions('alice', 2_000);
    await accounts.revokeSessions('alice', 1_000);
    expect(await accounts.revokedAt('alice')).toBe(2_000);
  });

  it('makes an account a supervisor when added as one, or when granted; revoking takes it away; nobody is one by default', async () => {
    await accounts.add('alice', PASSWORD);
    await accounts.add('sam', PASSWORD, { supervisor: true });
    expect(await accounts.isSupervisor('alice')).toBe(false);
    expect(await accounts.isSupervisor('sam')).toBe(true);
    expect(await accounts.isSupervisor('nobody')).toBe(false);
    expect(await accounts.supervisors()).toEqual(['sam']);
    await accounts.setSupervisor('alice', true);
    expect(await accounts.supervisors()).toEqual(['alice', 'sam']);
    await accounts.setSupervisor('sam', false);
    expect(await accounts.isSupervisor('sam')).toBe(false);
    expect(await accounts.verify('sam', PASSWORD)).toBe(true);
    expect(await refusal(accounts.setSupervisor('nobody', true))).toBe('unknown-handler');
    expect(await accounts.exists('nobody')).toBe(false);
  });

  it('keeps the supervisor role through a password reset and drops it with the account', async () => {
    await accounts.add('sam', PASSWORD, { supervisor: true });
    await accounts.resetPassword('sam', 'a brand new passphrase');
    expect(await accounts.isSupervisor('sam')).toBe(true);
    await accounts.remove('sam');
    expect(await accounts.isSupervisor('sam')).toBe(false);
    await accounts.add('sam', PASSWORD);
    expect(await accounts.isSupervisor('sam')).toBe(false);
    expect(await accounts.supervisors()).toEqual([]);
  });

  it('sees changes made through another instance on the same store at once', async () => {
    const other = make();
    await other.add('carol', PASSWORD);
    expect(await accounts.verify('carol', PASSWORD)).toBe(true);
    await other.setSupervisor('carol', true);
    expect(await accounts.isSupervisor('carol')).toBe(true);
    await other.remove('carol');
    expect(await accounts.exists('carol')).toBe(false);
  });
});

describe('FileHandlerAccounts', () => {
  it('creates the file with mode 0600, writes default-cost argon2id hashes and leaves no temporary files', async () => {
    const folder = join(dir, 'mode');
    const path = join(folder, 'handlers.json');
    const accounts = new FileHandlerAccounts({ path });
    await accounts.add('alice', PASSWORD);
    await accounts.add('bob.b', PASSWORD);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/\$argon2id\$v=19\$m=65536,p=4,t=3\$/);
    expect(text).not.toContain(PASSWORD);
    expect(readdirSync(folder)).toEqual(['handlers.json']);
  });

  it('refuses to work from a corrupt file rather than treating it as empty', async () => {
    const path = join(dir, 'corrupt.json');
    writeFileSync(path, '{ not json');
    const accounts = new FileHandlerAccounts({ path, hashing: FAST });
    expect(await refusal(accounts.list())).toBe('corrupt-store');
    expect(await refusal(accounts.verify('alice', PASSWORD))).toBe('corrupt-store');
  });

  it('defaults to .data/handlers.json in the package root', () => {
    expect(defaultHandlersFile('/srv/bot')).toBe('/srv/bot/.data/handlers.json');
    expect(new FileHandlerAccounts().path).toMatch(/\/\.data\/handlers\.json$/);
  });
});

describe('RedisHandlerAccounts', () => {
  it('keeps accounts in the hash ${prefix}:handlers, holding argon2id hashes', async () => {
    const accounts = new RedisHandlerAccounts({ client, keys: new RedisKeys('layout'), hashing: FAST });
    await accounts.add('alice', PASSWORD);
    const stored = await client.hGetAll('layout:handlers');
    expect(Object.keys(stored)).toEqual(['alice']);
    expect(stored.alice).toMatch(/^\$argon2id\$/);
  });

  it('keeps supervisors in the set ${prefix}:handlers:supervisors', async () => {
    const accounts = new RedisHandlerAccounts({ client, keys: new RedisKeys('roles'), hashing: FAST });
    await accounts.add('sam', PASSWORD, { supervisor: true });
    await accounts.add('alice', PASSWORD);
    expect(await client.sMembers('roles:handlers:supervisors')).toEqual(['sam']);
  });
});

describe('FileHandlerAccounts written before supervisors existed', () => {
  it('reads an account without the flag as not a supervisor', async () => {
    const path = join(dir, 'older.json');
    const current = new FileHandlerAccounts({ path, hashing: FAST });
    await current.add('alice', PASSWORD);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { handlers: Record<string, Record<string, unknown>> };
    expect(file.handlers.alice?.supervisor).toBeUndefined();
    expect(await current.isSupervisor('alice')).toBe(false);
    expect(await current.verify('alice', PASSWORD)).toBe(true);
  });
});
