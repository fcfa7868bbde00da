import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createClient } from 'redis';
import { NODE_FLAGS } from '../src/config/node-flags.js';
import { TestRedis } from '../test/support/redis-server.js';
import { BENCH_SECRET, closedLoop, type LoadResult, type LoadTarget, loadPool, openLoop, seeded } from './load.js';
import { round, slope } from './stats.js';
import { TelegramSink } from './telegram-sink.js';
import { measureUnderstanding } from './understanding.js';

/**
 * `npm run bench`: the load test, run by hand and its figures
 * recorded. Three phases, each against a server in its own process: a bare
 * Fastify baseline, the bot with memory state, the bot with Redis. Each bot
 * phase runs a closed loop (most messages per second the server sustains)
 * and an open loop at a fixed offered rate (latency as real arrivals see it).
 * Prints a table, then as the last line one JSON object with the figures and
 * pass/fail per target.
 *
 * Options: --seconds N (per load segment, default 15), --users N (closed-loop
 * concurrency, default 64), --rate N (open-loop offered rate, default 1000),
 * --soak (adds a 5-minute run at the offered rate with Redis, sampling RSS
 * every 10 s), --profile (runs the bot servers with --cpu-prof; prints where).
 */
const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '15' },
    users: { type: 'string', default: '64' },
    rate: { type: 'string', default: '1000' },
    soak: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});
const SECONDS = Math.min(600, Math.max(2, Number(args.seconds)));
const USERS = Math.min(2000, Math.max(1, Number(args.users)));
const RATE = Math.min(20_000, Math.max(1, Number(args.rate)));
const SOAK_SECONDS = 300;
const TARGETS = {
  messagesPerSecond: 2500,
  replyP99Ms: 50,
  ackP99Ms: 20,
  redisBytesPerConversation: 2048,
  rssGrowthMbPerMinute: 1,
  // Reading a typed message: "a few hundred microseconds"; the classifier loads "in well under a second".
  understandingMicroseconds: 500,
  modelLoadMs: 500,
};

interface Server {
  readonly child: ChildProcess;
  readonly base: string;
  rssMb(): number;
  peakRssMb(): number;
  stop(): Promise<void>;
}

const profileDir = args.profile ? mkdtempSync(join(tmpdir(), 'ssb-bench-prof-')) : undefined;

function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** A port nobody is listening on now, for a server that must be told its port up front. */
async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * Starts a server under test in its own process. The bot runs exactly as in
 * production: the compiled `dist/src/main.js` (`npm run bench` builds it
 * first) with `node` and the production {@link NODE_FLAGS}, configured only through its environment, and is
 * taken as started once `/readyz` says ready. The bare baseline runs
 * `bench/server-process.ts`.
 */
