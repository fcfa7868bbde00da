import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTwitterChannel } from '../../../src/channels/twitter/index.js';
import { renderDirectMessages, X_DM_LIMITS } from '../../../src/channels/twitter/sender.js';
import { apiRootPlugin } from '../../../src/channels/twitter/x-client.js';
import { DeliveryError, type MessageSender, type OutboundMessage } from '../../../src/core/index.js';
import { startFakeXApi, type FakeXApi } from '../../support/fake-x-api.js';

const FORCE = '4337869213';
const PERSON = { channel: 'twitter' as const, id: '3001969357' };

const message = (text: string, choiceCount = 0, label = (i: number) => `Option ${i + 1}`): OutboundMessage => ({
  text,
  choices: Array.from({ length: choiceCount }, (_, i) => ({ id: `choice.${i + 1}`, label: label(i) })),
  links: [],
});

describe('renderDirectMessages', () => {
  it('splits text at 10,000 characters and puts the quick replies on the last part only', () => {
    const sentence = 'Keep the messages as evidence, but do not pay. ';
    const long = sentence.repeat(Math.ceil(25_000 / sentence.length));
    const dms = renderDirectMessages('42', message(long, 2));
    expect(dms.length).toBe(3);
    expect(dms.every((dm) => dm.text.length <= X_DM_LIMITS.textLength)).toBe(true);
    expect(dms.slice(0, -1).every((dm) => dm.quick_reply === undefined)).toBe(true);
    expect(dms.at(-1)?.quick_reply?.options).toHaveLength(2);
  });

  it('sends plain text without a quick_reply when there are no choices', () => {
    expect(renderDirectMessages('42', message('Call 999 now.'))).toEqual([{ recipient_id: '42', text: 'Call 999 now.' }]);
  });
});

describe('apiRootPlugin', () => {
  it('moves X URLs onto the configured root, keeping its path prefix and the query', async () => {
    const plugin = apiRootPlugin('http://127.0.0.1:8080/x-proxy/');
    const params = { url: 'https://api.x.com/1.1/direct_messages/events/new.json?a=1', method: 'POST' as const };
    await plugin.onBeforeRequestConfig?.({ params, url: new URL(params.url), client: undefined as never });
    expect(params.url).toBe('http://127.0.0.1:8080/x-proxy/1.1/direct_messages/events/new.json?a=1');
  });
});

describe('X sender', () => {
  let x: FakeXApi;
  let sender: MessageSender;
  let waits: number[];

  beforeEach(async () => {
    x = await startFakeXApi({ accountId: FORCE });
    waits = [];
    sender = createTwitterChannel({
      consumerKey: 'test-consumer-key',
      consumerSecret: 'test-consumer-secret',
      accessToken: 'test-access-token',
      accessSecret: 'test-access-secret',
      userId: FORCE,
      apiRoot: x.url,
      retry: { maxAttempts: 3, maxWaitMs: 30_000, sleep: async (ms) => void waits.push(ms) },
    }).sender;
  });

  afterEach(async () => {
    await x.close();
  });

  it('sends a proactive DM signed with OAuth 1.0a, knowing only the conversation key, and gives back its event id', async () => {
    const ids = await sender.send(PERSON, [message('A call handler will message you here soon.')]);
    expect(x.requests).toHaveLength(1);
    expect(x.requests[0]?.oauth).toBe(true);
    expect(x.requests[0]?.headers.authorization).toContain('oauth_consumer_key="test-consumer-key"');
    expect(x.sentDirectMessages()).toEqual([{ id: expect.stringMatching(/^\d+$/), recipientId: PERSON.id, text: 'A call handler will message you here soon.' }]);
    expect(ids).toEqual([x.sentDirectMessages()[0]?.id]);
  });

  it('caps 21 choices to the 20 quick replies X allows', async () => {
    await sender.send(PERSON, [message('Choose one.', 21)]);
    const options = x.sentDirectMessages()[0]?.quickReply?.options ?? [];
    expect(options).toHaveLength(20);
    expect(options.map((o) => o.metadata)).toEqual(Array.from({ length: 20 }, (_, i) => `choice.${i + 1}`));
  });

  it('trims a label longer than 36 characters and keeps the choice id as metadata', async () => {
    const label = 'I am being threatened right now and I am scared';
    await sender.send(PERSON, [message('What is happening?', 1, () => label)]);
    const [option] = x.sentDirectMessages()[0]?.quickReply?.options ?? [];
    expect(option?.label.length).toBeLessThanOrEqual(36);
    expect(option?.label.endsWith('…')).toBe(true);
    expect(option?.metadata).toBe('choice.1');
  });

  it('sends several messages in order', async () => {
    await sender.send(PERSON, [message('First.'), message('Second.', 2)]);
    expect(x.sentDirectMessages().map((dm) => dm.text)).toEqual(['First.', 'Second.']);
  });

  it('waits until X says the rate limit resets, then sends', async () => {
    x.failNext({ status: 429, resetInSeconds: 5 });
    await sender.send(PERSON, [message('Call Childline on 0800 1111.')]);
    expect(x.requests).toHaveLength(2);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(3_000);
    expect(waits[0]).toBeLessThanOrEqual(6_000);
    expect(x.sentDirectMessages().map((dm) => dm.text)).toEqual(['Call Childline on 0800 1111.']);
  });

  it('gives up on a rate limit longer than the retry bound', async () => {
    x.failNext({ status: 429, resetInSeconds: 900 });
    const error = await sender.send(PERSON, [message('Hello')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).retryAfterMs).toBeGreaterThan(30_000);
    expect(x.requests).toHaveLength(1);
  });

  it('treats "you cannot send messages to this user" as permanent and does not retry', async () => {
    x.failNext({ status: 403, code: 349 });
    const error = await sender.send(PERSON, [message('Samaritans: 116 123')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).permanent).toBe(true);
    expect((error as DeliveryError).message).not.toContain('116 123');
    expect((error as DeliveryError).message).not.toContain(PERSON.id);
    expect(x.requests).toHaveLength(1);
  });

  it('passes other failures on with their cause, neither permanent nor retried', async () => {
    x.failNext({ status: 500, code: 131 });
    const error = await sender.send(PERSON, [message('Hello')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).permanent).toBe(false);
    expect((error as DeliveryError).retryAfterMs).toBeUndefined();
    expect((error as DeliveryError).cause).toBeDefined();
    expect(x.requests).toHaveLength(1);
  });

  it('reports an unreachable X as a delivery failure', async () => {
    await x.close();
    const error = await sender.send(PERSON, [message('Hello')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).permanent).toBe(false);
    x = await startFakeXApi({ accountId: FORCE });
  });
});
