import type { ChannelAdapter } from '../channel.js';
import { ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { ChannelStartError, type Logger, silentLogger } from '../../core/index.js';
import type { RetryOptions } from '../send-with-retry.js';
import { XActivityAdmin } from './activity-admin.js';
import { DEFAULT_HEALTH_CHECK_MS, XChannelHealth } from './channel-health.js';
import type { ChoicePrompt } from './numbered-choices.js';
import { type CrcLimit, registerXWebhook } from './webhook.js';
import { createTwitterClearer } from './clearer.js';
import { createTwitterSender, type XSender } from './sender.js';
import { MemoryXTokenStore, XAuthorisationError, type XTokenStore, XUserSession } from './user-token.js';
import { createXClient, type XOAuth2Client } from './client.js';

export { DEFAULT_CRC_LIMIT, X_WEBHOOK_PATH, type CrcLimit } from './webhook.js';
export { isXCrcToken } from './crc-token.js';
export { crcResponse, isValidXSignature, xSignature } from './webhook-signature.js';
export { choicePromptFrom, type ChoicePrompt } from './numbered-choices.js';
export { MemoryXTokenStore, type XTokenStore, type XUserToken } from './user-token.js';
export { defaultXTokenFile, FileXTokenStore } from './file-token-store.js';
export type { XSender, SentDirectMessage } from './sender.js';

/** The OAuth 2.0 user context of the force account: the app's client and the refresh token from the one-time authorisation. */
export interface XOAuth2Settings extends XOAuth2Client {
  readonly refreshToken: string;
}

/** Everything the X channel needs: the app's keys, the force account's id and how replies go out. */
export interface TwitterChannelOptions {
  /** The app's API key. */
  readonly consumerKey: string;
  /** The app's API secret; also signs webhook challenges and deliveries. */
  readonly consumerSecret: string;
  /** The force's own account id, so the echo of our own replies is not answered. */
  readonly userId: string;
  /**
   * v2 replies (the default) and Activity API subscriptions: the force
   * account's OAuth 2.0 authorisation. Required unless `quickReplies` is set.
   */
  readonly oauth2?: XOAuth2Settings;
  /** v1.1 replies with quick-reply buttons instead, with the force account's OAuth 1.0a token. */
  readonly quickReplies?: { readonly accessToken: string; readonly accessSecret: string };
  /** Which API delivers events: the X Activity API (checked with X periodically) or the legacy Account Activity API. */
  readonly webhookApi?: 'activity' | 'account-activity';
  /** The line under a numbered list of choices, in the message's language ("Reply 1, 2 or 3."). */
  readonly choicePrompt: ChoicePrompt;
  /** Where the newest OAuth 2.0 tokens are kept (Redis when shared); memory by default. */
  readonly tokens?: XTokenStore;
  /** Where X lives; tests point it at a local fake. */
  readonly apiRoot?: string;
  /** How long to keep retrying a rate-limited send. */
  readonly retry?: RetryOptions;
  /** Challenge requests allowed per client address (default: 10 a minute). */
  readonly crcLimit?: CrcLimit;
  /** How often to ask X whether the webhook and subscription still stand. */
  readonly healthCheckMs?: number;
  readonly logger?: Logger;
}

/** The X channel with what its tests and the setup script need beyond a {@link ChannelAdapter}. */
export interface TwitterChannel extends ChannelAdapter {
  readonly sender: XSender;
  /** Webhooks and Activity API subscriptions. */
  readonly admin: XActivityAdmin;
  /** The OAuth 2.0 user session every v2 call goes through; undefined with v1.1 quick replies and no OAuth 2.0 settings. */
  readonly session: XUserSession | undefined;
  /** Asks X now whether the webhook and subscription stand (as the periodic check does). */
  recheck(): Promise<void>;
}

/**
 * The X (Twitter) direct-message channel: a signed webhook in (X Activity API
 * or Account Activity API deliveries), DMs out. By default replies are v2 DMs
 * (X's current API) with choices as a numbered list, since v2 DMs carry no
 * buttons; `quickReplies` keeps v1.1 quick-reply buttons for accounts where
 * v1.1 still works. Starting checks the OAuth 2.0 token with X (`GET
 * /2/users/me`, refreshing it if needed) and that it is the force account's,
 * so a revoked or mistaken authorisation stops the start rather than every reply.
 */
export function createTwitterChannel({
  consumerKey,
  consumerSecret,
  userId,
  oauth2,
  quickReplies,
  webhookApi = 'activity',
  choicePrompt,
  tokens = new MemoryXTokenStore(),
  apiRoot = 'https://api.x.com',
  retry,
  crcLimit,
  healthCheckMs = DEFAULT_HEALTH_CHECK_MS,
  logger = silentLogger,
}: TwitterChannelOptions): TwitterChannel {
  const log = logger.child({ channel: 'twitter' });
  const session =
    oauth2 === undefined
      ? undefined
      : new XUserSession({
          client: { clientId: oauth2.clientId, ...(oauth2.clientSecret !== undefined && { clientSecret: oauth2.clientSecret }) },
          initialRefreshToken: oauth2.refreshToken,
          store: tokens,
          apiRoot,
          logger: log,
        });
  const v1Client = quickReplies === undefined ? undefined : createXClient({ consumerKey, consumerSecret, ...quickReplies }, apiRoot);
  let sender: XSender;
  if (v1Client !== undefined) {
    sender = createTwitterSender({ api: 'v1.1', client: v1Client }, retry);
  } else if (session !== undefined) {
    sender = createTwitterSender({ api: 'v2', session, prompt: choicePrompt }, retry);
  } else {
    throw new TypeError('the X channel needs the OAuth 2.0 settings for v2 replies, or quickReplies for v1.1');
  }
  const admin = new XActivityAdmin({ credentials: { consumerKey, consumerSecret }, apiRoot, ...(session && { session }) });
  const health = new XChannelHealth({ admin: webhookApi === 'activity' ? admin : undefined, userId, logger: log });
  const numberedChoices = quickReplies === undefined;
  return {
    id: 'twitter',
    sender,
    // The bot's own DM events are deleted with the OAuth 2.0 user token when there is one, else the v1.1 user context.
    clearer: createTwitterClearer(session !== undefined ? (call) => session.call(call) : (call) => call(v1Client!), retry),
    admin,
    session,
    routes(app, context) {
      registerXWebhook(app, context, { consumerSecret, userId, numberedChoices, health, ...(crcLimit && { crcLimit }) });
    },
    async start() {
      // The state store may still be connecting (Redis at start-up): a few quick tries before giving up. A refusal by X is final.
      for (let attempt = 1; ; attempt++) {
        try {
          const me = await session?.call((client) => client.v2.me());
          if (me !== undefined && me.data.id !== userId) {
            throw new ChannelStartError('twitter', 'the OAuth 2.0 authorisation is for another account than TWITTER_USER_ID: authorise again as the force account');
          }
          break;
        } catch (error) {
          if (error instanceof ChannelStartError) throw error;
          if (error instanceof XAuthorisationError || attempt >= START_ATTEMPTS) throw new ChannelStartError('twitter', startFailure(error), error);
          await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** (attempt - 1)));
        }
      }
      health.start(healthCheckMs);
    },
    async stop() {
      health.stop();
    },
    health: () => health.snapshot(),
    recheck: () => health.check(),
  };
}

/** Tries at the token before the start fails: about 4 s in all. */
const START_ATTEMPTS = 5;

/** Why the OAuth 2.0 token could not be had, in words without secrets. */
function startFailure(error: unknown): string {
  if (error instanceof XAuthorisationError) return error.message;
  if (error instanceof ApiResponseError) return `X answered ${error.code} to the OAuth 2.0 token refresh`;
  if (error instanceof ApiRequestError) return 'could not reach X to refresh the OAuth 2.0 token';
  return `${error instanceof Error ? error.name : 'an unknown error'} while refreshing the OAuth 2.0 token`;
}
