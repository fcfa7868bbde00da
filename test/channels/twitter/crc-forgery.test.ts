import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../../src/app/create-app.js';
import { readConfig } from '../../../src/config/environment.js';
import { silentLogger } from '../../../src/core/logger.js';
import { messagesIn } from '../../support/app-metrics.js';
import { type FakeXApi, startFakeXApi, xChannelEnv } from '../../support/fake-x-api.js';

const FORCE_ACCOUNT = '4337869213';
/** An id nobody wrote from: the attacker makes the force account message it. */
const MADE_UP_ID = '1234567890123456789';

/** A DM delivery as X would send it, saying something that makes the bot answer with crisis numbers. */
function forgedDelivery(text: string, eventId: string): string {
  return JSON.stringify({
    for_user_id: FORCE_ACCOUNT,
    direct_message_events: [
      {
        type: 'message_create',
        id: eventId,
        created_timestamp: String(Date.now()),
        message_create: { target: { recipient_id: FORCE_ACCOUNT }, sender_id: MADE_UP_ID, message_data: { text } },
      },
    ],
  });
}

describe('the X challenge endpoint as a signing oracle (attack against the whole app)', () => {
  let x: FakeXApi;
  let app: App;
  let base: string;
  const handlersFile = join(tmpdir(), `crc-forgery-handlers-${process.pid}.json`);

  beforeEach(async () => {
    x = await startFakeXApi({ accountId: FORCE_ACCOUNT, consumerSecret: 'the-force-consumer-secret' });
    const config = readConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      ...xChannelEnv(x, { accountId: FORCE_ACCOUNT, consumerSecret: 'the-force-consumer-secret' }),
      HANDLERS_FILE: handlersFile,
    });
    app = await createApp(config, { logger: silentLogger });
    base = await app.listen();
  });

  afterEach(async () => {
    await app.close();
    await x.close();
    rmSync(handlersFile, { force: true });
  });

  it('does not sign a delivery-shaped token, so a forged crisis DM is refused and nobody is messaged', async () => {
    const body = forgedDelivery('i want to kill myself', '1790000000000000001');

    // 1. Ask the challenge endpoint to "answer" the whole delivery body.
    const challenge = await fetch(`${base}/webhooks/twitter?crc_token=${encodeURIComponent(body)}`);
    const answer = (await challenge.json()) as { response_token?: string };

    // 2. Post the delivery with whatever signature came back.
    const forged = await fetch(`${base}/webhooks/twitter`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': answer.response_token ?? 'sha256=' },
      body,
    });

    expect(challenge.status).toBe(400);
    expect(answer.response_token).toBeUndefined();
    expect(forged.status).toBe(401);
    expect(await messagesIn(app, 'twitter')).toBe(0);
    expect(x.sentDirectMessages()).toEqual([]);
  });

  it('still answers a challenge of the shape X sends, and that answer signs no delivery', async () => {
    const token = 'M2RkODJkZmMtYjlkYi00NmQ4LTk0MGUtM2JjYzkwM2Q4MjQ0';
    const challenge = await fetch(`${base}/webhooks/twitter?crc_token=${token}&nonce=MTc2OTUxODI5MjkxNA`);
    expect(challenge.status).toBe(200);
    const { response_token: signature } = (await challenge.json()) as { response_token: string };
    const forged = await fetch(`${base}/webhooks/twitter`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': signature },
      body: forgedDelivery('cancel', '1790000000000000002'),
    });
    expect(forged.status).toBe(401);
    expect(await messagesIn(app, 'twitter')).toBe(0);
    expect(x.sentDirectMessages()).toEqual([]);
  });
});
