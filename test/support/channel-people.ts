import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { type App, createApp } from '../../src/app/create-app.js';
import { readConfig } from '../../src/config/environment.js';
import { silentLogger } from '../../src/core/logger.js';
import { type FakeBotFrameworkConnector, startFakeBotFrameworkConnector } from './fake-botframework-connector.js';
import { FakeTelegramApi } from './fake-telegram-api.js';
import { type FakeXApi, startFakeXApi } from './fake-x-api.js';
import { telegramPerson as telegramPersonOn } from './telegram-person.js';

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')) as Record<string, any>;

/** One message a person received: its text and the ids of its buttons. */
export interface Shown {
  text: string;
  choices: string[];
}

/** One platform as a person uses it: type, press, and read what arrived at the fake platform. */
export interface Person {
  say(text: string): Promise<void>;
  press(choiceId: string): Promise<void>;
  /** Every message the fake platform received for this person, oldest first. */
  received(): Shown[];
  /** The platform ids of the messages the person typed, oldest first. */
  typedIds(): string[];
}

/** The whole app's address, its webhook secrets, and the fake platforms behind it. */
export interface ChannelPeopleOptions {
  readonly base: string;
  readonly telegramApi: FakeTelegramApi;
  readonly telegramSecret: string;
  readonly connector: FakeBotFrameworkConnector;
  readonly xApi: FakeXApi;
  readonly xSecret: string;
}

/**
 * People writing to the whole app on each channel, through its real webhooks,
 * with what reached each fake platform for them: for whole-app tests that
 * run the same conversation everywhere.
 */
export function channelPeople({ base, telegramApi, telegramSecret, connector, xApi, xSecret }: ChannelPeopleOptions) {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then(
      async (res) => {
        expect(res.status, `${path} answered ${res.status}: ${await res.text()}`).toBe(200);
      },
    );

  const telegramPerson = (chatId: number): Person => telegramPersonOn({ base, secret: telegramSecret, telegram: telegramApi, chat: chatId });

  /** A Bot Framework conversation on `channelId` (Web Chat by default; `facebook` for Messenger, `msteams` for Teams). */
  function botFrameworkPerson(conversationId: string, channelId = 'webchat'): Person {
    let n = 0;
    const activity = fixture('botframework/webchat-message.json');
    const send = (extra: Record<string, unknown>) =>
      post('/api/messages', { ...activity, channelId, id: `${conversationId}|${++n}`, serviceUrl: connector.url, conversation: { id: conversationId }, ...extra });
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
      typedIds: () => Array.from({ length: n }, (_, i) => `${conversationId}|${i + 1}`),
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
      const signature = `sha256=${createHmac('sha256', xSecret).update(raw).digest('base64')}`;
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
      typedIds: () => Array.from({ length: n }, (_, i) => `${userId}${i + 1}`),
    };
  }

  return { post, telegramPerson, botFrameworkPerson, xPerson };
}

/** The whole app with every channel on, each against its fake platform, and people to talk to it. */
export interface AllChannelsApp {
  readonly app: App;
  readonly telegramApi: FakeTelegramApi;
  readonly connector: FakeBotFrameworkConnector;
  readonly xApi: FakeXApi;
  readonly people: ReturnType<typeof channelPeople>;
  close(): Promise<void>;
}

/** The X account the app speaks as in {@link startAllChannels}. */
export const X_ACCOUNT = '4337869213';

/**
 * Starts the app as `npm start` does (memory state, call handlers always on
 * duty, Bot Framework unauthenticated on this machine) with Telegram, Bot
 * Framework and X each pointed at a fake platform. `name` keeps its handlers file apart.
 */
export async function startAllChannels(name: string): Promise<AllChannelsApp> {
  const telegramSecret = `${name}-secret`;
  const xSecret = 'test-consumer-secret';
  const [telegramApi, connector, xApi] = await Promise.all([new FakeTelegramApi().start(), startFakeBotFrameworkConnector(), startFakeXApi({ accountId: X_ACCOUNT })]);
  const config = readConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    TELEGRAM_BOT_TOKEN: telegramApi.token,
    TELEGRAM_WEBHOOK_SECRET: telegramSecret,
    TELEGRAM_API_ROOT: telegramApi.url,
    BOTFRAMEWORK_ALLOW_UNAUTHENTICATED: 'true',
    TWITTER_CONSUMER_KEY: 'ck',
    TWITTER_CONSUMER_SECRET: xSecret,
    // The legacy pair here (Account Activity deliveries, v1.1 quick replies); test/channels/twitter/x-activity-app.test.ts has the Activity API and v2.
    TWITTER_WEBHOOK_API: 'account-activity',
    TWITTER_QUICK_REPLIES: 'true',
    TWITTER_ACCESS_TOKEN: 'at',
    TWITTER_ACCESS_SECRET: 'as',
    TWITTER_USER_ID: X_ACCOUNT,
    TWITTER_API_ROOT: xApi.url,
    HANDOFF_HOURS: 'always',
    HANDLERS_FILE: `/tmp/${name}-handlers-${process.pid}.json`,
  });
  const app = await createApp(config, { logger: silentLogger });
  const base = await app.listen();
  return {
    app,
    telegramApi,
    connector,
    xApi,
    people: channelPeople({ base, telegramApi, telegramSecret, connector, xApi, xSecret }),
    async close() {
      await app.close();
      await Promise.all([telegramApi.close(), connector.close(), xApi.close()]);
    },
  };
}
