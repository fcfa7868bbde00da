import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/create-app.js';
import { readConfig } from '../../src/config/environment.js';
import { silentLogger } from '../../src/core/logger.js';
import { type FakeBotFrameworkConnector, startFakeBotFrameworkConnector } from '../support/fake-botframework-connector.js';
import { FakeTelegramApi } from '../support/fake-telegram-api.js';
import { type FakeXApi, startFakeXApi } from '../support/fake-x-api.js';

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')) as Record<string, any>;

const TELEGRAM_SECRET = 'whole-conversation-secret';
const X_SECRET = 'test-consumer-secret';
const X_ACCOUNT = '4337869213';

/** A button someone who just follows the buttons presses: an adult who has not paid, heading for the report step. */
const FORWARD = ['next', 'continue', 'safe', 'adult', 'not_paid'];

interface Shown {
  text: string;
  choices: string[];
}

/** One platform as a person uses it: type, press, and read what arrived at the fake platform. */
interface Person {
  say(text: string): Promise<void>;
  press(choiceId: string): Promise<void>;
  /** Every message the fake platform received for this person, oldest first. */
  received(): Shown[];
}

describe('a whole conversation, from greeting to report, on every channel', () => {
  let telegramApi: FakeTelegramApi;
  let connector: FakeBotFrameworkConnector;
  let xApi: FakeXApi;
  let app: App;
  let base: string;

  beforeAll(async () => {
    telegramApi = await new FakeTelegramApi().start();
    connector = await startFakeBotFrameworkConnector();
    xApi = await startFakeXApi({ accountId: X_ACCOUNT });
    const config = readConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      TELEGRAM_BOT_TOKEN: telegramApi.token,
      TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
      TELEGRAM_API_ROOT: telegramApi.url,
      BOTFRAMEWORK_ALLOW_UNAUTHENTICATED: 'true',
      TWITTER_CONSUMER_KEY: 'ck',
      TWITTER_CONSUMER_SECRET: X_SECRET,
      // The legacy pair here (Account Activity deliveries, v1.1 quick replies); test/channels/twitter/x-activity-app.test.ts has the Activity API and v2.
      TWITTER_WEBHOOK_API: 'account-activity',
      TWITTER_QUICK_REPLIES: 'true',
      TWITTER_ACCESS_TOKEN: 'at',
      TWITTER_ACCESS_SECRET: 'as',
      TWITTER_USER_ID: X_ACCOUNT,
      TWITTER_API_ROOT: xApi.url,
      HANDOFF_HOURS: 'always',
      HANDLERS_FILE: `/tmp/whole-conversation-handlers-${process.pid}.json`,
    });
    app = await createApp(config, { logger: silentLogger });
    base = await app.listen();
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([telegramApi?.close(), connector?.close(), xApi?.close()]);
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then(
      async (res) => {
        expect(res.status, `${path} answered ${res.status}: ${await res.text()}`).toBe(200);
      },
    );

  function telegramPerson(chatId: number): Person {
    let updateId = 900_000 + chatId % 1000 * 100;
    const message = fixture('telegram/private-text.json');
    const press = fixture('telegram/callback-query.json');
    const headers = { 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET };
    return {
      say: (text) =>
        post('/webhooks/telegram', {
          update_id: ++updateId,
          message: { ...message.message, message_id: updateId, chat: { ...message.message.chat, id: chatId }, from: { ...message.message.from, id: chatId }, text },
        }, headers),
      press: (choiceId) =>
        post('/webhooks/telegram', {
          update_id: ++updateId,
          callback_query: { ...press.callback_query, id: `cb${updateId}`, from: { ...press.callback_query.from, id: chatId }, data: choiceId },
        }, headers),
      received: () =>
        telegramApi
          .calls('sendMessage')
          .filter((c) => String(c.body.chat_id) === String(chatId))
          .map((c) => {
            const markup = typeof c.body.reply_markup === 'string' ? JSON.parse(c.body.reply_markup) : c.body.reply_markup;
            const rows = (markup?.inline_keyboard ?? []) as { callback_data?: string }[][];
            return { text: String(c.body.text), choices: rows.flat().flatMap((b) => (b.callback_data ? [b.callback_data] : [])) };
          }),
    };
  }

  function botFrameworkPerson(conversationId: string): Person {
    let n = 0;
    const activity = fixture('botframework/webchat-message.json');
    const send = (extra: Record<string, unknown>) =>
      post('/api/messages', { ...activity, id: `${conversationId}|${++n}`, serviceUrl: connector.url, conversation: { id: conversationId }, ...extra });
    return {
      say: (text) => send({ text }),
      press: (choiceId) => send({ text: '', value: { choiceId } }),
      received: () =>
        connector.requests
          .filter((r) => r.method === 'POST' && r.conversationId === conversationId)
          .map((r) => r.body as Record<string, any>)
          .map((body) => ({
            text: String(body.text ?? ''),
            choices: ((body.suggestedActions?.actions ?? []) as { value: unknown }[]).map((a) =>
              typeof a.value === 'object' && a.value !== null ? String((a.value as { choiceId: string }).choiceId) : String(a.value),
            ),
          })),
    };
  }

  function xPerson(userId: string): Person {
    let n = 0;
    const delivery = fixture('twitter/aaa-dm-text.json');
    const event = delivery.direct_message_events[0];
    const send = (messageData: Record<string, unknown>) => {
      const body = {
        ...delivery,
        direct_message_events: [
          { ...event, id: `${userId}${++n}`, message_create: { ...event.message_create, sender_id: userId, message_data: { entities: event.message_create.message_data.entities, ...messageData } } },
        ],
      };
      const raw = JSON.stringify(body);
      const signature = `sha256=${createHmac('sha256', X_SECRET).update(raw).digest('base64')}`;
      return fetch(`${base}/webhooks/twitter`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': signature }, body: raw }).then(
        (res) => expect(res.status).toBe(200),
      );
    };
    return {
      say: (text) => send({ text }),
      press: (choiceId) => send({ text: choiceId, quick_reply_response: { type: 'options', metadata: choiceId } }),
      received: () =>
        xApi
          .sentDirectMessages()
          .filter((m) => m.recipientId === userId)
          .map((m) => ({ text: m.text, choices: (m.quickReply?.options ?? []).flatMap((o) => (o.metadata ? [o.metadata] : [])) })),
    };
  }

  /** Greets, then presses the forward button each time until the report step, and returns the texts seen. */
  async function walkToReport(person: Person): Promise<string> {
    await person.say('hi, someone is threatening to share my pics');
    for (let step = 0; step < 12; step++) {
      const last = person.received().at(-1);
      if (last?.text.includes(app.core.renderer.text('report.adult', 'en-GB').slice(0, 40))) break;
      const next = FORWARD.find((id) => last?.choices.includes(id));
      expect(next, `no forward button in: ${last?.text}`).toBeDefined();
      await person.press(next as string);
    }
    return person.received().map((m) => m.text).join('\n\n');
  }

  const expectFullWalk = (all: string) => {
    const en = (key: string) => app.core.renderer.text(key, 'en-GB');
    for (const key of ['welcome.short', 'safety.ask', 'safety.glad', 'age.ask', 'paid.question', 'paid.dontPay', 'contact.stop', 'evidence.save', 'takedown.adult', 'report.adult']) {
      expect(all).toContain(en(key).slice(0, 60));
    }
    expect(all).toContain('101');
    expect(all).toContain('https://www.staffordshire.police.uk/ro/report/ocr/af/how-to-report-a-crime/');
  };

  it('Telegram: webhook in, Bot API out', async () => {
    expectFullWalk(await walkToReport(telegramPerson(5012345678)));
  });

  it('Bot Framework: /api/messages in, connector at the serviceUrl out', async () => {
    expectFullWalk(await walkToReport(botFrameworkPerson('whole-conversation-webchat')));
  });

  it('X: signed DM events in, v1.1 sendDm with quick replies out', async () => {
    expectFullWalk(await walkToReport(xPerson('3001969357')));
  });

  it('answers a crisis message with 999 and Samaritans on every channel', async () => {
    for (const person of [telegramPerson(5099999999), botFrameworkPerson('crisis-webchat'), xPerson('3001969399')]) {
      await person.say('i want to kill myself');
      const text = person.received().map((m) => m.text).join('\n');
      expect(text).toContain('999');
      expect(text).toContain('116 123');
    }
  });

  it('hands over to a call handler and back on every channel, replies reaching the person’s own channel', async () => {
    await app.handoff.sessions.create('alex.handler', Date.now());
    const en = (key: string) => app.core.renderer.text(key, 'en-GB');
    const people: [string, Person][] = [
      ['telegram', telegramPerson(5077777777)],
      ['botframework', botFrameworkPerson('handoff-webchat')],
      ['twitter', xPerson('3001969377')],
    ];
    for (const [channel, person] of people) {
      await person.say('hello');
      await person.say('can i speak to a real person');
      expect(person.received().at(-1)?.text, channel).toBe(en('handoff.queued'));
      const ticket = (await app.desk.queue(Date.now())).find((t) => t.channel === channel && t.status === 'queued');
      expect(ticket, channel).toBeDefined();
      expect(await app.desk.claim(ticket!.id, 'alex.handler', Date.now())).toBe('ok');
      await expect.poll(() => person.received().at(-1)?.text).toBe(en('handoff.joined'));
      // Minutes later in real life: sent outside any request of the person's, through the channel's proactive send.
      expect(await app.desk.reply(ticket!.id, 'alex.handler', `Hello from a call handler on ${channel}`, Date.now())).toBe('ok');
      await expect.poll(() => person.received().at(-1)?.text).toBe(`Hello from a call handler on ${channel}`);
      const before = person.received().length;
      await person.say('thank you, he wants 300 pounds');
      expect(person.received().length, `${channel}: the bot keeps quiet while the handler has the chat`).toBe(before);
      const opened = await app.desk.open(ticket!.id, 'alex.handler', Date.now());
      expect(opened?.transcript.map((e) => e.text)).toContain('thank you, he wants 300 pounds');
      expect(await app.desk.end(ticket!.id, 'alex.handler', Date.now())).toBe('ok');
      await expect.poll(() => person.received().slice(-2).map((m) => m.text)).toEqual([en('handoff.ended'), en('menu.intro')]);
    }
  });

  it('answers a redelivered Telegram update once', async () => {
    const person = telegramPerson(5088888888);
    const update = { update_id: 424242, message: { ...fixture('telegram/private-text.json').message, chat: { id: 5088888888, type: 'private' }, text: 'hello' } };
    await post('/webhooks/telegram', update, { 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET });
    const once = person.received().length;
    await post('/webhooks/telegram', update, { 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET });
    expect(once).toBeGreaterThan(0);
    expect(person.received().length).toBe(once);
  });
});
