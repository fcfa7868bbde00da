import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileHandlerAccounts, RedisHandlerAccounts } from '../../../src/console/auth/handler-accounts.js';
import { MemorySessionStore, RedisSessionStore } from '../../../src/console/auth/session-store.js';
import { silentLogger } from '../../../src/core/logger.js';
import { createRedisConnection, type RedisClient } from '../../../src/storage/redis/redis-connection.js';
import type { ConsoleEvent } from '../../../src/handoff/handoff-model.js';
import { RedisConsoleEvents } from '../../../src/storage/redis/console-events.js';
import { RedisKeys } from '../../../src/storage/redis/redis-keys.js';
import { TestRedis } from '../../support/redis-server.js';

const SCRIPT = join(process.cwd(), 'scripts', 'handlers.ts');
const PASSWORD = 'correct horse battery';
/** Each run starts a Node process with tsx: seconds each on a busy machine. */
const SLOW = { timeout: 240_000 };

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm run handlers -- ...` as a real process, with `stdin` piped in. */
function cli(args: string[], env: Record<string, string>, stdin = ''): Promise<Result> {
  const { REDIS_URL: _url, REDIS_PREFIX: _prefix, HANDLERS_FILE: _file, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { env: { ...inherited, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'handlers-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run handlers (file)', () => {
  it('adds with the password from stdin, lists, resets and removes, ending sessions each time', SLOW, async () => {
    const file = join(dir, 'lifecycle.json');
    const env = { HANDLERS_FILE: file };
    const accounts = new FileHandlerAccounts({ path: file });
    // A running server's in-memory sessions, checking the file's revocation times.
    const sessions = new MemorySessionStore({ revokedAt: (username) => accounts.revokedAt(username) });

    const added = await cli(['add', 'alice', '--password-stdin'], env, `${PASSWORD}\n`);
    expect(added).toMatchObject({ code: 0, stdout: 'added alice\n' });
    expect(added.stdout + added.stderr).not.toContain(PASSWORD);
    expect(await accounts.verify('alice', PASSWORD)).toBe(true);
    expect((await cli(['add', 'bob-2', '--password-stdin'], env, 'another good password')).code).toBe(0);

    expect(await cli(['list'], env)).toMatchObject({ code: 0, stdout: 'alice\nbob-2\n' });

    const first = await sessions.create('alice', Date.now() - 1_000);
    const reset = await cli(['reset-password', 'alice', '--password-stdin'], env, 'a brand new passphrase\r\n');
    expect(reset.code).toBe(0);
    expect(await accounts.verify('alice', PASSWORD)).toBe(false);
    expect(await accounts.verify('alice', 'a brand new passphrase')).toBe(true);
    expect(await sessions.get(first.id, Date.now())).toBeUndefined();

    const second = await sessions.create('bob-2', Date.now() - 1_000);
    expect((await cli(['remove', 'bob-2'], env)).code).toBe(0);
    expect(await sessions.get(second.id, Date.now())).toBeUndefined();
    expect(await cli(['list'], env)).toMatchObject({ code: 0, stdout: 'alice\n' });
  });

  it('adds a supervisor, grants and revokes the role, and lists who has it', SLOW, async () => {
    const file = join(dir, 'roles.json');
    const env = { HANDLERS_FILE: file };
    const accounts = new FileHandlerAccounts({ path: file });
    expect(await cli(['add', 'sam', '--password-stdin', '--supervisor'], env, `${PASSWORD}\n`)).toMatchObject({ code: 0, stdout: 'added sam as a supervisor\n' });
    expect((await cli(['add', 'alice', '--password-stdin'], env, `${PASSWORD}\n`)).code).toBe(0);
    expect(await accounts.isSupervisor('sam')).toBe(true);
    expect(await cli(['list'], env)).toMatchObject({ code: 0, stdout: 'alice\nsam (supervisor)\n' });
    expect(await cli(['grant-supervisor', 'alice'], env)).toMatchObject({ code: 0, stdout: 'alice is now a supervisor\n' });
    expect(await cli(['revoke-supervisor', 'sam'], env)).toMatchObject({ code: 0, stdout: 'sam is no longer a supervisor\n' });
    expect(await cli(['list'], env)).toMatchObject({ code: 0, stdout: 'alice (supervisor)\nsam\n' });
    const refused = await cli(['grant-supervisor', 'nobody'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/no such handler/);
    expect(await accounts.supervisors()).toEqual(['alice']);
  });

  it('refuses a password shorter than 12 characters (exit 1) and creates nothing', SLOW, async () => {
    const env = { HANDLERS_FILE: join(dir, 'short.json') };
    const result = await cli(['add', 'alice', '--password-stdin'], env, 'too short\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/at least 12 characters/);
    expect(await cli(['list'], env)).toMatchObject({ code: 0, stdout: '' });
  });

  it('refuses an empty stdin, several lines, a malformed or taken username and an unknown handler (exit 1)', SLOW, async () => {
    const file = join(dir, 'refusals.json');
    await new FileHandlerAccounts({ path: file }).add('alice', PASSWORD);
    const env = { HANDLERS_FILE: file };
    const results = await Promise.all([
      cli(['add', 'bob', '--password-stdin'], env, ''),
      cli(['add', 'bob', '--password-stdin'], env, `${PASSWORD}\nsecond line\n`),
      cli(['add', 'Bob Smith', '--password-stdin'], env, PASSWORD),
      cli(['add', 'alice', '--password-stdin'], env, PASSWORD),
      cli(['remove', 'nobody'], env),
      cli(['reset-password', 'nobody', '--password-stdin'], env, PASSWORD),
    ]);
    expect(results.map((r) => r.code)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(results[3]?.stderr).toMatch(/already exists/);
    expect(await new FileHandlerAccounts({ path: file }).list()).toEqual(['alice']);
  });

  it('exits 2 with the usage for a missing or unknown command, missing arguments or a password on the command line', SLOW, async () => {
    const cases = [
      [],
      ['frobnicate'],
      ['add', 'alice'],
      ['add', '--password-stdin'],
      ['add', 'alice', '--password', PASSWORD],
      ['reset-password', 'alice', `--password=${PASSWORD}`],
      ['remove', 'alice', 'bob'],
      ['list', 'extra'],
      ['add', 'alice', '--supervisor'],
      ['add', 'alice', '--password-stdin', '--supervisor', '--admin'],
      ['grant-supervisor'],
      ['revoke-supervisor', 'alice', '--password-stdin'],
    ];
    const env = { HANDLERS_FILE: join(dir, 'usage.json') };
    const results = await Promise.all(cases.map((args) => cli(args, env, `${PASSWORD}\n`)));
    for (const [index, result] of results.entries()) {
      expect({ args: cases[index], code: result.code, stdout: result.stdout }).toEqual({ args: cases[index], code: 2, stdout: '' });
      expect(result.stderr).toContain('Usage: npm run handlers');
    }
    expect(await new FileHandlerAccounts({ path: env.HANDLERS_FILE }).list()).toEqual([]);
  });
});

describe('npm run handlers (Redis)', () => {
  let redis: TestRedis;
  let client: RedisClient;
  beforeAll(async () => {
    redis = await TestRedis.start();
    client = createRedisConnection({ url: redis.url, logger: silentLogger });
    await client.connect();
  });
  afterAll(async () => {
    await client.close();
    await redis.stop();
  });

  it('uses Redis when REDIS_URL is set, under REDIS_PREFIX, and ends sessions there', SLOW, async () => {
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: 'force1', HANDLERS_FILE: join(dir, 'unused.json') };
    expect((await cli(['add', 'alice', '--password-stdin'], env, `${PASSWORD}\n`)).code).toBe(0);
    const accounts = new RedisHandlerAccounts({ client, keys: new RedisKeys('force1') });
    expect(await accounts.verify('alice', PASSWORD)).toBe(true);
    expect(await new FileHandlerAccounts({ path: join(dir, 'unused.json') }).list()).toEqual([]);

    const sessions = new RedisSessionStore({ client, keys: new RedisKeys('force1') });
    const session = await sessions.create('alice', Date.now());
    expect(await cli(['list'], env)).toMatchObject({ code: 0, stdout: 'alice\n' });
    expect((await cli(['remove', 'alice'], env)).code).toBe(0);
    expect(await client.keys('force1:console-session*')).toEqual([]);
    expect(await sessions.get(session.id, Date.now())).toBeUndefined();
    expect(await accounts.revokedAt('alice')).toBeTypeOf('number');
  });

  it('tells running servers to end the live streams of a removed or reset handler at once', SLOW, async () => {
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: 'force2' };
    const events = new RedisConsoleEvents({ client, keys: new RedisKeys('force2') });
    await events.ready();
    const heard: ConsoleEvent[] = [];
    events.subscribe((event) => heard.push(event));
    try {
      expect((await cli(['add', 'erin', '--password-stdin'], env, PASSWORD)).code).toBe(0);
      expect((await cli(['reset-password', 'erin', '--password-stdin'], env, 'a brand new passphrase')).code).toBe(0);
      expect((await cli(['remove', 'erin'], env)).code).toBe(0);
      await expect.poll(() => heard.length).toBe(2);
      expect(heard).toEqual([
        { type: 'handler-sessions-ended', username: 'erin' },
        { type: 'handler-sessions-ended', username: 'erin' },
      ]);
    } finally {
      await events.close();
    }
  });

  it('defaults the prefix to ssb and fails (exit 1) when Redis is unreachable', SLOW, async () => {
    expect((await cli(['add', 'dana', '--password-stdin'], { REDIS_URL: redis.url }, PASSWORD)).code).toBe(0);
    expect(await client.hKeys('ssb:handlers')).toEqual(['dana']);
    const down = await cli(['list'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(down.code).toBe(1);
  });
});
