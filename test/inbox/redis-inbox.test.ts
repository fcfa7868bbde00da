import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBotCore } from '../../src/app/bot-core.js';
import type { ConversationKey } from '../../src/core/conversation-key.js';
import { silentLogger } from '../../src/core/logger.js';
import type { OutboundMessage } from '../../src/core/outbound-message.js';
import { Dispatcher } from '../../src/engine/dispatcher.js';
import { RedisDeadlineError } from '../../src/inbox/deadline.js';
import { RedisInbox } from '../../src/inbox/redis-inbox.js';
import { StoreError } from '../../src/core/errors.js';
import { PartitionLeases } from '../../src/storage/redis/partition-leases.js';
import { createRedisConnection, type RedisClient } from '../../src/storage/redis/redis-connection.js';
import { RedisConversationStore } from '../../src/storage/redis/conversation-store.js';
import { INBOX_GROUP, partitionOf, RedisKeys } from '../../src/storage/redis/redis-keys.js';
import { firstReplies, TOPIC_QUESTIONS, topicAnswers } from '../support/bot-harness.js';
import { TestRedis } from '../support/redis-server.js';


/** One bot instance: its own Redis connection, leases and inbox, sharing Redis with the others. */
async function instance(
  url: string,
  prefix: string,
  sent: { key: string; text: string }[],
  beforeSend: (key: ConversationKey) => Promise<void> = async () => undefined,
) {
  const client: RedisClient = createRedisConnection({ url, logger: silentLogger, maxBackoffMs: 200 });
  await client.connect();
  const keys = new RedisKeys(prefix);
  const leases = new PartitionLeases(client, keys, 4, 2_000);
  const core = await createBotCore({ store: new RedisConversationStore(client, keys, leases, 60_000), rateLimit: { windowMs: 60_000, maxMessages: 10_000 } });
  const sender = {
    async send(key: ConversationKey, messages: readonly OutboundMessage[]) {
      await beforeSend(key);
      for (const m of messages) sent.push({ key: key.id, text: m.text });
    },
  };
  const dispatcher = new Dispatcher({ engine: core.engine, senders: new Map([['terminal', sender]]), logger: silentLogger, hashKey: (k) => k.id });
  const inbox = new RedisInbox({ client, keys, leases, dispatcher, logger: silentLogger, tickMs: 100, blockMs: 200 });
  await inbox.start();
  return { core, inbox, client, keys, leases, stop: async () => { await inbox.stop(); await client.close(); } };
}

/**
 * An inbox that records but is never started, so every recorded event stays in its stream to be counted.
 * Its dispatcher is never called.
 */
