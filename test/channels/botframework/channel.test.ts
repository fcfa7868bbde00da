import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChannelAdapter, ChannelContext } from '../../../src/channels/channel.js';
import {
  createBotFrameworkChannel,
  createMemoryReferenceStore,
  type BotFrameworkChannelOptions,
  type ConversationReferenceStore,
} from '../../../src/channels/botframework/index.js';
import { ConfigError, DeliveryError, type InboundEvent, type Logger, type OutboundMessage } from '../../../src/core/index.js';
import { startFakeBotFrameworkConnector, type FakeBotFrameworkConnector } from '../../support/fake-botframework-connector.js';

type Json = Record<string, unknown>;

/** A fixture with its serviceUrl pointed at the fake connector. */
function fixture(name: string, serviceUrl: string): Json {
  const activity = JSON.parse(readFileSync(new URL(`../../fixtures/botframework/${name}.json`, import.meta.url), 'utf8')) as Json;
  return { ...activity, serviceUrl };
}

const AGE_QUESTION: OutboundMessage = {
  text: 'Are you under 18? You can tap a button or type your answer.',
  choices: [
    { id: 'under18', label: "I'm under 18" },
    { id: 'adult', label: "I'm 18 or over, an adult already" },
  ],
  links: [],
};

/** Records every log call, so tests can check that nothing personal is logged. */
function recordingLogger(lines: unknown[]): Logger {
  const logger: Logger = {
    debug: (fields, message) => void lines.push({ fields, message }),
    info: (fields, message) => void lines.push({ fields, message }),
    warn: (fields, message) => void lines.push({ fields, message }),
    error: (fields, message) => void lines.push({ fields, message }),
    child: (bindings) => {
      const child = recordingLogger(lines);
      lines.push({ bindings });
      return child;
    },
  };
  return logger;
}

interface Harness {
  readonly connector: FakeBotFrameworkConnector;
  readonly channel: ChannelAdapter;
  readonly references: ConversationReferenceStore;
  readonly events: InboundEvent[];
  readonly waits: number[];
  readonly logs: unknown[];
  base: string;
  reply: readonly OutboundMessage[];
  failDispatch: boolean;
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
}

const apps: FastifyInstance[] = [];
const connectors: FakeBotFrameworkConnector[] = [];

