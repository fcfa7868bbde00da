import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter, ChannelContext } from '../../../src/channels/channel.js';
import { createTwitterChannel, xSignature } from '../../../src/channels/twitter/index.js';
import { silentLogger, type InboundEvent, type OutboundMessage } from '../../../src/core/index.js';
import { startFakeXApi, type FakeXApi } from '../../support/fake-x-api.js';

const SECRET = 'test-consumer-secret';
const AAA_FORCE = '4337869213';
const XAA_FORCE = '1111111111111111111';
const PERSON = '2222222222222222222';
const V1_DM_PATH = '/1.1/direct_messages/events/new.json';

const fixtureText = (name: string): string =>
  readFileSync(new URL(`../../fixtures/twitter/${name}`, import.meta.url), 'utf8');

const REPLY: OutboundMessage = {
  text: 'You are not in trouble, and this is not your fault. How old are you?',
  choices: [
    { id: 'age.under18', label: 'Under 18' },
    { id: 'age.adult', label: '18 or over' },
  ],
  links: [],
};

interface Harness {
  readonly app: FastifyInstance;
  readonly base: string;
  readonly channel: ChannelAdapter;
  readonly dispatched: InboundEvent[];
  failDispatch: boolean;
}

/** Our server as the app builds it, with a dispatcher that answers like the engine would. */
async function startHarness(x: FakeXApi, userId: string, api: 'v1.1' | 'v2'): Promise<Harness> {
  const app = Fastify({ bodyLimit: 262144 });
  const channel = createTwitterChannel({
    consumerKey: 'test-consumer-key',
    consumerSecret: SECRET,
    userId,
    apiRoot: x.url,
    retry: { sleep: async () => {} },
    choicePrompt: (numbers) => `Reply ${numbers.join(' or ')}.`,
    ...(api === 'v1.1'
      ? { quickReplies: { accessToken: `${userId}-test-access-token`, accessSecret: 'test-access-secret' }, webhookApi: 'account-activity' as const }
      : { oauth2: { clientId: 'test-client-id', clientSecret: 'test-client-secret', refreshToken: x.issueRefreshToken() } }),
  });
  const harness: Harness = { app, base: '', channel, dispatched: [], failDispatch: false };
  const context: ChannelContext = {
    logger: silentLogger,
    notice: (key) => key,
    async dispatch(event) {
      if (harness.failDispatch) throw new Error('store unavailable');
      harness.dispatched.push(event);
      await channel.sender.send(event.key, [REPLY]);
    },
  };
  await channel.routes(app, context);
  // Another channel's route on the same server: it must keep Fastify's own JSON parsing.
  app.post('/webhooks/other', async (request) => ({ received: request.body }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return Object.assign(harness, { base: `http://127.0.0.1:${port}` });
}

/** Posts `body` as X would; `signature: null` sends no signature header at all. */
function postSigned(base: string, body: string, signature: string | null = xSignature(SECRET, body)) {
  return fetch(`${base}/webhooks/twitter`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(signature === null ? {} : { 'x-twitter-webhooks-signature': signature }),
    },
    body,
  });
}

