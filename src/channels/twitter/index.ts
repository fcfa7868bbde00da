import type { ChannelAdapter } from '../channel.js';
import type { RetryOptions } from '../send-with-retry.js';
import { type CrcLimit, registerXWebhook } from './routes.js';
import { createTwitterClearer } from './clearer.js';
import { createTwitterSender } from './sender.js';
import { createXClient } from './x-client.js';

export { DEFAULT_CRC_LIMIT, X_WEBHOOK_PATH, type CrcLimit } from './routes.js';
export { isXCrcToken } from './crc-token.js';
export { crcResponse, isValidXSignature, xSignature } from './webhook-signature.js';

/** Everything the X channel needs: the force's account credentials and id. */
export interface TwitterChannelOptions {
  /** The app's API key. */
  readonly consumerKey: string;
  /** The app's API secret; also signs webhook challenges and deliveries. */
  readonly consumerSecret: string;
  /** The force account's OAuth 1.0a access token. */
  readonly accessToken: string;
  readonly accessSecret: string;
  /** The force's own account id, so the echo of our own replies is not answered. */
  readonly userId: string;
  /** Where the X API lives; tests point it at a local fake. */
  readonly apiRoot?: string;
  /** How long to keep retrying a rate-limited send. */
  readonly retry?: RetryOptions;
  /** Challenge requests allowed per client address (default: 10 a minute). */
  readonly crcLimit?: CrcLimit;
}

/**
 * The X (Twitter) direct-message channel: a signed webhook in (Account
 * Activity API or X Activity API deliveries), v1.1 DMs with quick replies out.
 * v1.1 is used for sending because v2 DMs cannot carry quick replies, and
 * tapping a button matters to someone too distressed to type.
 */
export function createTwitterChannel({
  consumerKey,
  consumerSecret,
  accessToken,
  accessSecret,
  userId,
  apiRoot = 'https://api.twitter.com',
  retry,
  crcLimit,
}: TwitterChannelOptions): ChannelAdapter {
  const client = createXClient({ consumerKey, consumerSecret, accessToken, accessSecret }, apiRoot);
  const sender = createTwitterSender(client, retry);
  return {
    id: 'twitter',
    sender,
    clearer: createTwitterClearer(client, retry),
    routes(app, context) {
      registerXWebhook(app, context, { consumerSecret, userId, ...(crcLimit && { crcLimit }) });
    },
  };
}
