import { describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import type { ConsoleEvent, ConsoleEvents } from '../../src/handoff/handoff-model.js';
import { MemoryConsoleEvents } from '../../src/storage/memory/console-events.js';
import { RedisConsoleEvents } from '../../src/storage/redis/console-events.js';
import { connectInBackground, createRedisConnection } from '../../src/storage/redis/redis-connection.js';
import { RedisKeys } from '../../src/storage/redis/redis-keys.js';
import { TestRedis } from '../support/redis-server.js';
import { sleep, until, useTestRedis } from '../support/handoff-backends.js';

const redis = useTestRedis();

/** A logger that keeps what it is given, to check failures are logged without content. */
function recordingLogger(lines: object[]): Logger {
  const logger: Logger = {
    debug: (fields) => void lines.push(fields),
    info: (fields) => void lines.push(fields),
    warn: (fields) => void lines.push(fields),
    error: (fields) => void lines.push(fields),
    child: () => logger,
  };
  return logger;
}

async function redisEvents(keys: RedisKeys, logger?: Logger): Promise<RedisConsoleEvents> {
  const events = new RedisConsoleEvents({ client: await redis.client(), keys, ...(logger ? { logger } : {}) });
  await events.ready();
  redis.onCleanup(() => events.close());
  return events;
}

const backends: { name: string; make: (logger?: Logger) => Promise<ConsoleEvents> }[] = [
  { name: 'MemoryConsoleEvents', make: async (logger) => new MemoryConsoleEvents(logger ? { logger } : {}) },
  { name: 'RedisConsoleEvents', make: async (logger) => redisEvents(redis.keys(), logger) },
];

const transcriptEvent: ConsoleEvent = { type: 'transcript', ticketId: 't-1', entry: { at: 5, from: 'handler', text: 'Hello, I am here.', handler: 'alice' } };

describe.each(backends)('$name', ({ make }) => {
  it('delivers every published event to every listener, once', async () => {
    const events = await make();
    const first: ConsoleEvent[] = [];
    const second: ConsoleEvent[] = [];
    events.subscribe((e) => first.push(e));
    events.subscribe((e) => second.push(e));
    await events.publish({ type: 'queue-changed' });
    await events.publish(transcriptEvent);
    await until(() => first.length >= 2 && second.length >= 2);
    await sleep(50);
    expect(first).toEqual([{ type: 'queue-changed' }, transcriptEvent]);
    expect(second).toEqual(first);
  });

  it('stops delivering to a listener once it unsubscribes', async () => {
    const events = await make();
    const gone: ConsoleEvent[] = [];
    const staying: ConsoleEvent[] = [];
    const unsubscribe = events.subscribe((e) => gone.push(e));
    events.subscribe((e) => staying.push(e));
    unsubscribe();
    await events.publish({ type: 'queue-changed' });
    await until(() => staying.length === 1);
    await sleep(50);
    expect(gone).toEqual([]);
  });

  it('keeps delivering to the others when one listener throws, and logs it without the event’s text', async () => {
    const lines: object[] = [];
    const events = await make(recordingLogger(lines));
    const heard: ConsoleEvent[] = [];
    events.subscribe(() => {
      throw new Error('browser went away');
    });
    events.subscribe((e) => heard.push(e));
    await events.publish(transcriptEvent);
    await until(() => heard.length === 1);
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain('Hello, I am here.');
  });
});

describe('RedisConsoleEvents across instances', () => {
  it('delivers an event published on one connection to listeners on another instance and on its own', async () => {
    const keys = redis.keys();
    const a = await redisEvents(keys);
    const b = await redisEvents(keys);
    const onA: ConsoleEvent[] = [];
    const onB: ConsoleEvent[] = [];
    a.subscribe((e) => onA.push(e));
    b.subscribe((e) => onB.push(e));
    await a.publish(transcriptEvent);
    await b.publish({ type: 'queue-changed' });
    await until(() => onA.length >= 2 && onB.length >= 2);
    await sleep(50);
    expect(onB).toEqual([transcriptEvent, { type: 'queue-changed' }]);
    expect(onA).toEqual(onB);
  });

  it('keeps instances under different prefixes apart', async () => {
    const a = await redisEvents(redis.keys());
    const b = await redisEvents(redis.keys());
    const onB: ConsoleEvent[] = [];
    const onA: ConsoleEvent[] = [];
    b.subscribe((e) => onB.push(e));
    a.subscribe((e) => onA.push(e));
    await a.publish({ type: 'queue-changed' });
    await until(() => onA.length === 1);
    await sleep(100);
    expect(onB).toEqual([]);
  });

  it('does not hold up start-up while Redis is away, and listens once Redis comes up', async () => {
    const server = await TestRedis.start();
    await server.pause();
    const client = createRedisConnection({ url: server.url, logger: silentLogger, maxBackoffMs: 100 });
    connectInBackground(client, silentLogger);
    const events = new RedisConsoleEvents({ client, keys: new RedisKeys('late') });
    const heard: ConsoleEvent[] = [];
    events.subscribe((e) => heard.push(e));
    try {
      await server.resume();
      await events.ready();
      await until(() => client.isReady);
      await events.publish({ type: 'queue-changed' });
      await until(() => heard.length === 1);
    } finally {
      await events.close();
      await client.close();
      await server.stop();
    }
  });

  it('closes at once even if Redis never came up', async () => {
    const server = await TestRedis.start();
    await server.stop();
    const client = createRedisConnection({ url: server.url, logger: silentLogger, maxBackoffMs: 100 });
    connectInBackground(client, silentLogger);
    const events = new RedisConsoleEvents({ client, keys: new RedisKeys('never') });
    await sleep(200);
    await events.close();
    await expect(events.ready()).rejects.toThrow();
    client.destroy();
  });
});
