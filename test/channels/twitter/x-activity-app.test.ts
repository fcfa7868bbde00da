import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../../src/app/create-app.js';
import type { TwitterChannel } from '../../../src/channels/twitter/index.js';
import { readConfig } from '../../../src/config/environment.js';
import { ChannelStartError } from '../../../src/core/errors.js';
import { messagesIn } from '../../support/app-metrics.js';
import { captureLog, type CapturedLog } from '../../support/captured-log.js';
import { type FakeXApi, startFakeXApi, xChannelEnv } from '../../support/fake-x-api.js';
import { TestRedis } from '../../support/redis-server.js';
import { setUpXDelivery } from '../../../scripts/x-setup.js';

const FORCE = '1111111111111111111';
const PERSON = '2222222222222222222';

/**
 * The whole app with the X channel as a force sets it up now: X Activity API
 * deliveries, v2 replies with the OAuth 2.0 user token; on memory and on
 * Redis. The fake X API challenges, delivers and records as X would.
 */
describe.each(['memory', 'redis'] as const)('the X channel on the Activity API and v2, whole app (%s)', (kind) => {
  let redis: TestRedis | undefined;
  let x: FakeXApi;
  let app: App;
  let base: string;
  let log: CapturedLog;
  let env: Record<string, string>;
  let prefix = 0;

  beforeAll(async () => {
    if (kind === 'redis') redis = await TestRedis.start();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  const start = async () => {
    log = captureLog();
    const created = await createApp(readConfig(env), { logger: log.logger });
    try {
      return { created, address: await created.listen() };
    } catch (error) {
      await created.close();
      throw error;
    }
  };

  beforeEach(async () => {
    x = await startFakeXApi({ accountId: FORCE });
    env = {
      PORT: '0',
      HOST: '127.0.0.1',
      HANDLERS_FILE: `/tmp/x-activity-app-${process.pid}.json`,
      ...xChannelEnv(x, { accountId: FORCE }),
      ...(redis && { REDIS_URL: redis.url, REDIS_PREFIX: `xa${++prefix}` }),
    };
    ({ created: app, address: base } = await start());
  });

  afterEach(async () => {
    await app.close();
    await x.close();
  });

  const channel = () => app.channels.find((c) => c.id === 'twitter') as TwitterChannel;
  const webhook = () => `${base}/webhooks/twitter`;
  const received = () => x.sentDirectMessages().filter((dm) => dm.recipientId === PERSON).map((dm) => dm.text);
  const readyz = async () => (await (await fetch(`${base}/readyz`)).json()) as { detail?: Record<string, Record<string, unknown>> };

  it('x:setup registers the webhook (X challenges it) and subscribes it; /readyz and the metrics then show X delivering', async () => {
    // Checked at start: nothing registered yet.
    await expect.poll(async () => (await readyz()).detail?.['channel:twitter']).toMatchObject({ subscribed: false, lastChallengeAt: null });
    await setUpXDelivery(channel().admin, { baseUrl: base, userId: FORCE });
    expect(x.webhooks).toEqual([expect.objectContaining({ url: webhook(), valid: true })]);
    expect(x.subscriptions.map((s) => [s.event_type, s.filter.user_id, s.webhook_id])).toEqual([
      ['dm.received', FORCE, x.webhooks[0]?.id],
      ['chat.received', FORCE, x.webhooks[0]?.id],
    ]);
    // Run again: nothing doubled.
    await setUpXDelivery(channel().admin, { baseUrl: base, userId: FORCE });
    expect([x.webhooks.length, x.subscriptions.length]).toEqual([1, 2]);

    await channel().recheck();
    await say('hi');
    const detail = (await readyz()).detail?.['channel:twitter'];
    expect(detail).toMatchObject({ webhookValid: true, subscribed: true, unreadableMessages: 0 });
    expect(Date.parse(String(detail?.lastChallengeAt))).toBeGreaterThan(0);
    expect(Date.parse(String(detail?.lastEventAt))).toBeGreaterThanOrEqual(Date.parse(String(detail?.lastChallengeAt)));
    const metrics = await app.metrics.exposition();
    expect(metrics).toMatch(/^ssb_channel_subscription_active\{channel="twitter"\} 1$/m);
    expect(metrics).toMatch(/^ssb_channel_webhook_valid\{channel="twitter"\} 1$/m);
    expect(metrics).toMatch(/^ssb_channel_last_event_timestamp_seconds\{channel="twitter"\} [1-9]/m);

    x.subscriptions.splice(0);
    await channel().recheck();
    expect((await readyz()).detail?.['channel:twitter']).toMatchObject({ subscribed: false });
    expect(await app.metrics.exposition()).toMatch(/^ssb_channel_subscription_active\{channel="twitter"\} 0$/m);
    expect(log.entries().some((e) => e.event === 'x.delivery_check' && e.level === 'error')).toBe(true);
  });

  /** Messages the app has handed to X, by its own metric: counted once a turn's whole reply has gone. */
  const messagesOut = async () => Number(/^ssb_messages_out_total\{channel="twitter"\} (\d+)$/m.exec(await app.metrics.exposition())?.[1] ?? 0);

  /** Delivers a DM and waits until the bot's whole answer has gone (with Redis the inbox answers after the webhook). */
  const say = async (text: string, eventId?: string) => {
    const before = received().length;
    const sent = await messagesOut();
    const response = await x.deliver(webhook(), { api: 'activity', senderId: PERSON, text, ...(eventId && { eventId }) });
    expect(response.status).toBe(200);
    await expect.poll(messagesOut).toBeGreaterThan(sent);
    return received().slice(before);
  };

  it('answers a dm.received through v2 with numbered choices, and a typed number as pressing that choice', async () => {
    const greeting = (await say('hi')).at(-1) ?? '';
    // The same step by button, in another conversation, straight through the engine.
    const key = { channel: 'terminal' as const, id: 'by-button' };
    const offered = (await app.core.engine.handle({ key, payload: { type: 'text', text: 'hi' } })).messages.flatMap((m) => m.choices);
    expect(greeting).toContain(`\n\n${offered.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}\n\nReply 1, 2 or 3.`);
    const byButton = await app.core.engine.handle({ key, payload: { type: 'choice', choiceId: offered[1]?.id as string } });

    const answer = await say('2');
    expect(answer.map((text) => text.split('\n\n1. ')[0])).toEqual(byButton.messages.map((m) => m.text));
    expect(x.requests.filter((r) => r.path.startsWith('/2/dm_conversations/')).every((r) => r.bearer?.startsWith('access-'))).toBe(true);
  });

  it('clears the chat through v2: deletes exactly the bot\'s own DM events with the OAuth 2.0 user token', async () => {
    await say('hi');
    const asked = await say('clear this chat');
    expect(asked.at(-1)).toContain('Keep the blackmailer');
    const bots = x.sentDirectMessages().filter((dm) => dm.recipientId === PERSON).map((dm) => dm.eventId);
    expect(bots.length).toBeGreaterThan(2);
    await say('yes');
    expect(received().at(-1)).toContain('Chat cleared. Type hi to start again.');
    expect(x.deletedDmEvents()).toEqual(bots);
    const deletions = x.requests.filter((r) => r.method === 'DELETE');
    expect(deletions.length).toBe(bots.length);
    expect(deletions.every((r) => r.bearer?.startsWith('access-'))).toBe(true);
  });

  it('answers a redelivered dm.received once', async () => {
    await say('hi', '1790000000000000077');
    const again = await x.deliver(webhook(), { api: 'activity', senderId: PERSON, text: 'hi', eventId: '1790000000000000077' });
    expect(again.status).toBe(200);
    // One person's messages are answered in order: once this one is answered, the redelivery has been dealt with.
    await say('thank you');
    expect(await messagesIn(app, 'twitter')).toBe(2);
  });

  it('refuses a forged dm.received and a challenge for a delivery-shaped token, messaging nobody', async () => {
    const forged = await x.deliver(webhook(), { api: 'activity', senderId: PERSON, text: 'i want to kill myself', signWith: 'not-the-secret' });
    expect(forged.status).toBe(401);
    const challenge = await fetch(`${webhook()}?crc_token=${encodeURIComponent(JSON.stringify({ data: { event_type: 'dm.received' } }))}`);
    expect(challenge.status).toBe(400);
    expect(await messagesIn(app, 'twitter')).toBe(0);
    expect(received()).toEqual([]);
  });

  it('counts an encrypted chat, logs it without content or ids, and answers nothing', async () => {
    expect((await x.deliverEncryptedChat(webhook(), PERSON)).status).toBe(200);
    expect(await app.metrics.exposition()).toMatch(/^ssb_unreadable_messages_total\{channel="twitter"\} 1$/m);
    expect(log.entries().filter((e) => e.event === 'x.encrypted_chat')).toHaveLength(1);
    expect(log.raw.join('\n')).not.toContain(PERSON);
    expect(received()).toEqual([]);
  });

  it('keeps the rotated refresh token where the next start finds it (Redis, or the token file without it)', async () => {
    await say('hi');
    // The environment still holds the first refresh token, which X has since replaced.
    await app.close();
    x.expireAccessTokens();
    ({ created: app, address: base } = await start());
    await say('hello again');
    expect(x.requests.filter((r) => r.path === '/2/oauth2/token')).toHaveLength(2);
    for (const line of log.raw) expect(line).not.toMatch(/refresh-[0-9a-f]{24}|access-[0-9a-f]{24}/);
  });

  it('fails to start, naming the cure, when X has revoked the authorisation', async () => {
    await app.close();
    x.issueRefreshToken(); // a new authorisation elsewhere: the bot's chain is dead at X
    x.expireAccessTokens();
    const error = await start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelStartError);
    expect((error as ChannelStartError).reason).toContain('npm run x:authorise');
    // Authorised again: the new token in the environment starts it, in place of the dead chain kept in the store.
    env = { ...env, TWITTER_OAUTH2_REFRESH_TOKEN: x.issueRefreshToken() };
    ({ created: app, address: base } = await start());
    await say('hi');
  });
});
