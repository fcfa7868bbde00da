import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter, ChannelContext } from '../../../src/channels/channel.js';
import { createTelegramChannel, MemoryBlockedChats } from '../../../src/channels/telegram/index.js';
import { DeliveryError, type InboundEvent, type Logger, type OutboundMessage } from '../../../src/core/index.js';
import { FakeTelegramApi } from '../../support/fake-telegram-api.js';

const SECRET = 'webhook-secret_0123456789abcdef';
const PERSON_CHAT = 5012345678;
const GROUP_CHAT = -4098765432;

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../fixtures/telegram/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** A pino-shaped logger that keeps every line, so tests can check what was (not) logged. */
function recordingLogger(lines: { level: string; fields: object; message?: string }[], bindings: object = {}): Logger {
  const at = (level: string) => (fields: object, message?: string) => void lines.push({ level, fields: { ...bindings, ...fields }, ...(message ? { message } : {}) });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (more) => recordingLogger(lines, { ...bindings, ...more }) };
}

const QUESTION: OutboundMessage = {
  text: 'How old are you?',
  choices: [
    { id: 'age.under18', label: 'Under 18' },
    { id: 'age.adult', label: '18 or over' },
  ],
  links: [],
};

interface Harness {
  readonly api: FakeTelegramApi;
  readonly channel: ChannelAdapter;
  readonly blockedChats: MemoryBlockedChats;
  readonly events: InboundEvent[];
  readonly notices: { key: string; localeHint?: string }[];
  readonly logs: { level: string; fields: object; message?: string }[];
  readonly waits: number[];
  url: string;
  replies: OutboundMessage[];
  failDispatch: boolean;
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  postRaw(body: string, headers?: Record<string, string>): Promise<Response>;
}

const open: { app: FastifyInstance; api: FakeTelegramApi }[] = [];

afterEach(async () => {
  for (const { app, api } of open.splice(0)) {
    await app.close();
    await api.close();
  }
});

/** The server as the app creates it, this channel's routes on it, and a fake of our engine that answers through the sender. */
async function startHarness(): Promise<Harness> {
  const api = await new FakeTelegramApi().start();
  const blockedChats = new MemoryBlockedChats();
  const waits: number[] = [];
  const channel = createTelegramChannel({
    token: api.token,
    webhookSecret: SECRET,
    apiRoot: api.url,
    blockedChats,
    retry: { sleep: async (ms) => void waits.push(ms) },
    botInfo: api.botUser,
  });
  const logs: Harness['logs'] = [];
  const harness = {
    api,
    channel,
    blockedChats,
    events: [] as InboundEvent[],
    notices: [] as { key: string; localeHint?: string }[],
    logs,
    waits,
    replies: [QUESTION],
    failDispatch: false,
  } as Harness;
  const context: ChannelContext = {
    async dispatch(event) {
      harness.events.push(event);
      if (harness.failDispatch) throw new Error('engine unavailable');
      await channel.sender.send(event.key, harness.replies);
    },
    notice(key, localeHint) {
      harness.notices.push({ key, ...(localeHint ? { localeHint } : {}) });
      return `(${localeHint ?? 'default'}) I only talk in private chats. Please send me a private message.`;
    },
    logger: recordingLogger(logs),
  };
  const app = Fastify({ bodyLimit: 262144 });
  await channel.routes(app, context);
  await app.listen({ host: '127.0.0.1', port: 0 });
  open.push({ app, api });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  harness.url = `${base}/webhooks/telegram`;
  harness.postRaw = (body, headers = {}) =>
    fetch(harness.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET, ...headers },
      body,
    });
  harness.post = (body, headers) => harness.postRaw(JSON.stringify(body), headers);
  return harness;
}

