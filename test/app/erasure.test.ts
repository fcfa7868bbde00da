import { readFileSync } from 'node:fs';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeBotFrameworkConnector, startFakeBotFrameworkConnector } from '../support/fake-botframework-connector.js';
import { RedisKeys } from '../../src/storage/redis/redis-keys.js';
import { TestRedis } from '../support/redis-server.js';
import { startTelegramApp, type TelegramApp } from '../support/telegram-app.js';

/**
 * "Delete my data" against everything the app keeps in Redis: a person on
 * Telegram leaves every kind of record there is (the conversation, the ids
 * kept for "clear this chat", a scheduled safety check, a live ticket with its
 * transcript, a closed ticket), erases,
 * and afterwards no key's name or content mentions them. The same for a
 * person on Web Chat, whose channel keeps a conversation reference.
 */

const activity = JSON.parse(readFileSync(new URL('../fixtures/botframework/webchat-message.json', import.meta.url), 'utf8')) as Record<string, any>;

const PREFIX = `erasure${process.pid}`;
const CHAT = 7_640_000_123;
const OTHER = 7_640_000_456;

/** Every key under the prefix with what it holds, as text, whatever its type. */
async function everything(client: ReturnType<typeof createClient>): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for await (const keys of client.scanIterator({ MATCH: `${PREFIX}:*`, COUNT: 1000 })) {
    for (const key of keys) {
      const type = await client.type(key);
      let content: unknown;
      if (type === 'string') content = await client.get(key);
      else if (type === 'hash') content = await client.hGetAll(key);
      else if (type === 'list') content = await client.lRange(key, 0, -1);
      else if (type === 'set') content = await client.sMembers(key);
      else if (type === 'zset') content = await client.zRange(key, 0, -1);
      else if (type === 'stream') content = await client.xRange(key, '-', '+');
      found.set(key, JSON.stringify(content));
    }
  }
  return found;
}

describe('erasure in the Redis mode', () => {
  let redis: TestRedis;
  let started: TelegramApp;
  let client: ReturnType<typeof createClient>;
  let connector: FakeBotFrameworkConnector;

  beforeAll(async () => {
    redis = await TestRedis.start();
    client = createClient({ url: redis.url });
    await client.connect();
    connector = await startFakeBotFrameworkConnector();
    started = await startTelegramApp({
      handlers: ['sam.handler'],
      env: { REDIS_URL: redis.url, REDIS_PREFIX: PREFIX, BOTFRAMEWORK_ALLOW_UNAUTHENTICATED: 'true' },
    });
    await started.app.handoff.sessions.create('sam.handler', Date.now());
  }, 60_000);

  afterAll(async () => {
    await started?.close();
    await connector?.close();
    await client?.close();
    await redis?.stop();
  });

  it('leaves no key that names or holds the conversation once the person deletes their data', async () => {
    const { app } = started;
    const said = (key: string) => app.core.renderer.text(key, 'en-GB');
    const person = started.person(CHAT, { timeoutMs: 20_000 });
    // Someone else's conversation, which erasure must leave alone.
    const other = started.person(OTHER, { timeoutMs: 20_000 });
    await other.say('hi');
    await other.receivedText(said('safety.ask'));

    await person.say('hi');
    await person.receivedText(said('safety.ask'));
    // A crisis: the crisis reply, a queued ticket with a transcript, and a check on them scheduled.
    await person.say('i want to kill myself');
    await person.receivedText(said('handoff.queuedAfterRisk'));
    const first = await app.handoff.queue.byConversation(`telegram:${CHAT}`);
    expect(first?.status).toBe('queued');
    expect(await app.desk.claim(first!.id, 'sam.handler', Date.now())).toBe('ok');
    expect(await app.desk.end(first!.id, 'sam.handler', Date.now())).toBe('ok');
    await person.receivedText(said('handoff.ended'));
    // A second ticket while the first is kept as closed.
    await person.say('can i speak to a real person');
    await expect.poll(async () => (await app.handoff.queue.byConversation(`telegram:${CHAT}`))?.status).toBe('queued');
    const second = await app.handoff.queue.byConversation(`telegram:${CHAT}`);

    const before = await everything(client);
    const mentions = (all: Map<string, string>) => [...all].filter(([key, content]) => key.includes(String(CHAT)) || content.includes(String(CHAT))).map(([key]) => key);
    // Every kind of record the keys module names for a conversation is there before erasure, so the check below is not empty by accident.
    const keys = new RedisKeys(PREFIX);
    const conversation = `telegram:${CHAT}`;
    expect(new Set(mentions(before))).toEqual(
      new Set([
        keys.conversation(conversation),
        keys.messageIds(conversation),
        keys.checks(),
        keys.handoffTicket(second!.id),
        keys.handoffByConversation(),
        keys.handoffTranscript(conversation),
        keys.closedTicket(first!.id),
        keys.closedTicketsOf(conversation),
      ]),
    );

    const mark = person.received().length;
    await person.say('delete my data');
    await person.receivedText(said('delete.confirm'), mark);
    await person.press('yes');
    await person.receivedText(said('delete.done'), mark);

    await expect.poll(async () => mentions(await everything(client)), { timeout: 10_000 }).toEqual([]);
    // The other person's conversation is still there.
    const after = await everything(client);
    expect([...after.keys()].some((key) => key.includes(String(OTHER)))).toBe(true);
  }, 60_000);

  it('leaves no key that names or holds a Web Chat conversation, its reference included, once the person deletes their data', async () => {
    const conversation = `erasure-webchat-${process.pid}`;
    let n = 0;
    const post = async (fields: Record<string, unknown>) => {
      const before = connector.activities().length;
      const response = await fetch(`${started.base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...activity, id: `${conversation}|${++n}`, conversation: { id: conversation }, serviceUrl: connector.url, ...fields }),
      });
      expect(response.status).toBe(200);
      await expect.poll(() => connector.activities().length).toBeGreaterThan(before);
    };
    const mentions = async () => [...(await everything(client))].filter(([key, content]) => key.includes(conversation) || content.includes(conversation)).map(([key]) => key);

    await post({ text: 'hi' });
    expect((await mentions()).length).toBeGreaterThan(0);
    await post({ text: 'delete my data' });
    await post({ text: 'yes' });
    expect(String(connector.activities().at(-1)?.text)).toBe(started.app.core.renderer.text('delete.done', 'en-GB'));

    await expect.poll(mentions, { timeout: 10_000 }).toEqual([]);
  }, 60_000);
});
