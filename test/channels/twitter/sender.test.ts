import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { choicePromptFrom, createTwitterChannel, MemoryXTokenStore, type TwitterChannel } from '../../../src/channels/twitter/index.js';
import { renderDirectMessages, X_DM_LIMITS } from '../../../src/channels/twitter/sender.js';
import { apiRootPlugin } from '../../../src/channels/twitter/client.js';
import { ChannelStartError, DeliveryError, type MessageSender, type OutboundMessage } from '../../../src/core/index.js';
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

describe('X sender (v1.1 quick replies)', () => {
  let x: FakeXApi;
  let sender: MessageSender;
  let waits: number[];

  beforeEach(async () => {
    x = await startFakeXApi({ accountId: FORCE });
    waits = [];
    sender = createTwitterChannel({
      consumerKey: 'test-consumer-key',
      consumerSecret: 'test-consumer-secret',
      quickReplies: { accessToken: 'test-access-token', accessSecret: 'test-access-secret' },
      userId: FORCE,
      apiRoot: x.url,
      choicePrompt: () => 'unused with quick replies',
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
    expect(x.sentDirectMessages()).toEqual([
      { api: 'v1.1', recipientId: PERSON.id, text: 'A call handler will message you here soon.', eventId: expect.any(String) },
    ]);
    expect(ids).toEqual([x.sentDirectMessages()[0]?.eventId]);
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

describe('X sender (v2, OAuth 2.0 user token)', () => {
  let x: FakeXApi;
  let tokens: MemoryXTokenStore;
  let channel: TwitterChannel;
  const prompt = choicePromptFrom({ one: (n) => `Reply ${n}.`, several: (first, last) => `Reply ${first} or ${last}.` });

  const start = (refreshToken: string, store: MemoryXTokenStore = tokens) =>
    createTwitterChannel({
      consumerKey: 'test-consumer-key',
      consumerSecret: 'test-consumer-secret',
      oauth2: { clientId: 'test-client-id', clientSecret: 'test-client-secret', refreshToken },
      userId: FORCE,
      apiRoot: x.url,
      choicePrompt: prompt,
      tokens: store,
      retry: { sleep: async () => {} },
    });

  beforeEach(async () => {
    x = await startFakeXApi({ accountId: FORCE });
    tokens = new MemoryXTokenStore();
    channel = start(x.issueRefreshToken());
  });

  afterEach(async () => {
    await x.close();
  });

  const tokenRequests = () => x.requests.filter((r) => r.path === '/2/oauth2/token');
  const dmRequests = () => x.requests.filter((r) => r.path.startsWith('/2/dm_conversations/'));

  it('refreshes the token once, sends with it, and resolves to the dm_event_id of every DM X accepted', async () => {
    const sent = await channel.sender.sendDirectMessages(PERSON, [message('First.'), message('Second.')]);
    expect(sent).toEqual(x.sentDirectMessages().map((dm) => ({ eventId: dm.eventId })));
    expect(sent).toHaveLength(2);
    expect(tokenRequests()).toHaveLength(1);
    expect(tokenRequests()[0]?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(new Set(dmRequests().map((r) => r.bearer)).size).toBe(1);
    expect(x.sentDirectMessages().map((dm) => [dm.api, dm.recipientId])).toEqual([
      ['v2', PERSON.id],
      ['v2', PERSON.id],
    ]);
  });

  it('keeps the rotated refresh token in the store, so the next refresh uses the newest', async () => {
    const first = x.currentRefreshToken();
    await channel.sender.send(PERSON, [message('Hello')]);
    const stored = await tokens.read();
    expect(stored?.refreshToken).toBe(x.currentRefreshToken());
    expect(stored?.refreshToken).not.toBe(first);
    expect(stored?.accessToken).toMatch(/^access-/);
    x.expireAccessTokens();
    await channel.sender.send(PERSON, [message('Again')]);
    expect(tokenRequests().map((r) => (r.body as Record<string, string>).refresh_token)).toEqual([first, stored?.refreshToken]);
    expect(x.sentDirectMessages().map((dm) => dm.text)).toEqual(['Hello', 'Again']);
  });

  it('refreshes before the access token expires, without waiting for a 401', async () => {
    x.setAccessTokenLifetime(60); // inside the five-minute margin: due for refresh at once
    await channel.sender.send(PERSON, [message('One')]);
    await channel.sender.send(PERSON, [message('Two')]);
    expect(tokenRequests()).toHaveLength(2);
    // Neither send met a 401: each went once, with its own fresh token.
    expect(dmRequests()).toHaveLength(2);
    expect(new Set(dmRequests().map((r) => r.bearer)).size).toBe(2);
  });

  it('on a 401 refreshes once and sends again', async () => {
    await channel.sender.send(PERSON, [message('One')]);
    x.expireAccessTokens();
    await channel.sender.send(PERSON, [message('Two')]);
    const statuses = dmRequests().length;
    expect(statuses).toBe(3); // One; Two refused with 401; Two again with the new token
    expect(tokenRequests()).toHaveLength(2);
    expect(x.sentDirectMessages().map((dm) => dm.text)).toEqual(['One', 'Two']);
  });

  it('a second process finds the newest token in the shared store instead of the used-up one it was started with', async () => {
    const initial = x.currentRefreshToken() as string;
    await channel.sender.send(PERSON, [message('From the first instance')]);
    const other = start(initial);
    x.expireAccessTokens();
    await other.sender.send(PERSON, [message('From the second')]);
    expect(x.sentDirectMessages().map((dm) => dm.text)).toEqual(['From the first instance', 'From the second']);
  });

  it('after a new authorisation (a different refresh token set) uses that one, not the stored chain', async () => {
    await channel.sender.send(PERSON, [message('Before')]);
    const reauthorised = x.issueRefreshToken(); // the old chain is now dead at X
    await start(reauthorised).sender.send(PERSON, [message('After')]);
    expect((tokenRequests().at(-1)?.body as Record<string, string>).refresh_token).toBe(reauthorised);
    expect(x.sentDirectMessages().map((dm) => dm.text)).toEqual(['Before', 'After']);
  });

  it('fails to start, naming the cure, when X refuses the refresh token', async () => {
    const refused = start('refresh-never-issued', new MemoryXTokenStore());
    const error = await refused.start?.({} as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelStartError);
    expect((error as ChannelStartError).reason).toContain('npm run x:authorise');
    expect((error as ChannelStartError).reason).not.toContain('refresh-never-issued');
  });

  it('fails to start when the authorisation is for another account than the one configured', async () => {
    const other = createTwitterChannel({
      consumerKey: 'k',
      consumerSecret: 's',
      oauth2: { clientId: 'test-client-id', clientSecret: 'test-client-secret', refreshToken: x.issueRefreshToken() },
      userId: '999',
      apiRoot: x.url,
      choicePrompt: prompt,
    });
    const error = await other.start?.({} as never).catch((e: unknown) => e);
    expect((error as ChannelStartError).reason).toContain('another account than TWITTER_USER_ID');
    expect((error as ChannelStartError).reason).not.toContain(FORCE);
  });

  it('numbers the choices of a batch continuously, in the order they were offered', async () => {
    await channel.sender.send(PERSON, [message('Are you safe?', 2), message('Or pick one of these.', 3)]);
    expect(x.sentDirectMessages().map((dm) => dm.text)).toEqual([
      'Are you safe?\n\n1. Option 1\n2. Option 2\n\nReply 1 or 2.',
      'Or pick one of these.\n\n3. Option 1\n4. Option 2\n5. Option 3\n\nReply 3, 4 or 5.',
    ]);
  });

  it('writes the prompt in the message\'s own language', async () => {
    const welsh = createTwitterChannel({
      consumerKey: 'k',
      consumerSecret: 's',
      oauth2: { clientId: 'test-client-id', clientSecret: 'test-client-secret', refreshToken: x.issueRefreshToken() },
      userId: FORCE,
      apiRoot: x.url,
      choicePrompt: (numbers, locale) => `${locale}:${numbers.join(',')}`,
    });
    await welsh.sender.send(PERSON, [{ ...message('Wyt ti\'n saff?', 1), locale: 'cy' }]);
    expect(x.sentDirectMessages()[0]?.text.endsWith('\n\ncy:1')).toBe(true);
  });

  it('treats a v2 403 (this person takes no DMs from the account) as permanent', async () => {
    x.failNext({ status: 403, code: 349 });
    const error = await channel.sender.send(PERSON, [message('Hello')]).catch((e: unknown) => e);
    expect((error as DeliveryError).permanent).toBe(true);
  });
});
