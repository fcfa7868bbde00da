/**
 * Sets up X's delivery of the force account's DMs through the X Activity API:
 *
 *   npm run x:setup -- https://bot.example.police.uk   # register the webhook and subscribe (idempotent)
 *   npm run x:setup -- --list                          # what X has: webhooks and subscriptions
 *   npm run x:setup -- --delete <id>                   # delete one subscription or webhook by its id
 *
 * Reads the same settings as the bot (`.env` too): `TWITTER_CONSUMER_KEY` and
 * `TWITTER_CONSUMER_SECRET` (webhooks use the app-only token),
 * `TWITTER_USER_ID` and the OAuth 2.0 settings (DM subscriptions need the
 * account's user token), `TWITTER_API_ROOT`, and `REDIS_URL` and
 * `REDIS_PREFIX`, or `TWITTER_TOKEN_FILE` without Redis: the script uses and
 * keeps the same newest OAuth 2.0 token as the running bot (X replaces the
 * refresh token at every refresh, so each must find the other's).
 *
 * Registering the webhook makes X send it a challenge at once, so the bot
 * must already be running at that address. Nothing secret is printed.
 */
import { pathToFileURL } from 'node:url';
import { XActivityAdmin, X_DM_EVENT_TYPES, type XSubscription, type XWebhook } from '../src/channels/twitter/activity-admin.js';
import { X_WEBHOOK_PATH } from '../src/channels/twitter/index.js';
import { FileXTokenStore } from '../src/channels/twitter/file-token-store.js';
import { XUserSession, type XTokenStore, type XUserToken } from '../src/channels/twitter/user-token.js';
import { readConfig, type TwitterConfig } from '../src/config/environment.js';
import { silentLogger } from '../src/core/logger.js';
import { isLoopbackUrl } from '../src/core/loopback.js';
import { createRedisConnection, type RedisClient } from '../src/storage/redis/redis-connection.js';
import { RedisKeys } from '../src/storage/redis/redis-keys.js';
import { RedisJsonValue } from '../src/storage/redis/side-records.js';

/** What X has for the bot, after setting up or as listed. */
export interface XDeliveryState {
  readonly webhooks: readonly XWebhook[];
  readonly subscriptions: readonly XSubscription[];
}

/** The webhook address for a public base URL: https, or http only on this machine (tests). */
export function webhookUrl(baseUrl: string): string {
  const base = new URL(baseUrl);
  if (base.protocol !== 'https:' && !isLoopbackUrl(base.href)) throw new Error('The public base URL must use https: X delivers webhooks over HTTPS only');
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}${X_WEBHOOK_PATH}`;
}

/**
 * Registers `<base>/webhooks/twitter` unless X has it already (asking X to
 * challenge it again if it had failed), then subscribes it to the force
 * account's `dm.received` and `chat.received` unless such subscriptions exist.
 * Safe to run again: it never makes a second webhook or subscription.
 */
export async function setUpXDelivery(admin: XActivityAdmin, { baseUrl, userId }: { baseUrl: string; userId: string }): Promise<XDeliveryState> {
  const url = webhookUrl(baseUrl);
  let webhook = (await admin.listWebhooks()).find((w) => w.url === url);
  if (webhook === undefined) webhook = await admin.registerWebhook(url);
  else if (!webhook.valid) webhook = { ...webhook, valid: await admin.revalidateWebhook(webhook.id) };
  const existing = await admin.listSubscriptions();
  for (const eventType of X_DM_EVENT_TYPES) {
    const have = existing.some((s) => s.eventType === eventType && s.userId === userId && s.webhookId === webhook.id);
    if (!have) await admin.subscribe({ eventType, userId, webhookId: webhook.id, tag: `safeguarding-bot ${eventType}` });
  }
  return listXDelivery(admin);
}

export async function listXDelivery(admin: XActivityAdmin): Promise<XDeliveryState> {
  return { webhooks: await admin.listWebhooks(), subscriptions: await admin.listSubscriptions() };
}

/** Deletes the subscription or webhook with this id; resolves to which it was. */
export async function deleteXDelivery(admin: XActivityAdmin, id: string): Promise<'subscription' | 'webhook'> {
  if ((await admin.listSubscriptions()).some((s) => s.id === id)) {
    await admin.deleteSubscription(id);
    return 'subscription';
  }
  if ((await admin.listWebhooks()).some((w) => w.id === id)) {
    await admin.deleteWebhook(id);
    return 'webhook';
  }
  throw new Error(`X has no subscription or webhook with id ${id}`);
}

/** The admin, with the token store the bot uses (Redis when configured). */
function connect(twitter: TwitterConfig, redis: RedisClient | undefined, prefix: string): XActivityAdmin {
  if (twitter.oauth2 === undefined) throw new Error('the OAuth 2.0 settings (TWITTER_OAUTH2_*) are needed: DM subscriptions need the account\'s user token');
  const store: XTokenStore = redis === undefined ? new FileXTokenStore(twitter.tokenFile) : new RedisJsonValue<XUserToken>(redis, new RedisKeys(prefix).xUserToken());
  const session = new XUserSession({
    client: { clientId: twitter.oauth2.clientId, ...(twitter.oauth2.clientSecret !== undefined && { clientSecret: twitter.oauth2.clientSecret }) },
    initialRefreshToken: twitter.oauth2.refreshToken,
    store,
    apiRoot: twitter.apiRoot,
    logger: silentLogger,
  });
  return new XActivityAdmin({ credentials: twitter, apiRoot: twitter.apiRoot, session });
}

async function main(): Promise<void> {
  const [first, second] = process.argv.slice(2);
  if (first === undefined || (first === '--delete' && second === undefined)) {
    console.error('Usage: npm run x:setup -- <public base URL> | --list | --delete <id>');
    process.exitCode = 2;
    return;
  }
  let redis: RedisClient | undefined;
  try {
    const config = readConfig();
    if (config.twitter === undefined) throw new Error('the X channel is not configured (TWITTER_* settings)');
    if (config.redisUrl !== undefined) {
      redis = createRedisConnection({ url: config.redisUrl, logger: silentLogger });
      await redis.connect();
    }
    const admin = connect(config.twitter, redis, config.redisPrefix);
    if (first === '--list') console.log(JSON.stringify(await listXDelivery(admin), null, 2));
    else if (first === '--delete') console.log(`deleted the ${await deleteXDelivery(admin, second as string)} ${second}`);
    else console.log(JSON.stringify(await setUpXDelivery(admin, { baseUrl: first, userId: config.twitter.userId }), null, 2));
  } catch (error) {
    console.error(`x:setup failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await redis?.close().catch(() => undefined);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