describe('X channel webhook (Account Activity API, v1.1 quick replies)', () => {
  let x: FakeXApi;
  let h: Harness;

  beforeEach(async () => {
    x = await startFakeXApi({ accountId: AAA_FORCE });
    h = await startHarness(x, AAA_FORCE, 'v1.1');
  });

  afterEach(async () => {
    await h.app.close();
    await x.close();
  });

  it('answers the CRC challenge with the signed token', async () => {
    const response = await fetch(`${h.base}/webhooks/twitter?crc_token=challenge_string`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ response_token: 'sha256=wbxoN8scmhw5dqzftzpj6g3uAnVpSktqxDDUHYNfIqA=' });
  });

  it('answers 400 to a CRC request without a token', async () => {
    const response = await fetch(`${h.base}/webhooks/twitter`);
    expect(response.status).toBe(400);
  });

  it('answers 400 and signs nothing when the token is not of the shape X sends', async () => {
    const body = fixtureText('aaa-dm-text.json');
    const response = await fetch(`${h.base}/webhooks/twitter?crc_token=${encodeURIComponent(body)}`);
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('sha256=');
  });

  it('answers 429 once one address has made ten challenge requests in a minute', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await fetch(`${h.base}/webhooks/twitter?crc_token=challenge_string`)).status);
    expect(statuses).toEqual([...Array<number>(10).fill(200), 429]);
    const refused = await fetch(`${h.base}/webhooks/twitter?crc_token=challenge_string`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.text()).not.toContain('sha256=');
    // Deliveries are not limited by the challenge's budget.
    expect((await postSigned(h.base, fixtureText('aaa-typing.json'))).status).toBe(200);
  });

  it('dispatches a signed DM and replies through X with quick replies', async () => {
    const response = await postSigned(h.base, fixtureText('aaa-dm-text.json'));
    expect(response.status).toBe(200);
    expect(h.dispatched).toEqual([
      {
        key: { channel: 'twitter', id: '3001969357' },
        payload: { type: 'text', text: 'someone says they will send my pics to everyone unless i pay' },
        messageId: '954491830116155396',
        sentAt: 1516403560557,
      },
    ]);
    const [request] = x.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/1.1/direct_messages/events/new.json', oauth: true });
    expect(request?.body).toEqual({
      event: {
        type: 'message_create',
        message_create: {
          target: { recipient_id: '3001969357' },
          message_data: {
            text: REPLY.text,
            quick_reply: {
              type: 'options',
              options: [
                { label: 'Under 18', metadata: 'age.under18' },
                { label: '18 or over', metadata: 'age.adult' },
              ],
            },
          },
        },
      },
    });
  });

  it('rejects a delivery with a wrong signature and dispatches nothing', async () => {
    const body = fixtureText('aaa-dm-text.json');
    const response = await postSigned(h.base, body, xSignature('someone-else', body));
    expect(response.status).toBe(401);
    expect(h.dispatched).toEqual([]);
    expect(x.requests).toEqual([]);
  });

  it('rejects a delivery without a signature and dispatches nothing', async () => {
    const response = await postSigned(h.base, fixtureText('aaa-dm-text.json'), null);
    expect(response.status).toBe(401);
    expect(h.dispatched).toEqual([]);
  });

  it('checks the signature against the raw bytes, not re-serialised JSON', async () => {
    const compact = JSON.stringify(JSON.parse(fixtureText('aaa-dm-text.json')));
    // Signed over the pretty-printed bytes but the compact form is sent: same JSON, different bytes.
    const response = await postSigned(h.base, compact, xSignature(SECRET, fixtureText('aaa-dm-text.json')));
    expect(response.status).toBe(401);
    expect((await postSigned(h.base, compact)).status).toBe(200);
  });

  it('skips the echo of our own reply', async () => {
    const response = await postSigned(h.base, fixtureText('aaa-dm-echo.json'));
    expect(response.status).toBe(200);
    expect(h.dispatched).toEqual([]);
    expect(x.requests).toEqual([]);
  });

  it('dispatches a quick-reply answer as a choice', async () => {
    await postSigned(h.base, fixtureText('aaa-dm-quick-reply.json'));
    expect(h.dispatched.map((e) => e.payload)).toEqual([{ type: 'choice', choiceId: 'age.under18' }]);
  });

  it('dispatches media as an attachment without fetching it', async () => {
    await postSigned(h.base, fixtureText('aaa-dm-media.json'));
    expect(h.dispatched.map((e) => e.payload)).toEqual([{ type: 'attachment', attachment: 'image' }]);
    // The only call to X is our reply: nothing fetched the media.
    expect(x.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /1.1/direct_messages/events/new.json']);
  });

  it.each(['aaa-typing.json', 'aaa-mark-read.json', 'aaa-tweet-create.json', 'aaa-favorite.json'])(
    'answers 200 to %s and ignores it',
    async (name) => {
      const response = await postSigned(h.base, fixtureText(name));
      expect(response.status).toBe(200);
      expect(h.dispatched).toEqual([]);
      expect(x.requests).toEqual([]);
    },
  );

  it('answers 503 when the dispatcher cannot take the message, so X redelivers', async () => {
    h.failDispatch = true;
    const response = await postSigned(h.base, fixtureText('aaa-dm-text.json'));
    expect(response.status).toBe(503);
  });

  it('answers 400 to signed malformed JSON and 413 to an oversized body', async () => {
    const malformed = '{"for_user_id": "4337869213", "direct_message_events": [';
    expect((await postSigned(h.base, malformed)).status).toBe(400);
    const huge = JSON.stringify({ for_user_id: AAA_FORCE, padding: 'x'.repeat(300_000) });
    expect((await postSigned(h.base, huge)).status).toBe(413);
    expect(h.dispatched).toEqual([]);
  });

  it('leaves the default JSON parser to the other channels', async () => {
    const response = await fetch(`${h.base}/webhooks/other`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"update_id":1}',
    });
    expect(await response.json()).toEqual({ received: { update_id: 1 } });
  });
});