async function recorder(url: string, prefix: string, dedupeMs: number, submitTimeoutMs?: number) {
  const client: RedisClient = createRedisConnection({ url, logger: silentLogger });
  await client.connect();
  const keys = new RedisKeys(prefix);
  const leases = new PartitionLeases(client, keys, 1, 2_000);
  const inbox = new RedisInbox({
    client,
    keys,
    leases,
    dispatcher: { process: async () => true },
    logger: silentLogger,
    dedupeMs,
    ...(submitTimeoutMs !== undefined && { submitTimeoutMs }),
  });
  const recorded = () => client.xLen(keys.inbox(0));
  const buckets = async () => (await client.keys(`${keys.delivery('')}*`)).map((k) => Number(k.slice(keys.delivery('').length)));
  /** Waits until Redis' own clock (the one the inbox buckets by, and expires keys by) is past the given ms. */
  const untilRedisTimeIsPast = async (ms: number) => {
    for (;;) {
      const [seconds, micros] = await client.time();
      if (Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) > ms) return;
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { inbox, client, keys, recorded, buckets, untilRedisTimeIsPast, stop: () => client.close() };
}

async function until(condition: () => boolean | Promise<boolean>, ms = 15_000) {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('RedisInbox', () => {
  let redis: TestRedis;
  const stops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    redis = await TestRedis.start();
  });
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((s) => s()));
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('answers one person’s 50 concurrent messages, submitted through two instances, once each and in order', async () => {
    const sent: { key: string; text: string }[] = [];
    const a = await instance(redis.url, 'order', sent);
    const b = await instance(redis.url, 'order', sent);
    stops.push(a.stop, b.stop);
    const expectedByQuestion = await topicAnswers();
    const key = { channel: 'terminal' as const, id: 'sam' };
    await a.inbox.submit({ key, payload: { type: 'text', text: 'hi' }, messageId: 'm0' });
    await until(() => sent.length >= 1);
    // The greeting's messages all sent before the questions go in, so every later message answers a question.
    await new Promise((r) => setTimeout(r, 300));
    const first = sent.length;
    const questions = Array.from({ length: 50 }, (_, i) => TOPIC_QUESTIONS[i % TOPIC_QUESTIONS.length] as string);
    // Submitted in order, alternating instances, without waiting for answers.
    for (const [i, text] of questions.entries()) {
      await (i % 2 === 0 ? a : b).inbox.submit({ key, payload: { type: 'text', text }, messageId: `m${i + 1}` });
    }
    const known = new Set(Object.values(expectedByQuestion));
    const answered = () => sent.slice(first).filter((s) => known.has(s.text)).map((s) => s.text);
    await until(() => answered().length >= 50);
    await new Promise((r) => setTimeout(r, 300));
    expect(answered()).toEqual(questions.map((q) => expectedByQuestion[q]));
  });

  it('answers other people while one person’s reply is held up, and keeps that person’s next message waiting its turn', async () => {
    const slow = 'slow';
    // Someone whose conversation is in the same partition, so only the worker's own scheduling can let them past.
    const other = Array.from({ length: 100 }, (_, i) => `other-${i}`).find((id) => partitionOf(`terminal:${id}`, 4) === partitionOf(`terminal:${slow}`, 4)) as string;
    const sent: { key: string; text: string }[] = [];
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding = false;
    const a = await instance(redis.url, 'side-by-side', sent, async (key) => {
      if (key.id !== slow) return;
      holding = true;
      await held;
    });
    stops.push(a.stop);
    const expectedByQuestion = await topicAnswers(['should i pay']);
    await a.inbox.submit({ key: { channel: 'terminal', id: slow }, payload: { type: 'text', text: 'hi' }, messageId: 's1' });
    await until(() => holding);
    await a.inbox.submit({ key: { channel: 'terminal', id: slow }, payload: { type: 'text', text: 'should i pay' }, messageId: 's2' });
    await a.inbox.submit({ key: { channel: 'terminal', id: other }, payload: { type: 'text', text: 'hi' }, messageId: 'o1' });
    await until(() => sent.some((s) => s.key === other));
    expect(sent.filter((s) => s.key === slow)).toEqual([]);
    release();
    const greeting = await firstReplies('hi');
    await until(() => sent.filter((s) => s.key === slow).length > greeting.length);
    const toSlow = sent.filter((s) => s.key === slow).map((s) => s.text);
    expect(toSlow.slice(0, greeting.length)).toEqual(greeting);
    expect(toSlow[greeting.length]).toBe(expectedByQuestion['should i pay']);
  });

  /**
   * One instance on its own durable Redis, which dies during the first send:
   * after the platform took the reply, or (when `platformFails`) before it could.
   */
  async function outageAtFirstSend(id: string, { platformFails = false } = {}) {
    const outage = await TestRedis.start({ durable: true });
    const sent: { key: string; text: string }[] = [];
    let first = true;
    let down = false;
    const a = await instance(outage.url, id, sent, async () => {
      if (!first) return;
      first = false;
      await outage.pause();
      down = true;
      if (platformFails) throw new Error('the platform could not be reached');
    });
    stops.push(async () => {
      await a.stop();
      await outage.stop();
    });
    await a.inbox.submit({ key: { channel: 'terminal', id }, payload: { type: 'text', text: 'hello' }, messageId: `${id}-1` });
    await until(() => down);
    await outage.resume();
    return { a, sent };
  }

  it('does not answer twice when Redis went away between the reply and its acknowledgement', async () => {
    const { a, sent } = await outageAtFirstSend('ack-lost');
    // Back: the entry is still pending and is claimed again; it must only be acknowledged.
    await until(async () => (await a.client.xPending(a.keys.inbox(partitionOf('terminal:ack-lost', 4)), INBOX_GROUP).catch(() => undefined))?.pending === 0);
    await new Promise((r) => setTimeout(r, 500));
    expect(sent.map((s) => s.text)).toEqual(await firstReplies('hello'));
  });

  it('sends the reply again when it never reached the platform because Redis went away', async () => {
    const { sent } = await outageAtFirstSend('send-lost', { platformFails: true });
    await until(() => sent.length >= 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(sent.map((s) => s.text)).toEqual(await firstReplies('hello'));
  });

  it('records a redelivered platform message once', async () => {
    const sent: { key: string; text: string }[] = [];
    const a = await instance(redis.url, 'dupes', sent);
    stops.push(a.stop);
    const event = { key: { channel: 'terminal' as const, id: 'dup' }, payload: { type: 'text' as const, text: 'hello' }, messageId: 'same-id' };
    await a.inbox.submit(event);
    await a.inbox.submit(event);
    await until(() => sent.length >= 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(sent.filter((s) => s.text === a.core.renderer.text('welcome.short', 'en-GB'))).toHaveLength(1);
  });

  it('refuses a redelivery that arrives just after the time bucket of its mark has ended', async () => {
    // Long enough that a stalled CI machine cannot carry the redelivery past the next bucket too.
    const window = 2_000;
    const r = await recorder(redis.url, 'across', window);
    stops.push(r.stop);
    const event = { key: { channel: 'terminal' as const, id: 'across' }, payload: { type: 'text' as const, text: 'hello' }, messageId: 'across-1' };
    await r.inbox.submit(event);
    const [bucket] = await r.buckets();
    expect(bucket).toBeDefined();
    // Kept until the end of the next bucket, so at least one whole window after it was written.
    expect(await r.client.pExpireTime(r.keys.delivery(bucket as number))).toBe(((bucket as number) + 2) * window);
    await r.untilRedisTimeIsPast(((bucket as number) + 1) * window - 1);
    await r.inbox.submit(event);
    expect(await r.recorded()).toBe(1);
    // Refused on the previous bucket's mark, without writing a new one.
    expect(await r.buckets()).toEqual([bucket]);
  });

  it('forgets a delivery mark once its bucket and the next have ended', async () => {
    const window = 200;
    const r = await recorder(redis.url, 'forget', window);
    stops.push(r.stop);
    const event = { key: { channel: 'terminal' as const, id: 'forget' }, payload: { type: 'text' as const, text: 'hello' }, messageId: 'forget-1' };
    await r.inbox.submit(event);
    const [bucket] = await r.buckets();
    await r.untilRedisTimeIsPast(((bucket as number) + 2) * window);
    expect(await r.client.exists(r.keys.delivery(bucket as number))).toBe(0);
    await r.inbox.submit(event);
    expect(await r.recorded()).toBe(2);
  });

  it('answers a webhook with a store error when Redis holds the connection but does not answer, and records the event once', async () => {
    const hung = await TestRedis.start();
    try {
      const r = await recorder(hung.url, 'hung', 60_000, 300);
      const event = { key: { channel: 'terminal' as const, id: 'hung' }, payload: { type: 'text' as const, text: 'hello' }, messageId: 'hung-1' };
      hung.freeze();
      let error: unknown;
      try {
        await r.inbox.submit(event);
      } catch (caught) {
        error = caught;
      } finally {
        hung.thaw();
      }
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).cause).toBeInstanceOf(RedisDeadlineError);
      // The command went through once Redis answered again; the platform's redelivery finds its mark.
      await r.inbox.submit(event);
      expect(await r.recorded()).toBe(1);
      await r.stop();
    } finally {
      await hung.stop();
    }
  });

  it('keeps recording when Redis has lost its cached scripts', async () => {
    const r = await recorder(redis.url, 'flush', 60_000);
    stops.push(r.stop);
    const key = { channel: 'terminal' as const, id: 'flush' };
    await r.inbox.submit({ key, payload: { type: 'text', text: 'one' }, messageId: 'f1' });
    await r.client.scriptFlush();
    await r.inbox.submit({ key, payload: { type: 'text', text: 'two' }, messageId: 'f2' });
    await r.inbox.submit({ key, payload: { type: 'text', text: 'two' }, messageId: 'f2' });
    expect(await r.recorded()).toBe(2);
  });

  it('shares the partitions between live instances and takes over a stopped one’s', async () => {
    const sent: { key: string; text: string }[] = [];
    const a = await instance(redis.url, 'share', sent);
    await until(() => a.inbox.ownedPartitions().length === 4);
    const b = await instance(redis.url, 'share', sent);
    stops.push(b.stop);
    await until(() => a.inbox.ownedPartitions().length === 2 && b.inbox.ownedPartitions().length === 2);
    await a.stop();
    await until(() => b.inbox.ownedPartitions().length === 4);
  });

  it('keeps serving a partition after its lease lapsed and was won back', async () => {
    const sent: { key: string; text: string }[] = [];
    const a = await instance(redis.url, 'lapse', sent);
    stops.push(a.stop);
    const key = { channel: 'terminal' as const, id: 'lapse' };
    await a.inbox.submit({ key, payload: { type: 'text', text: 'hi' }, messageId: 'l1' });
    await until(() => sent.length >= 1);
    // Every lease lapses at once, as after a long pause: the instance forgets them, Redis drops them.
    for (let p = 0; p < 4; p++) await a.client.del(a.keys.lease(p));
    for (let p = 0; p < 4; p++) a.leases.forget(p);
    await a.inbox.submit({ key, payload: { type: 'text', text: 'menu' }, messageId: 'l2' });
    await until(() => sent.some((s) => s.text === a.core.renderer.text('menu.intro', 'en-GB')));
  });

  it('refuses to record while Redis is down, so the webhook can answer 503, and works again when it returns', async () => {
    const sent: { key: string; text: string }[] = [];
    const a = await instance(redis.url, 'outage', sent);
    stops.push(a.stop);
    const key = { channel: 'terminal' as const, id: 'outage' };
    await redis.pause();
    await expect(a.inbox.submit({ key, payload: { type: 'text', text: 'hi' }, messageId: 'o1' })).rejects.toThrow();
    await redis.resume();
    await until(() => a.client.isReady);
    await a.inbox.submit({ key, payload: { type: 'text', text: 'hi' }, messageId: 'o1' });
    await until(() => sent.length >= 1);
  });
});
