import { readFileSync } from 'node:fs';
import { createClient, RESP_TYPES } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BotCore, createBotCore } from '../../src/app/bot-core.js';
import { decodeConversation } from '../../src/storage/redis/conversation-codec.js';
import { createHarness, firstReplies, texts, TOPIC_QUESTIONS } from '../support/bot-harness.js';
import { FakeTelegramApi } from '../support/fake-telegram-api.js';
import { freePort, TestRedis } from '../support/redis-server.js';
import { ServerProcess } from '../support/server-process.js';

/**
 * Fault tests of the Redis mode with nothing faked but Telegram: a real
 * redis-server and the real server (`src/main.ts`) as separate OS processes,
 * killed, doubled and cut off from Redis while a Telegram user talks to them
 * through the webhook.
 */

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')) as Record<string, any>;

const SECRET = 'redis-processes-webhook-secret';
/**
 * How long a reply may take: a killed instance's partitions pass to a live one after the ~5 s lease and
 * ~10 s heartbeat, and a busy CI machine adds its own delays.
 */
const REPLY_TIMEOUT_MS = 30_000;
/** Per test: server processes take seconds to start under tsx, more on a loaded machine. */
const TEST_TIMEOUT_MS = 180_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

type Update = Record<string, unknown> & { update_id: number };