describe('Telegram webhook route', () => {
  it('answers 403 with an empty body to a missing or wrong secret, and dispatches nothing', async () => {
    const h = await startHarness();
    const update = fixture('private-text');
    const missing = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(update) });
    const wrongSameLength = await h.post(update, { 'x-telegram-bot-api-secret-token': SECRET.replace(/.$/, 'X') });
    const wrongShorter = await h.post(update, { 'x-telegram-bot-api-secret-token': 'nope' });
    for (const response of [missing, wrongSameLength, wrongShorter]) {
      expect(response.status).toBe(403);
      expect(await response.text()).toBe('');
    }
    const again = await h.post(update, { 'x-telegram-bot-api-secret-token': `${SECRET}x` });
    expect(again.status).toBe(403);
    expect(h.events).toEqual([]);
    expect(h.api.requests).toEqual([]);
    expect(JSON.stringify(h.logs)).not.toContain(SECRET);
  });

  it('leaves oversized bodies (413) and malformed JSON (400) to Fastify, and refuses JSON that is not an update', async () => {
    const h = await startHarness();
    const huge = await h.postRaw(JSON.stringify({ update_id: 1, padding: 'x'.repeat(300_000) }));
    expect(huge.status).toBe(413);
    const malformed = await h.postRaw('{"update_id": 1, "message": ');
    expect(malformed.status).toBe(400);
    const notAnUpdate = await h.post({ hello: 'world' });
    expect(notAnUpdate.status).toBe(400);
    expect(h.events).toEqual([]);
  });

  it('turns private text into a text event and sends the reply with one button per row', async () => {
    const h = await startHarness();
    const response = await h.post(fixture('private-text'));
    expect(response.status).toBe(200);
    expect(h.events).toEqual([
      {
        key: { channel: 'telegram', id: String(PERSON_CHAT) },
        payload: { type: 'text', text: 'someone says they will send my pictures to everyone unless i pay them' },
        messageId: '734512001',
        localeHint: 'en',
        sentAt: 1732761600_000,
        // The person's own message: the bot may delete it from a private chat when they ask to clear it.
        deletableId: '1365',
      },
    ]);
    const sends = h.api.calls('sendMessage');
    expect(sends).toHaveLength(1);
    expect(sends[0]?.body).toMatchObject({
      chat_id: PERSON_CHAT,
      text: 'How old are you?',
      reply_markup: {
        inline_keyboard: [[{ text: 'Under 18', callback_data: 'age.under18' }], [{ text: '18 or over', callback_data: 'age.adult' }]],
      },
    });
  });

  it('passes the language code on as the locale hint', async () => {
    const h = await startHarness();
    await h.post(fixture('private-text-welsh'));
    expect(h.events[0]?.localeHint).toBe('cy');
  });

  it('turns /start and /start <payload> into a start event, and never logs the payload', async () => {
    const h = await startHarness();
    await h.post(fixture('private-start'));
    await h.post(fixture('private-start-payload'));
    expect(h.events.map((event) => event.payload)).toEqual([{ type: 'start' }, { type: 'start' }]);
    expect(JSON.stringify(h.logs)).not.toContain('force-poster');
  });

  it('passes other commands on as text', async () => {
    const h = await startHarness();
    await h.post(fixture('private-help-command'));
    expect(h.events[0]?.payload).toEqual({ type: 'text', text: '/help' });
  });

  it('answers a button press and dispatches it as a choice', async () => {
    const h = await startHarness();
    const response = await h.post(fixture('callback-query'));
    expect(response.status).toBe(200);
    expect(h.events).toEqual([
      { key: { channel: 'telegram', id: String(PERSON_CHAT) }, payload: { type: 'choice', choiceId: 'age.under18' }, messageId: '734512006', localeHint: 'en' },
    ]);
    await h.api.waitFor('answerCallbackQuery');
    // The answer is started before the dispatch but runs beside it, so the two calls may arrive in either order.
    expect(h.api.requests.map((request) => request.method).sort()).toEqual(['answerCallbackQuery', 'sendMessage']);
    expect(h.api.calls('answerCallbackQuery')[0]?.body).toEqual({ callback_query_id: '2158713694376429317' });
    // Nothing is written into the webhook response: telegraf's webhookReply is off.
    expect(await response.text()).toBe('');
  });

  it('acknowledges a button press before Telegram has answered answerCallbackQuery, and stop() waits for that answer', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const h = await startHarness();
      const release = h.api.hold('answerCallbackQuery');
      const status = h.post(fixture('callback-query')).then((response) => response.status);
      const acknowledged = await Promise.race([status, new Promise((resolve) => setTimeout(resolve, 3000, 'not acknowledged while the answer was held'))]);
      if (acknowledged !== 200) {
        release();
        await status;
      }
      expect(acknowledged).toBe(200);
      expect(h.events.map((event) => event.payload)).toEqual([{ type: 'choice', choiceId: 'age.under18' }]);
      // The call reached the fake, which has not answered it yet.
      await h.api.waitFor('answerCallbackQuery');
      let stopped = false;
      const stopping = h.channel.stop?.().then(() => void (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stopped).toBe(false);
      release();
      await stopping;
      expect(stopped).toBe(true);
      expect(h.api.calls('answerCallbackQuery')).toHaveLength(1);
      expect(h.logs.filter((line) => (line.fields as { event?: string }).event === 'telegram.callback.answer_failed')).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('logs a failed answerCallbackQuery without failing the update or leaving an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const h = await startHarness();
      h.api.failNext('answerCallbackQuery', { status: 400, description: 'Bad Request: query is too old and response timeout expired or query ID is invalid' });
      const press = fixture('callback-query');
      expect((await h.post(press)).status).toBe(200);
      const answerOnly = { ...press, callback_query: { ...(press.callback_query as object), data: undefined } };
      h.api.failNext('answerCallbackQuery', { status: 500 });
      expect((await h.post(answerOnly)).status).toBe(200);
      await h.channel.stop?.();
      expect(h.events).toHaveLength(1);
      const failures = h.logs.filter((line) => (line.fields as { event?: string }).event === 'telegram.callback.answer_failed');
      expect(failures.map((line) => [line.level, (line.fields as { code?: unknown }).code])).toEqual([
        ['warn', 400],
        ['warn', 500],
      ]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('unblocks a chat that writes again, logging it only when it was blocked, and answers it', async () => {
    const h = await startHarness();
    const unblocked = () => h.logs.filter((line) => (line.fields as { event?: string }).event === 'telegram.chat.unblocked');
    expect((await h.post(fixture('private-text'))).status).toBe(200);
    expect(unblocked()).toEqual([]);
    await h.blockedChats.block(String(PERSON_CHAT));
    expect((await h.post(fixture('private-text'))).status).toBe(200);
    expect(await h.blockedChats.isBlocked(String(PERSON_CHAT))).toBe(false);
    expect(unblocked().map((line) => line.fields)).toEqual([expect.objectContaining({ source: 'inbound_message' })]);
    // The reply to the message that unblocked the chat went out too.
    expect(h.api.calls('sendMessage')).toHaveLength(2);
    expect((await h.post(fixture('private-text'))).status).toBe(200);
    expect(unblocked()).toHaveLength(1);
  });

  it.each([
    ['photo', 'image'],
    ['video', 'video'],
    ['document', 'file'],
    ['sticker', 'sticker'],
    ['voice', 'audio'],
    ['animation', 'video'],
    ['location', 'other'],
  ])('reports a %s as a %s attachment and never fetches it', async (name, kind) => {
    const h = await startHarness();
    const response = await h.post(fixture(name));
    expect(response.status).toBe(200);
    expect(h.events.map((event) => event.payload)).toEqual([expect.objectContaining({ type: 'attachment', attachment: kind })]);
    expect(h.api.requests.map((request) => request.method)).toEqual(['sendMessage']);
  });

  it('tells a group once to write privately, in the sender\'s language, and dispatches nothing', async () => {
    const h = await startHarness();
    expect((await h.post(fixture('group-text'))).status).toBe(200);
    expect((await h.post(fixture('group-text-again'))).status).toBe(200);
    expect((await h.post(fixture('supergroup-text'))).status).toBe(200);
    expect(h.events).toEqual([]);
    const sends = h.api.calls('sendMessage');
    expect(sends.map((send) => send.body.chat_id)).toEqual([GROUP_CHAT, -1001987654321]);
    expect(sends[0]?.body.text).toBe('(en) I only talk in private chats. Please send me a private message.');
    expect(sends[0]?.body.reply_markup).toBeUndefined();
    expect(h.notices).toEqual([
      { key: 'channel.groupChat', localeHint: 'en' },
      { key: 'channel.groupChat', localeHint: 'cy' },
    ]);
  });

  it('ignores a group command addressed to another bot', async () => {
    const h = await startHarness();
    expect((await h.post(fixture('group-command-other-bot'))).status).toBe(200);
    expect(h.api.requests).toEqual([]);
  });

  it('tries the group notice again on the next message when it could not be sent', async () => {
    const h = await startHarness();
    h.api.failNext('sendMessage', { status: 500, description: 'Internal Server Error' });
    expect((await h.post(fixture('group-text'))).status).toBe(200);
    expect((await h.post(fixture('group-text-again'))).status).toBe(200);
    expect((await h.post(fixture('group-text-again'))).status).toBe(200);
    expect(h.api.calls('sendMessage')).toHaveLength(2);
  });

  it.each(['edited-message', 'channel-post', 'message-reaction', 'new-chat-members', 'pinned-message'])(
    'acknowledges %s and ignores it',
    async (name) => {
      const h = await startHarness();
      const response = await h.post(fixture(name));
      expect(response.status).toBe(200);
      expect(h.events).toEqual([]);
      expect(h.api.requests).toEqual([]);
    },
  );

  it('passes a redelivered update through with the same messageId (the dispatcher dedupes)', async () => {
    const h = await startHarness();
    await h.post(fixture('private-text'));
    await h.post(fixture('private-text'));
    expect(h.events.map((event) => event.messageId)).toEqual(['734512001', '734512001']);
  });

  it('answers 503 when the engine does not accept the update, so Telegram redelivers', async () => {
    const h = await startHarness();
    h.failDispatch = true;
    const response = await h.post(fixture('private-text'));
    expect(response.status).toBe(503);
    expect(h.events).toHaveLength(1);
  });

  it('waits as long as a 429 says and sends again', async () => {
    const h = await startHarness();
    h.api.failNext('sendMessage', { status: 429, retryAfter: 3 });
    const response = await h.post(fixture('private-text'));
    expect(response.status).toBe(200);
    const sends = h.api.calls('sendMessage');
    expect(sends).toHaveLength(2);
    expect(sends[1]?.body).toEqual(sends[0]?.body);
    expect(h.waits).toEqual([3000]);
  });

  it('splits a 5,000-character reply into two messages with the buttons on the last', async () => {
    const h = await startHarness();
    const sentence = 'You are not in trouble and this is not your fault. ';
    const text = `${sentence.repeat(98)}Are you under 18?`;
    expect(text.length).toBeGreaterThan(5000);
    h.replies = [{ ...QUESTION, text }];
    await h.post(fixture('private-text'));
    const sends = h.api.calls('sendMessage');
    expect(sends).toHaveLength(2);
    expect((sends[0]?.body.text as string).length).toBeLessThanOrEqual(4096);
    expect(sends[0]?.body.reply_markup).toBeUndefined();
    expect(sends[1]?.body.text).toMatch(/Are you under 18\?$/);
    expect(sends[1]?.body.reply_markup).toMatchObject({ inline_keyboard: [[{ callback_data: 'age.under18' }], [{ callback_data: 'age.adult' }]] });
    expect(`${sends[0]?.body.text as string} ${sends[1]?.body.text as string}`).toBe(text);
  });

  it('drops a choice whose id is longer than 64 bytes and logs a warning', async () => {
    const h = await startHarness();
    h.replies = [{ ...QUESTION, choices: [...QUESTION.choices, { id: 'x'.repeat(65), label: 'Too long' }] }];
    await h.post(fixture('private-text'));
    const keyboard = (h.api.calls('sendMessage')[0]?.body.reply_markup as { inline_keyboard: unknown[][] }).inline_keyboard;
    expect(keyboard).toHaveLength(2);
    expect(h.logs).toContainEqual(expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ event: 'telegram.choice.dropped', count: 1 }) }));
  });

  it('stops sending to a chat that blocked the bot, and resumes when it is allowed again', async () => {
    const h = await startHarness();
    const key = { channel: 'telegram', id: String(PERSON_CHAT) } as const;
    expect((await h.post(fixture('my-chat-member-kicked'))).status).toBe(200);
    expect(await h.blockedChats.isBlocked(String(PERSON_CHAT))).toBe(true);
    await h.channel.sender.send(key, [QUESTION]);
    expect(h.api.calls('sendMessage')).toEqual([]);
    expect((await h.post(fixture('my-chat-member-member'))).status).toBe(200);
    await h.channel.sender.send(key, [QUESTION]);
    expect(h.api.calls('sendMessage')).toHaveLength(1);
    expect(h.events).toEqual([]);
  });

  it('marks the chat blocked when Telegram refuses a send with 403, as a permanent failure', async () => {
    const h = await startHarness();
    const key = { channel: 'telegram', id: String(PERSON_CHAT) } as const;
    h.api.failNext('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
    const failure = await h.channel.sender.send(key, [QUESTION]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect((failure as DeliveryError).permanent).toBe(true);
    expect((failure as DeliveryError).retryAfterMs).toBeUndefined();
    expect(await h.blockedChats.isBlocked(String(PERSON_CHAT))).toBe(true);
    await h.channel.sender.send(key, [QUESTION]);
    expect(h.api.calls('sendMessage')).toHaveLength(1);
    expect(h.waits).toEqual([]);
  });

  it('sends proactively from the key alone, outside any request', async () => {
    const h = await startHarness();
    await h.channel.sender.send({ channel: 'telegram', id: String(PERSON_CHAT) }, [
      { text: 'A call handler has read your messages.', choices: [], links: [{ label: 'Report Remove', url: 'https://www.childline.org.uk/remove' }] },
    ]);
    expect(h.api.calls('sendMessage')[0]?.body).toEqual({
      chat_id: PERSON_CHAT,
      text: 'A call handler has read your messages.',
      reply_markup: { inline_keyboard: [[{ text: 'Report Remove', url: 'https://www.childline.org.uk/remove' }]] },
    });
  });

  it('logs no text, names, ids, token or secret', async () => {
    const h = await startHarness();
    for (const name of ['private-text', 'private-start-payload', 'callback-query', 'photo', 'group-text', 'my-chat-member-kicked', 'edited-message']) {
      await h.post(fixture(name));
    }
    h.api.failNext('sendMessage', { status: 403 });
    await h.post(fixture('my-chat-member-member'));
    await h.post(fixture('private-text'));
    const logged = JSON.stringify(h.logs);
    expect(h.logs.length).toBeGreaterThan(0);
    for (const secret of ['5012345678', '4098765432', 'Sam', 'Taylor', 'samtaylor', 'pictures', 'force-poster', 'age.under18', 'How old', h.api.token, SECRET]) {
      expect(logged).not.toContain(secret);
    }
  });
});

describe('createTelegramChannel', () => {
  it('refuses to start in webhook mode without a valid secret', () => {
    expect(() => createTelegramChannel({ token: '1:abc' })).toThrow(/webhook secret/);
    expect(() => createTelegramChannel({ token: '1:abc', webhookSecret: 'has spaces' })).toThrow(/webhook secret/);
  });

  it('reports an unreachable API as a retryable failure without the token in it', async () => {
    const api = await new FakeTelegramApi().start();
    const url = api.url;
    await api.close();
    const channel = createTelegramChannel({ token: api.token, webhookSecret: SECRET, apiRoot: url });
    const failure = await channel.sender.send({ channel: 'telegram', id: '42' }, [QUESTION]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect((failure as DeliveryError).permanent).toBe(false);
    expect((failure as DeliveryError).cause).toMatchObject({ name: 'TelegramNetworkError', code: 'ECONNREFUSED' });
    expect(JSON.stringify(failure, Object.getOwnPropertyNames(failure))).not.toContain(api.token);
  });
});