async function start(options: BotFrameworkChannelOptions = {}): Promise<Harness> {
  const connector = await startFakeBotFrameworkConnector();
  connectors.push(connector);
  const references = options.references ?? createMemoryReferenceStore();
  const waits: number[] = [];
  const channel = createBotFrameworkChannel({
    allowUnauthenticated: true,
    references,
    retry: { sleep: async (ms) => void waits.push(ms) },
    ...options,
  });
  const logs: unknown[] = [];
  const harness: Harness = {
    connector,
    channel,
    references,
    events: [] as InboundEvent[],
    waits,
    logs,
    base: '',
    reply: [AGE_QUESTION] as readonly OutboundMessage[],
    failDispatch: false,
    post: async (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
      fetch(`${harness.base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
  };
  const context: ChannelContext = {
    async dispatch(event) {
      if (harness.failDispatch) throw new Error('conversation store unavailable');
      harness.events.push(event);
      await channel.sender.send(event.key, harness.reply);
    },
    notice: (key, localeHint) => `[${key}|${localeHint ?? ''}] Please message us in a private chat.`,
    logger: recordingLogger(logs),
  };
  const app = Fastify({ bodyLimit: 262144 });
  apps.push(app);
  await channel.routes(app, context);
  await app.listen({ host: '127.0.0.1', port: 0 });
  harness.base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return harness;
}

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await Promise.all(connectors.splice(0).map((connector) => connector.close()));
  vi.restoreAllMocks();
});

describe('createBotFrameworkChannel', () => {
  it('refuses to run without an app id unless unauthenticated use is allowed', () => {
    expect(() => createBotFrameworkChannel()).toThrow(ConfigError);
    expect(() => createBotFrameworkChannel({ allowUnauthenticated: false })).toThrow(ConfigError);
    expect(() => createBotFrameworkChannel({ appId: '0b6f5c1e-2d3a-4e8b-9c7d-1a2b3c4d5e6f' })).toThrow(ConfigError);
    expect(createBotFrameworkChannel({ allowUnauthenticated: true }).id).toBe('botframework');
  });
});

describe('Bot Framework route with an app id', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await start({ appId: '0b6f5c1e-2d3a-4e8b-9c7d-1a2b3c4d5e6f', appPassword: 'test-secret', appType: 'MultiTenant' });
  });

  it('answers 401 to a request without Authorization, dispatches nothing and logs nothing personal', async () => {
    const printed: unknown[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.push(args));
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void printed.push(args));
    const activity = fixture('facebook-message', harness.connector.url);
    const response = await harness.post(activity);
    expect(response.status).toBe(401);
    const forged = await harness.post(activity, { authorization: 'Bearer not-a-real-token' });
    expect(forged.status).toBe(401);
    expect(harness.events).toEqual([]);
    expect(harness.connector.requests).toEqual([]);
    const output = JSON.stringify(printed.map((args) => (args as unknown[]).map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : a))));
    const logged = JSON.stringify(harness.logs);
    for (const personal of ['7204518836290147', 'Jamie Taylor', "he'll send them", '104839275561720']) {
      expect(output).not.toContain(personal);
      expect(logged).not.toContain(personal);
    }
    expect(printed).toEqual([]);
  });
});

describe('Bot Framework route', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await start();
  });

  it('turns a Web Chat message into a text event and answers through the connector with messageBack buttons', async () => {
    const activity = fixture('webchat-message', harness.connector.url);
    const response = await harness.post(activity);
    expect(response.status).toBe(200);
    expect(harness.events).toEqual([
      {
        key: { channel: 'botframework', id: 'webchat:4Cq2PVQFeti5X4UR3R0hUw-eu' },
        payload: { type: 'text', text: 'someone is threatening to share my pictures' },
        localeHint: 'en-GB',
        messageId: 'webchat:4Cq2PVQFeti5X4UR3R0hUw-eu:4Cq2PVQFeti5X4UR3R0hUw-eu|0000002',
        sentAt: Date.parse('2025-03-14T09:26:53.3451052Z'),
      },
    ]);
    const [sent] = harness.connector.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.conversationId).toBe('4Cq2PVQFeti5X4UR3R0hUw-eu');
    expect(sent?.path.startsWith('/v3/conversations/4Cq2PVQFeti5X4UR3R0hUw-eu/activities')).toBe(true);
    expect(sent?.body).toMatchObject({
      type: 'message',
      text: AGE_QUESTION.text,
      recipient: { id: 'dl_b7f1c2e4-5d9a-4b73-9b8e-2f0d6c1a9e37' },
      suggestedActions: {
        actions: [
          { type: 'messageBack', title: "I'm under 18", displayText: "I'm under 18", value: { choiceId: 'under18' } },
          { type: 'messageBack', title: "I'm 18 or over, an adult already", value: { choiceId: 'adult' } },
        ],
      },
    });
  });

  it('maps a Web Chat messageBack press to the choice id', async () => {
    await harness.post(fixture('webchat-message', harness.connector.url));
    const pressed = {
      ...fixture('webchat-message', harness.connector.url),
      id: '4Cq2PVQFeti5X4UR3R0hUw-eu|0000004',
      text: "I'm under 18",
      value: { choiceId: 'under18' },
      channelData: { messageBack: { displayText: "I'm under 18" } },
    };
    expect((await harness.post(pressed)).status).toBe(200);
    expect(harness.events[1]?.payload).toEqual({ type: 'choice', choiceId: 'under18' });
  });

  it('handles an Emulator message with its locale', async () => {
    expect((await harness.post(fixture('emulator-message', harness.connector.url))).status).toBe(200);
    expect(harness.events[0]).toMatchObject({
      key: { channel: 'botframework', id: 'emulator:7a1e9c40-fe1b-11ef-9b7a-4d2c6f8e1a23|livechat' },
      payload: { type: 'text', text: 'hi' },
      localeHint: 'en-US',
    });
    expect(harness.connector.requests[0]?.conversationId).toBe('7a1e9c40-fe1b-11ef-9b7a-4d2c6f8e1a23|livechat');
  });

  it('sends Messenger quick replies (ids as values, titles of at most 20 characters) and maps a press back', async () => {
    await harness.post(fixture('facebook-message', harness.connector.url));
    expect(harness.events[0]?.payload).toEqual({ type: 'text', text: "he says he'll send them to everyone" });
    const actions = (harness.connector.activities()[0]?.suggestedActions as { actions: Json[] }).actions;
    expect(actions.map((a) => a.value)).toEqual(['under18', 'adult']);
    expect(actions.every((a) => a.type === 'imBack' && String(a.title).length <= 20)).toBe(true);
    expect((await harness.post(fixture('facebook-quick-reply', harness.connector.url))).status).toBe(200);
    expect(harness.events[1]?.payload).toEqual({ type: 'choice', choiceId: 'under18' });
  });

  it('turns a Messenger photo into an attachment event without fetching it', async () => {
    expect((await harness.post(fixture('facebook-attachment', harness.connector.url))).status).toBe(200);
    expect(harness.events.map((e) => e.payload)).toEqual([{ type: 'attachment', attachment: 'image' }]);
    expect(harness.connector.requests.every((r) => r.method === 'POST' && r.path.startsWith('/v3/conversations/'))).toBe(true);
  });

  it('treats Teams text as text (not its HTML mirror as an attachment) and maps a pressed label back to the id', async () => {
    const message = fixture('teams-message', harness.connector.url);
    await harness.post(message);
    expect(harness.events.map((e) => e.payload)).toEqual([{ type: 'text', text: 'I paid him and he wants more' }]);
    const actions = (harness.connector.activities()[0]?.suggestedActions as { actions: Json[] }).actions;
    expect(actions[0]).toEqual({ type: 'imBack', title: "I'm under 18", value: "I'm under 18" });
    await harness.post({ ...message, id: '1741944925310', text: "I'm under 18", attachments: [{ contentType: 'text/html', content: "<p>I'm under 18</p>" }] });
    expect(harness.events[1]?.payload).toEqual({ type: 'choice', choiceId: 'under18' });
  });

  it('starts a conversation once, when the person (not the bot) is added', async () => {
    expect((await harness.post(fixture('webchat-conversation-update-bot-added', harness.connector.url))).status).toBe(200);
    expect(harness.events).toEqual([]);
    expect((await harness.post(fixture('webchat-conversation-update-user-added', harness.connector.url))).status).toBe(200);
    expect(harness.events.map((e) => e.payload)).toEqual([{ type: 'start' }]);
    await harness.post({ ...fixture('webchat-conversation-update-user-added', harness.connector.url), id: 'Zq8RtLm2Xw1' });
    expect(harness.events).toHaveLength(1);
    expect(harness.connector.activities()).toHaveLength(1);
  });

  it('answers 200 to other activity types and ignores them', async () => {
    expect((await harness.post(fixture('webchat-typing', harness.connector.url))).status).toBe(200);
    expect((await harness.post(fixture('teams-message-reaction', harness.connector.url))).status).toBe(200);
    const invoke = { ...fixture('teams-message', harness.connector.url), type: 'invoke', name: 'adaptiveCard/action', text: undefined };
    expect((await harness.post(invoke)).status).toBe(200);
    expect(harness.events).toEqual([]);
    expect(harness.connector.requests).toEqual([]);
  });

  it('answers 400 to a body without a type, 400 to malformed JSON and 413 to an oversized body', async () => {
    const { type: _type, ...untyped } = fixture('webchat-message', harness.connector.url);
    expect((await harness.post(untyped)).status).toBe(400);
    expect((await harness.post([1, 2])).status).toBe(400);
    expect((await harness.post('{"type":"message",')).status).toBe(400);
    const huge = { ...fixture('webchat-message', harness.connector.url), text: 'x'.repeat(300_000) };
    expect((await harness.post(huge)).status).toBe(413);
    expect(harness.events).toEqual([]);
  });

  it('answers 503 when dispatching fails, so the channel redelivers', async () => {
    harness.failDispatch = true;
    expect((await harness.post(fixture('webchat-message', harness.connector.url))).status).toBe(503);
    expect(JSON.stringify(harness.logs)).not.toContain('threatening');
  });

  it('sends one private-chat notice to a Teams group chat and never dispatches it', async () => {
    const group = fixture('teams-group-message', harness.connector.url);
    expect((await harness.post(group)).status).toBe(200);
    expect((await harness.post({ ...group, id: '1741945299001' })).status).toBe(200);
    expect(harness.events).toEqual([]);
    expect(harness.connector.activities().map((a) => a.text)).toEqual(['[channel.groupChat|en-GB] Please message us in a private chat.']);
  });

  it('keeps no display name in the stored conversation reference', async () => {
    await harness.post(fixture('facebook-message', harness.connector.url));
    const record = await harness.references.read('botframework:facebook:7204518836290147-104839275561720');
    expect(record?.reference.user?.id).toBe('7204518836290147');
    expect(JSON.stringify(record)).not.toContain('Jamie');
  });

  it('without authentication, stores and dispatches nothing for an activity whose serviceUrl is not on this machine', async () => {
    const response = await harness.post(fixture('facebook-message', 'https://attacker.example/'));
    expect(response.status).toBe(403);
    expect(await harness.references.read('botframework:facebook:7204518836290147-104839275561720')).toBeUndefined();
    expect(harness.events).toEqual([]);
    expect(harness.connector.requests).toEqual([]);
  });
});

describe('Bot Framework sender', () => {
  let harness: Harness;
  const key = { channel: 'botframework', id: 'webchat:4Cq2PVQFeti5X4UR3R0hUw-eu' } as const;
  beforeEach(async () => {
    harness = await start();
    harness.reply = [];
    await harness.post(fixture('webchat-message', harness.connector.url));
  });

  it('sends proactively after the request has ended, also from a new adapter sharing the store', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    await harness.channel.sender.send(key, [{ text: 'A call handler will reply shortly.', choices: [], links: [] }]);
    const other = createBotFrameworkChannel({ allowUnauthenticated: true, references: harness.references });
    await other.sender.send(key, [{ text: 'Are you still there?', choices: [], links: [] }]);
    expect(harness.connector.activities().map((a) => a.text)).toEqual(['A call handler will reply shortly.', 'Are you still there?']);
    expect(harness.connector.requests.every((r) => r.conversationId === '4Cq2PVQFeti5X4UR3R0hUw-eu')).toBe(true);
  });

  it('retries once after a 429 with Retry-After, waiting what the connector asked', async () => {
    harness.connector.failNext({ status: 429, retryAfterSeconds: 2 });
    await harness.channel.sender.send(key, [AGE_QUESTION]);
    expect(harness.waits).toEqual([2000]);
    expect(harness.connector.requests).toHaveLength(2);
    expect(harness.connector.requests[0]?.body).toEqual(harness.connector.requests[1]?.body);
  });

  it('fails with retryAfterMs when the connector keeps throttling', async () => {
    harness.connector.failNext({ status: 429, retryAfterSeconds: 5 }, 3);
    const failure = await harness.channel.sender.send(key, [AGE_QUESTION]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect((failure as DeliveryError).retryAfterMs).toBe(5000);
    expect(harness.connector.requests).toHaveLength(3);
  });

  it('reports a blocked or vanished conversation (403, 404) as permanent, without message text', async () => {
    for (const status of [403, 404] as const) {
      harness.connector.failNext({ status, code: status === 403 ? 'BotDisabledByAdmin' : 'ConversationNotFound' });
      const failure = await harness.channel.sender.send(key, [AGE_QUESTION]).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DeliveryError);
      expect((failure as DeliveryError).permanent).toBe(true);
      expect((failure as DeliveryError).retryAfterMs).toBeUndefined();
      expect(JSON.stringify(failure) + String((failure as Error).message)).not.toContain('Are you under 18');
    }
  });

  it('splits a 2,500-character text into 2 activities with the buttons on the last', async () => {
    const sentence = 'You are not in trouble and this is not your fault. ';
    const text = sentence.repeat(Math.ceil(2500 / sentence.length)).slice(0, 2500);
    await harness.channel.sender.send(key, [{ ...AGE_QUESTION, text }]);
    const sent = harness.connector.activities();
    expect(sent).toHaveLength(2);
    expect(sent.every((a) => String(a.text).length <= 2000)).toBe(true);
    expect(sent[0]?.suggestedActions).toBeUndefined();
    expect((sent[1]?.suggestedActions as { actions: unknown[] }).actions).toHaveLength(2);
  });

  it('caps suggested actions at 11', async () => {
    const choices = Array.from({ length: 14 }, (_, i) => ({ id: `topic:${i}`, label: `Topic ${i}` }));
    await harness.channel.sender.send(key, [{ text: 'Pick a topic', choices, links: [] }]);
    expect((harness.connector.activities()[0]?.suggestedActions as { actions: unknown[] }).actions).toHaveLength(11);
  });

  it('fails permanently for a conversation it has no reference for', async () => {
    const failure = await harness.channel.sender
      .send({ channel: 'botframework', id: 'webchat:unknown' }, [AGE_QUESTION])
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect((failure as DeliveryError).permanent).toBe(true);
  });
});