async function startServer(env: Record<string, string>, { bare = false, profile = false } = {}): Promise<Server> {
  const port = await freePort();
  const flags = [...(bare ? [] : NODE_FLAGS), ...(profile && profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
  const entry = bare ? ['--import', 'tsx', 'bench/server-process.ts'] : ['dist/src/main.js'];
  const child = spawn(process.execPath, [...flags, ...entry], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  const deadline = performance.now() + 30_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`bench server exited with ${exited}`);
    if (performance.now() > deadline) throw new Error('bench server did not become ready in 30 s');
    const ready = await fetch(`${base}${bare ? '/healthz' : '/readyz'}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const pid = child.pid as number;
  return {
    child,
    base,
    rssMb: () => procStatusMb(pid, 'VmRSS'),
    peakRssMb: () => procStatusMb(pid, 'VmHWM'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

function botEnv(sink: TelegramSink, redisUrl?: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    TELEGRAM_BOT_TOKEN: sink.token,
    TELEGRAM_WEBHOOK_SECRET: BENCH_SECRET,
    TELEGRAM_API_ROOT: sink.url,
    RATE_LIMIT_PER_MINUTE: '100000',
    HANDOFF_HOURS: 'always',
    HANDLERS_FILE: join(mkdtempSync(join(tmpdir(), 'ssb-bench-')), 'handlers.json'),
    ...(redisUrl && { REDIS_URL: redisUrl }),
  };
}

interface PhaseFigures {
  messagesPerSecond: number;
  replyP50Ms: number;
  replyP95Ms: number;
  replyP99Ms: number;
  ackP99Ms: number;
  peakRssMb: number;
  throughputRatioToBare: number;
  redisBytesPerConversation?: number;
  failed: number;
}

const rows: string[][] = [];
const row = (phase: string, mode: string, r: LoadResult, rss: number) => {
  rows.push([
    phase,
    mode,
    String(r.sent),
    String(r.failed),
    String(round(r.answered / r.seconds, 0)),
    String(round(r.ack.percentile(50), 2)),
    String(round(r.ack.percentile(99), 2)),
    r.reply.count ? String(round(r.reply.percentile(50), 2)) : '-',
    r.reply.count ? String(round(r.reply.percentile(95), 2)) : '-',
    r.reply.count ? String(round(r.reply.percentile(99), 2)) : '-',
    String(round(rss, 0)),
  ]);
};

let nextChat = 6_000_000_000;
const target = (base: string, sink: TelegramSink | undefined, connections: number): LoadTarget => {
  const first = nextChat;
  nextChat += 10_000_000;
  return { base, sink, pool: loadPool(base, connections), firstChatId: first, random: seeded(first) };
};

async function barePhase(): Promise<number> {
  const server = await startServer({}, { bare: true });
  try {
    await closedLoop(target(server.base, undefined, USERS), { users: USERS, seconds: 2 });
    const result = await closedLoop(target(server.base, undefined, USERS), { users: USERS, seconds: SECONDS });
    row('bare fastify', `closed ${USERS}`, result, server.peakRssMb());
    return result.answered / result.seconds;
  } finally {
    await server.stop();
  }
}

async function botPhase(name: string, sink: TelegramSink, bare: number, redis?: TestRedis): Promise<PhaseFigures & { rssSlopeMbPerMinute?: number }> {
  const redisClient = redis ? createClient({ url: redis.url }) : undefined;
  redisClient?.on('error', () => undefined);
  await redisClient?.connect();
  await redisClient?.flushAll();
  const server = await startServer(botEnv(sink, redis?.url), { profile: args.profile });
  try {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const memoryBefore = redisClient ? usedMemory(await redisClient.info('memory')) : 0;
    await closedLoop(target(server.base, sink, USERS), { users: USERS, seconds: 3 });
    const callsBefore = sink.calls;
    const commandsBefore = redisClient ? commandCount(await redisClient.info('commandstats')) : 0;
    const closed = await closedLoop(target(server.base, sink, USERS), { users: USERS, seconds: SECONDS });
    const commands = redisClient ? commandCount(await redisClient.info('commandstats')) - commandsBefore : 0;
    process.stderr.write(
      `${name}: ${round((sink.calls - callsBefore) / closed.answered, 2)} Telegram API calls per message` +
        (redisClient ? `, ${round(commands / closed.answered, 2)} Redis commands per message\n` : '\n'),
    );
    row(name, `closed ${USERS}`, closed, server.rssMb());
    await scrape(server, name, 'closed');
    const open = await openLoop(target(server.base, sink, 512), { rate: RATE, seconds: SECONDS });
    row(name, `open ${RATE}/s`, open, server.rssMb());
    await scrape(server, name, 'open');

    let redisBytesPerConversation: number | undefined;
    let rssSlopeMbPerMinute: number | undefined;
    if (redisClient) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const conversations = await countKeys(redisClient, 'ssb:conv:*');
      const memoryAfter = usedMemory(await redisClient.info('memory'));
      redisBytesPerConversation = conversations > 0 ? (memoryAfter - memoryBefore) / conversations : Number.NaN;
      const perKey = await sampleUsage(redisClient, 'ssb:conv:*', 50);
      const seen = await countFields(redisClient, 'ssb:seen:*');
      process.stderr.write(
        `redis: ${conversations} conversations, ${seen} delivery marks, used_memory +${memoryAfter - memoryBefore} B; ` +
          `MEMORY USAGE of a conversation key ~${round(perKey, 0)} B\n`,
      );
      if (args.soak) rssSlopeMbPerMinute = await soak(server, sink);
    }
    return {
      messagesPerSecond: round(closed.answered / closed.seconds, 0),
      replyP50Ms: round(open.reply.percentile(50), 2),
      replyP95Ms: round(open.reply.percentile(95), 2),
      replyP99Ms: round(open.reply.percentile(99), 2),
      ackP99Ms: round(open.ack.percentile(99), 2),
      peakRssMb: round(server.peakRssMb(), 1),
      throughputRatioToBare: round(closed.answered / closed.seconds / bare, 3),
      failed: closed.failed + open.failed,
      ...(redisBytesPerConversation !== undefined && { redisBytesPerConversation: round(redisBytesPerConversation, 0) }),
      ...(rssSlopeMbPerMinute !== undefined && { rssSlopeMbPerMinute: round(rssSlopeMbPerMinute, 2) }),
    };
  } finally {
    await server.stop();
    await redisClient?.close();
  }
}

/**
 * Five minutes at the offered rate with Redis, in one open loop, sampling the
 * bot's RSS every 2 s; the growth is the least-squares slope after the first
 * minute (warm-up), in MB per minute. RSS swings by tens of MB as V8 collects,
 * so the slope over many samples, not two readings, is the figure.
 */
async function soak(server: Server, sink: TelegramSink): Promise<number> {
  const points: [number, number][] = [];
  const started = performance.now();
  const sampler = setInterval(() => {
    const minute = (performance.now() - started) / 60_000;
    points.push([minute, server.rssMb()]);
    if (points.length % 15 === 0) process.stderr.write(`soak ${round(minute * 60, 0)}s: RSS ${round(server.rssMb(), 1)} MB\n`);
  }, 2_000);
  try {
    const result = await openLoop(target(server.base, sink, 512), { rate: RATE, seconds: SOAK_SECONDS });
    row('redis soak', `open ${RATE}/s ${SOAK_SECONDS}s`, result, server.peakRssMb());
  } finally {
    clearInterval(sampler);
  }
  return slope(points.filter(([minute]) => minute >= 1));
}

/**
 * The bot's own view of the segment just run, from its /metrics: event-loop
 * delay p99 since the last scrape, time spent in garbage collection so far,
 * and heap in use. Printed to stderr to explain the latency figures.
 */
async function scrape(server: Server, phase: string, segment: string): Promise<void> {
  const text = await (await fetch(`${server.base}/metrics`)).text();
  const value = (pattern: RegExp) => [...text.matchAll(pattern)].reduce((sum, m) => sum + Number(m[1]), 0);
  const lag = value(/^\w*event_loop_lag_seconds (\S+)$/gm) * 1000;
  const gc = value(/^\w*nodejs_gc_duration_seconds_sum\{[^}]*\} (\S+)$/gm);
  const heap = value(/^\w*nodejs_heap_size_used_bytes (\S+)$/gm) / 2 ** 20;
  process.stderr.write(`${phase} ${segment}: event-loop delay p99 ${round(lag, 1)} ms, GC ${round(gc, 2)} s so far, heap used ${round(heap, 0)} MB\n`);
}

/** All commands Redis has run, from `INFO commandstats` (EVALSHA counts once, the calls inside it too). */
const commandCount = (info: string): number => [...info.matchAll(/^cmdstat_\w+:calls=(\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);

const usedMemory = (info: string): number => Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? Number.NaN);

async function countKeys(client: ReturnType<typeof createClient>, match: string): Promise<number> {
  let count = 0;
  for await (const keys of client.scanIterator({ MATCH: match, COUNT: 1000 })) count += keys.length;
  return count;
}

/** Fields of all hashes matching `match` (delivery marks live as fields of time-bucketed hashes). */
async function countFields(client: ReturnType<typeof createClient>, match: string): Promise<number> {
  let count = 0;
  for await (const keys of client.scanIterator({ MATCH: match, COUNT: 1000 })) {
    for (const key of keys) count += await client.hLen(key);
  }
  return count;
}

async function sampleUsage(client: ReturnType<typeof createClient>, match: string, n: number): Promise<number> {
  const sizes: number[] = [];
  for await (const keys of client.scanIterator({ MATCH: match, COUNT: 100 })) {
    for (const key of keys) {
      if (sizes.length >= n) break;
      sizes.push(Number(await client.memoryUsage(key)));
    }
    if (sizes.length >= n) break;
  }
  return sizes.length ? sizes.reduce((a, b) => a + b, 0) / sizes.length : Number.NaN;
}

function printTable(): void {
  const header = ['phase', 'load', 'sent', 'failed', 'msg/s', 'ack p50', 'ack p99', 'reply p50', 'reply p95', 'reply p99', 'RSS MB'];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  for (const r of all) console.log(r.map((cell, i) => cell.padStart(widths[i] as number)).join('  '));
}

async function main(): Promise<void> {
  const sink = await new TelegramSink(() => performance.now()).start();
  const redis = await TestRedis.start();
  try {
    process.stderr.write(`bench: ${SECONDS}s per segment, ${USERS} users closed loop, ${RATE}/s open loop${args.soak ? ', 5-minute soak' : ''}\n`);
    // Twenty rounds: each rule's expression is compiled on its first use, and a short run leaves that in the figure.
    const understanding = measureUnderstanding(join(import.meta.dirname, '..'), { rounds: 20 });
    process.stderr.write(
      `understanding: ${round(understanding.microsecondsPerMessage, 0)} µs per typed message (${round(understanding.microsecondsPerShortMessage, 0)} µs for five words or fewer; ` +
        `${understanding.messages} messages of the dev split); classifier loads in ${round(understanding.modelLoadMs, 0)} ms, rules in ${round(understanding.rulesLoadMs, 0)} ms\n`,
    );
    const bare = await barePhase();
    const memory = await botPhase('memory', sink, bare);
    const withRedis = await botPhase('redis', sink, bare, redis);
    printTable();
    if (profileDir) console.log(`CPU profiles: ${profileDir}`);
    const rssGrowth = withRedis.rssSlopeMbPerMinute;
    const targets = {
      messagesPerSecond: { target: `>= ${TARGETS.messagesPerSecond}`, value: withRedis.messagesPerSecond, pass: withRedis.messagesPerSecond >= TARGETS.messagesPerSecond },
      replyP99Ms: { target: `< ${TARGETS.replyP99Ms} at ${RATE}/s`, value: withRedis.replyP99Ms, pass: withRedis.replyP99Ms < TARGETS.replyP99Ms },
      ackP99Ms: { target: `< ${TARGETS.ackP99Ms}`, value: withRedis.ackP99Ms, pass: withRedis.ackP99Ms < TARGETS.ackP99Ms },
      redisBytesPerConversation: {
        target: `< ${TARGETS.redisBytesPerConversation}`,
        value: withRedis.redisBytesPerConversation,
        pass: (withRedis.redisBytesPerConversation ?? Infinity) < TARGETS.redisBytesPerConversation,
      },
      understandingMicroseconds: {
        target: `< ${TARGETS.understandingMicroseconds} per typed message`,
        value: round(understanding.microsecondsPerMessage, 0),
        pass: understanding.microsecondsPerMessage < TARGETS.understandingMicroseconds,
      },
      modelLoadMs: { target: `< ${TARGETS.modelLoadMs}`, value: round(understanding.modelLoadMs, 0), pass: understanding.modelLoadMs < TARGETS.modelLoadMs },
      rssGrowth: {
        target: `< ${TARGETS.rssGrowthMbPerMinute} MB/min over ${SOAK_SECONDS}s`,
        value: rssGrowth ?? null,
        pass: rssGrowth === undefined ? null : rssGrowth < TARGETS.rssGrowthMbPerMinute,
      },
    };
    const { failed: _failed, rssSlopeMbPerMinute: _slope, ...redisFigures } = withRedis;
    const { failed: _memoryFailed, ...memoryFigures } = memory;
    console.log(
      JSON.stringify({
        ...redisFigures,
        bareMessagesPerSecond: round(bare, 0),
        sinkUnmatched: sink.unmatched,
        memory: memoryFigures,
        understanding: { ...understanding, microsecondsPerMessage: round(understanding.microsecondsPerMessage, 0), microsecondsPerShortMessage: round(understanding.microsecondsPerShortMessage, 0) },
        targets,
      }),
    );
  } finally {
    await sink.close();
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