describe('X channel webhook (X Activity API, v2 replies)', () => {
  let x: FakeXApi;
  let h: Harness;

  beforeEach(async () => {
    x = await startFakeXApi({ accountId: XAA_FORCE });
    h = await startHarness(x, XAA_FORCE, 'v2');
  });

  afterEach(async () => {
    await h.app.close();
    await x.close();
  });

  it('dispatches a dm.received event and replies to its sender', async () => {
    const response = await postSigned(h.base, fixtureText('xaa-dm-received.json'));
    expect(response.status).toBe(200);
    expect(h.dispatched.map((e) => [e.key, e.payload, e.messageId])).toEqual([
      [{ channel: 'twitter', id: '2222222222222222222' }, { type: 'text', text: 'hello!' }, '2080765901528535096'],
    ]);
    expect(x.sentDirectMessages().map((dm) => dm.recipientId)).toEqual(['2222222222222222222']);
  });

  it('ignores dm.sent, the echo of our own DMs', async () => {
    const response = await postSigned(h.base, fixtureText('xaa-dm-sent.json'));
    expect(response.status).toBe(200);
    expect(h.dispatched).toEqual([]);
  });

  it('replies with a v2 DM under the OAuth 2.0 user token, the choices numbered in the text', async () => {
    await postSigned(h.base, fixtureText('xaa-dm-received.json'));
    const send = x.requests.find((r) => r.path === '/2/dm_conversations/with/2222222222222222222/messages');
    expect(send).toMatchObject({ method: 'POST', oauth: false });
    expect(send?.bearer).toMatch(/^access-/);
    expect(send?.body).toEqual({ text: `${REPLY.text}\n\n1. Under 18\n2. 18 or over\n\nReply 1 or 2.` });
    expect(x.requests.some((r) => r.path === V1_DM_PATH)).toBe(false);
  });

  it('marks typed text as a reply to a numbered list, so the engine can read "2" as the second choice', async () => {
    await x.deliver(`${h.base}/webhooks/twitter`, { api: 'activity', senderId: PERSON, text: '2' });
    expect(h.dispatched.map((e) => [e.payload, e.numberedChoices])).toEqual([[{ type: 'text', text: '2' }, true]]);
  });

  it('refuses a dm.received signed with another secret (forged), dispatching and sending nothing', async () => {
    const response = await x.deliver(`${h.base}/webhooks/twitter`, { api: 'activity', senderId: PERSON, text: 'i want to die', signWith: 'forger-secret' });
    expect(response.status).toBe(401);
    expect(h.dispatched).toEqual([]);
    expect(x.sentDirectMessages()).toEqual([]);
  });

  it('answers 413 to an oversized signed Activity API body and 400 to a delivery-shaped challenge token', async () => {
    const huge = JSON.stringify({ data: { event_type: 'dm.received', filter: { user_id: XAA_FORCE }, payload: { padding: 'x'.repeat(300_000) } } });
    expect((await postSigned(h.base, huge)).status).toBe(413);
    const challenge = await fetch(`${h.base}/webhooks/twitter?crc_token=${encodeURIComponent(fixtureText('xaa-dm-received.json'))}`);
    expect(challenge.status).toBe(400);
    expect(await challenge.text()).not.toContain('sha256=');
    expect(h.dispatched).toEqual([]);
  });

  it('ignores a dm.received filtered for another account', async () => {
    const other = fixtureText('xaa-dm-received.json').replace(`"user_id": "${XAA_FORCE}"`, '"user_id": "3333333333333333333"');
    expect((await postSigned(h.base, other)).status).toBe(200);
    expect(h.dispatched).toEqual([]);
  });

  it('counts an encrypted X Chat message (chat.received) without reading or dispatching it', async () => {
    const response = await x.deliverEncryptedChat(`${h.base}/webhooks/twitter`, PERSON);
    expect(response.status).toBe(200);
    expect(h.dispatched).toEqual([]);
    expect(h.channel.health?.()).toMatchObject({ unreadableMessages: 1 });
    expect(h.channel.health?.().lastEventAt).toBeGreaterThan(0);
  });

  it('notes when it last answered a challenge and last received a delivery', async () => {
    expect(h.channel.health?.()).toEqual({ unreadableMessages: 0 });
    await fetch(`${h.base}/webhooks/twitter?crc_token=M2RkODJkZmMtYjlkYi00NmQ4LTk0MGUtM2JjYzkwM2Q4MjQ0`);
    await postSigned(h.base, fixtureText('xaa-dm-sent.json'));
    const health = h.channel.health?.();
    expect(health?.lastChallengeAt).toBeGreaterThan(0);
    expect(health?.lastEventAt).toBeGreaterThanOrEqual(health?.lastChallengeAt ?? Infinity);
  });
});