describe('the Redis mode, with real server processes and a real Redis', () => {
  let api: FakeTelegramApi;
  let redis: TestRedis;
  let redisClient: ReturnType<typeof createClient>;
  let reference: BotCore;
  let mirror: Awaited<ReturnType<typeof createHarness>>;
  const servers: ServerProcess[] = [];
  const extraRedis: TestRedis[] = [];
  let prefixCount = 0;

  const en = (key: string) => reference.renderer.text(key, 'en-GB').trim();
  /** A key prefix of its own for each test, so tests sharing the Redis never see each other's state. */
  const newPrefix = () => `faults${process.pid}t${++prefixCount}`;

  beforeAll(async () => {
    [api, redis, reference, mirror] = await Promise.all([new FakeTelegramApi().start(), TestRedis.start(), createBotCore(), createHarness({ rateLimit: { windowMs: 60_000, maxMessages: 100_000 } })]);
    redisClient = createClient({ url: redis.url });
    redisClient.on('error', () => undefined);
    await redisClient.connect();
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.kill9()));
    await Promise.all(extraRedis.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await redisClient?.close();
    await Promise.all([api?.close(), redis?.stop()]);
  });

  /** Starts the real server on `redisUrl` with Telegram pointed at the fake API. */
  async function startServer(redisUrl: string, prefix: string, { waitReady = true } = {}): Promise<ServerProcess> {
    const server = await ServerProcess.start({
      env: {
        REDIS_URL: redisUrl,
        REDIS_PREFIX: prefix,
        TELEGRAM_BOT_TOKEN: api.token,
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_ROOT: api.url,
        RATE_LIMIT_PER_MINUTE: '100000',
      },
      waitReady,
    });
    servers.push(server);
    return server;
  }

  /** POSTs an update to a server's Telegram webhook, as Telegram does; resolves to the status (0 if nothing answered). */
  async function deliver(server: ServerProcess, update: Update): Promise<number> {
    try {
      const response = await fetch(`${server.url}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify(update),
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }

  /** A Telegram user in a private chat: builds their updates and reads what the fake API received for them. */
  function telegramUser(chatId: number) {
    let updateId = (chatId % 1_000_000) * 1_000;
    const message = fixture('telegram/private-text.json').message as Record<string, any>;
    const query = fixture('telegram/callback-query.json').callback_query as Record<string, any>;
    const user = {
      chatId,
      text: (text: string): Update => ({
        update_id: ++updateId,
        message: { ...message, message_id: updateId, chat: { ...message.chat, id: chatId }, from: { ...message.from, id: chatId }, text },
      }),
      press: (choiceId: string): Update => ({
        update_id: ++updateId,
        callback_query: {
          ...query,
          id: `cb${updateId}`,
          from: { ...query.from, id: chatId },
          message: { ...query.message, chat: { ...query.message.chat, id: chatId } },
          data: choiceId,
        },
      }),
      /** The texts sent to this chat, oldest first. */
      received: () =>
        api
          .calls('sendMessage')
          .filter((call) => String(call.body.chat_id) === String(chatId))
          .map((call) => String(call.body.text)),
      async waitForReplies(count: number, timeoutMs = REPLY_TIMEOUT_MS): Promise<string[]> {
        await until(() => user.received().length >= count, timeoutMs, `${count} replies (have ${user.received().length})`);
        return user.received();
      },
      /**
       * The same person's conversation run in memory, one process, no Redis:
       * what each message should be answered with, for comparing.
       */
      expect: async (payload: { type: 'text'; text: string } | { type: 'choice'; choiceId: string }) =>
        texts(await mirror.turn(`mirror-${chatId}`, payload)),
      /** Sends a message that must be acknowledged, waits for the replies it causes, and checks them against the in-memory run. */
      async say(server: ServerProcess, text: string): Promise<string[]> {
        return user.deliverAndCheck(server, user.text(text), await user.expect({ type: 'text', text }));
      },
      /** Presses a button that must be acknowledged, as `say` does for text. */
      async tap(server: ServerProcess, choiceId: string): Promise<string[]> {
        return user.deliverAndCheck(server, user.press(choiceId), await user.expect({ type: 'choice', choiceId }));
      },
      async deliverAndCheck(server: ServerProcess, update: Update, expected: string[]): Promise<string[]> {
        expect(expected.length).toBeGreaterThan(0);
        const before = user.received().length;
        expect(await deliver(server, update)).toBe(200);
        const got = (await user.waitForReplies(before + expected.length)).slice(before);
        expect(got).toEqual(expected);
        return got;
      },
    };
    return user;
  }

  const conversationKey = (prefix: string, chatId: number) => `${prefix}:conv:telegram:${chatId}`;

  it('continues from the right step when the server is killed with kill -9 and a new process takes over', async () => {
    const prefix = newPrefix();
    const first = await startServer(redis.url, prefix);
    const sam = telegramUser(7_100_000_001);
    const said = [...(await sam.say(first, 'hi')), ...(await sam.tap(first, 'safe'))];
    expect(said).toContain(en('age.ask'));

    await first.kill9();
    const second = await startServer(redis.url, prefix);
    said.push(...(await sam.tap(second, 'adult')));
    expect(said.at(-1)).toBe(en('paid.question'));
    await sleep(500);
    expect(sam.received()).toEqual(said);
  }, TEST_TIMEOUT_MS);

  it('answers one conversation spread over two processes once per message and in acknowledgement order', async () => {
    const prefix = newPrefix();
    const [a, b] = await Promise.all([startServer(redis.url, prefix), startServer(redis.url, prefix)]);
    const kim = telegramUser(7_100_000_002);

    // One step at a time, alternating processes.
    await kim.say(a, 'hi');
    await kim.tap(b, 'safe');
    await kim.tap(a, 'adult');
    await kim.tap(b, 'not_paid');

    const questions = Array.from({ length: 50 }, (_, i) => TOPIC_QUESTIONS[i % TOPIC_QUESTIONS.length] as string);
    // At an advice step a question leaves the conversation where it was, so each has the same answer however they interleave.
    const expected: string[] = [];
    for (const q of questions) expected.push(...(await kim.expect({ type: 'text', text: q })));

    // 50 at once, split across both: no order between them, but every one answered exactly once.
    let before = kim.received().length;
    const statuses = await Promise.all(questions.map((q, i) => deliver(i % 2 === 0 ? a : b, kim.text(q))));
    expect(statuses).toEqual(questions.map(() => 200));
    await kim.waitForReplies(before + expected.length);
    await sleep(1_000);
    const concurrent = kim.received().slice(before);
    expect(concurrent).toHaveLength(expected.length);
    expect([...concurrent].sort()).toEqual([...expected].sort());

    // 50 in sequence, each acknowledged before the next is sent, replies not awaited: answered in that order.
    before = kim.received().length;
    for (const [i, q] of questions.entries()) expect(await deliver(i % 2 === 0 ? a : b, kim.text(q))).toBe(200);
    await kim.waitForReplies(before + expected.length);
    await sleep(1_000);
    expect(kim.received().slice(before)).toEqual(expected);
  }, TEST_TIMEOUT_MS);

  it('answers one Telegram update delivered to both processes once', async () => {
    const prefix = newPrefix();
    const [a, b] = await Promise.all([startServer(redis.url, prefix), startServer(redis.url, prefix)]);
    const lee = telegramUser(7_100_000_003);
    const update = lee.text('hello');
    expect(await Promise.all([deliver(a, update), deliver(b, update)])).toEqual([200, 200]);
    const expected = await lee.expect({ type: 'text', text: 'hello' });
    await lee.waitForReplies(expected.length);
    expect(await deliver(b, update)).toBe(200);
    expect(await deliver(a, update)).toBe(200);
    await sleep(1_500);
    expect(lee.received()).toEqual(expected);
  }, TEST_TIMEOUT_MS);

  it('answers 503 while Redis is down, recovers by itself, and answers every acknowledged message once', async () => {
    // Durable (append-only, fsync always), as production Redis must be for "nothing acknowledged is lost" to hold.
    const outageRedis = await TestRedis.start({ durable: true });
    extraRedis.push(outageRedis);
    const server = await startServer(outageRedis.url, newPrefix());
    const sent: { user: ReturnType<typeof telegramUser>; update: Update; status: number; at: number }[] = [];
    let sending = true;
    const traffic = (async () => {
      for (let n = 0; sending; n++) {
        const user = telegramUser(7_200_000_000 + n);
        const update = user.text('hi');
        const status = await deliver(server, update);
        sent.push({ user, update, status, at: Date.now() });
        await sleep(40);
      }
    })();
    try {
      await until(() => sent.filter((s) => s.status === 200).length >= 5, 30_000, 'messages before the outage');
      await outageRedis.pause();
      await until(async () => (await server.status('/readyz')) === 503, 10_000, '/readyz to answer 503');
      await until(() => sent.some((s) => s.status === 503), 10_000, 'a webhook answered 503');
      // Longer than the 5 s partition leases, as a real Redis restart or failover often is: they lapse meanwhile.
      await sleep(6_000);
      await outageRedis.resume();
      const resumedAt = Date.now();
      await server.waitFor('/readyz', 10_000);
      await until(() => sent.filter((s) => s.status === 200 && s.at > resumedAt).length >= 5, 30_000, 'messages after the outage');
    } finally {
      sending = false;
      await traffic;
    }

    // Telegram delivers again whatever was not acknowledged.
    for (const unacknowledged of sent.filter((s) => s.status !== 200)) {
      await until(async () => (await deliver(server, unacknowledged.update)) === 200, 10_000, 'a resent update to be acknowledged');
    }
    await until(() => sent.every((s) => s.user.received().length >= 1), REPLY_TIMEOUT_MS, 'every message answered');
    await sleep(1_000);
    const greeted = await firstReplies('hi');
    await until(() => sent.every((s) => s.user.received().length >= greeted.length), REPLY_TIMEOUT_MS, 'every reply sent');
    for (const { user } of sent) expect(user.received(), `chat ${user.chatId}`).toEqual(greeted);
    expect(server.alive).toBe(true);
    expect(server.stderr).not.toMatch(/unhandled|uncaught/i);
  }, TEST_TIMEOUT_MS);

  it('answers messages acknowledged after Redis came back empty (restarted without persistence)', async () => {
    // What was in Redis before is gone (that loss is the operator's choice); what is acknowledged afterwards must still be answered.
    const emptyRedis = await TestRedis.start();
    extraRedis.push(emptyRedis);
    const server = await startServer(emptyRedis.url, newPrefix());
    const before = telegramUser(7_300_000_000);
    await before.say(server, 'hi');

    await emptyRedis.pause();
    await until(async () => (await server.status('/readyz')) === 503, 10_000, '/readyz to answer 503');
    await emptyRedis.resume();
    await server.waitFor('/readyz', 10_000);
    const after = [1, 2, 3].map((n) => telegramUser(7_300_000_000 + n));
    for (const update of after.map((user) => user.text('hi'))) {
      await until(async () => (await deliver(server, update)) === 200, 10_000, 'the webhook to acknowledge');
    }
    const greeted = await firstReplies('hi');
    await until(() => after.every((u) => u.received().length >= greeted.length), REPLY_TIMEOUT_MS, 'replies after Redis came back empty');
    for (const user of after) expect(user.received()).toEqual(greeted);
  }, TEST_TIMEOUT_MS);

  it('starts while Redis is unreachable, reports not ready, and becomes ready by itself when Redis appears', async () => {
    const port = await freePort();
    const server = await startServer(`redis://127.0.0.1:${port}`, newPrefix(), { waitReady: false });
    const ash = telegramUser(7_100_000_005);
    const update = ash.text('hi');
    expect(await server.status('/healthz')).toBe(200);
    expect(await server.status('/readyz')).toBe(503);
    expect(await deliver(server, update)).toBe(503);

    extraRedis.push(await TestRedis.start({ port }));
    await server.waitFor('/readyz', 15_000);
    expect(await deliver(server, update)).toBe(200);
    const greeted = await firstReplies('hi');
    expect(await ash.waitForReplies(greeted.length)).toEqual(greeted);
    expect(server.alive).toBe(true);
  }, TEST_TIMEOUT_MS);

  it('removes the conversation from Redis on "delete my data", then greets the person afresh', async () => {
    const prefix = newPrefix();
    const server = await startServer(redis.url, prefix);
    const jo = telegramUser(7_100_000_007);
    const greeted = await jo.say(server, 'hi');
    expect(await redisClient.exists(conversationKey(prefix, jo.chatId))).toBe(1);
    // The ids (never the text) of the messages sent, kept for "clear this chat".
    expect(await redisClient.zCard(`${prefix}:msgids:telegram:${jo.chatId}`)).toBeGreaterThanOrEqual(greeted.length);
    expect(await jo.say(server, 'delete my data')).toEqual([en('delete.confirm')]);
    expect(await jo.tap(server, 'yes')).toEqual([en('delete.done')]);
    expect(await redisClient.exists(conversationKey(prefix, jo.chatId))).toBe(0);
    // Nothing in Redis names the conversation any more, not even the id of the reply saying it was deleted.
    const left = [];
    for await (const keys of redisClient.scanIterator({ MATCH: `${prefix}:*${jo.chatId}*` })) left.push(...keys);
    expect(left).toEqual([]);
    // Afresh: greeted as the very first time.
    expect(await jo.say(server, 'hi')).toEqual(greeted);
  }, TEST_TIMEOUT_MS);

  it('restarts a conversation saved by an older flow version politely, and answers the message as a first one', async () => {
    const prefix = newPrefix();
    const server = await startServer(redis.url, prefix);
    const max = telegramUser(7_100_000_008);
    const old = { flowVersion: 0, snapshot: { status: 'active', value: 'someOldState', context: {} }, recent: [], updatedAt: Date.now() - 3_600_000 };
    await redisClient.set(conversationKey(prefix, max.chatId), JSON.stringify(old));
    expect(await deliver(server, max.text('hello again'))).toBe(200);
    const fresh = await firstReplies('hello again');
    await max.waitForReplies(1 + fresh.length);
    await sleep(500);
    expect(max.received()).toEqual([en('system.restarted'), ...fresh]);
    const record = await redisClient.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).get(conversationKey(prefix, max.chatId));
    expect(record).not.toBeNull();
    expect(decodeConversation(record as Buffer).flowVersion).toBeGreaterThan(0);
  }, TEST_TIMEOUT_MS);
});
