/**
 * A fake of the part of X the bot talks to, on 127.0.0.1, for tests that must
 * see exactly what would have reached X. It speaks both generations:
 *
 * - v1.1 DMs with quick replies (`POST /1.1/direct_messages/events/new.json`,
 *   OAuth 1.0a) and Account Activity API deliveries;
 * - v2 DMs (`POST /2/dm_conversations/with/:participant_id/messages`, OAuth
 *   2.0 user token), the OAuth 2.0 token endpoint (PKCE authorisation codes,
 *   refresh tokens that rotate: each is accepted once), the app-only token
 *   (`POST /oauth2/token`), webhooks (`/2/webhooks`, whose registration runs
 *   X's challenge against the bot) and X Activity API subscriptions
 *   (`/2/activity/subscriptions`), and X Activity API deliveries.
 *
 * - `DELETE /2/dm_events/:event_id` (`{ data: { deleted: true } }`), with the
 *   OAuth 2.0 user token or OAuth 1.0a.
 *
 * Every request is recorded. `deliver()` posts a signed DM event to the
 * bot's webhook in either API's shape, as X would.
 *
 * Use:
 *   const x = await startFakeXApi({ accountId: '4337869213' });
 *   const refreshToken = x.issueRefreshToken();      // what `npm run x:authorise` would have stored
 *   ... createApp(readConfig({ ...xChannelEnv(x, { refreshToken }) })) ...
 *   await x.deliver(`${base}/webhooks/twitter`, { api: 'activity', senderId: '2222', text: 'hi' });
 *   x.sentDirectMessages();
 *   await x.close();
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One request as the fake received it. */
export interface RecordedXRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  /** The parsed JSON or form body, or the raw text when it was neither. */
  readonly body: unknown;
  /** Whether an OAuth 1.0a `Authorization` header came with it. */
  readonly oauth: boolean;
  /** The bearer token it carried, if any. */
  readonly bearer?: string;
}

/** A refusal the fake should give the next time a DM is sent (either API). */
export type XFailure =
  /** Rate limited: 429 with X's `x-rate-limit-*` headers, the window resetting this many seconds from now. */
  | { readonly status: 429; readonly resetInSeconds: number }
  /** Any other refusal, with an X error body (`{ errors: [{ code, message }] }`). */
  | { readonly status: number; readonly code: number; readonly message?: string };

/** A DM the bot sent, as X received it. */
export interface SentDirectMessage {
  readonly api: 'v1.1' | 'v2';
  readonly recipientId: string;
  readonly text: string;
  /** The event id X gave it (v2 `dm_event_id`, v1.1 `event.id`). */
  readonly eventId: string;
  readonly quickReply?: { readonly type: string; readonly options: readonly { label: string; metadata?: string; description?: string }[] };
}

/** A webhook registered with `POST /2/webhooks`. */
export interface FakeWebhook {
  readonly id: string;
  readonly url: string;
  valid: boolean;
  readonly created_at: string;
}

/** An X Activity API subscription. */
export interface FakeSubscription {
  readonly subscription_id: string;
  readonly event_type: string;
  readonly filter: { readonly user_id?: string };
  readonly tag?: string;
  readonly webhook_id?: string;
  readonly created_at: string;
  readonly updated_at: string;
}

/** What `deliver()` sends. */
export interface DeliveryOptions {
  /** `activity`: an X Activity API `dm.received` (or `dm.sent` from the force); `account-activity`: the legacy shape. */
  readonly api: 'activity' | 'account-activity';
  readonly senderId: string;
  readonly text?: string;
  /** A pressed v1.1 quick reply's metadata. */
  readonly quickReplyMetadata?: string;
  /** The DM event id; a fresh one when omitted. */
  readonly eventId?: string;
  /** Sign with this secret instead of the fake's consumer secret (a forger's). */
  readonly signWith?: string;
}

/** A running fake X API; see the module comment for a usage example. */
export interface FakeXApi {
  /** Root URL to pass as the channel's `apiRoot`. */
  readonly url: string;
  /** Every request received, oldest first. */
  readonly requests: RecordedXRequest[];
  readonly webhooks: FakeWebhook[];
  readonly subscriptions: FakeSubscription[];
  /** The DMs X accepted (refused attempts are in `requests` only), oldest first. */
  sentDirectMessages(): SentDirectMessage[];
  /** Makes the next DM send fail once as described. Calls queue up. */
  failNext(failure: XFailure): void;
  /** The DM event ids X deleted (refused attempts are in `requests` only), oldest first. */
  deletedDmEvents(): string[];
  /** Makes the next DM event deletion fail once with this HTTP status. Calls queue up. */
  failNextDelete(status: number): void;
  /** A refresh token as `npm run x:authorise` would obtain (the force account approved the app). */
  issueRefreshToken(): string;
  /** The refresh token the fake would accept now (the newest of the chain), if any. */
  currentRefreshToken(): string | undefined;
  /** Makes every access token issued so far stop working at once (as if X revoked or expired them). */
  expireAccessTokens(): void;
  /** Lifetime of access tokens issued from now on, in seconds (X's is 7200). */
  setAccessTokenLifetime(seconds: number): void;
  /** The force account approves an authorise URL the bot printed: returns the code X would pass to the redirect URI. */
  approve(authoriseUrl: string): { code: string; state: string };
  /** Posts a signed DM delivery to `webhookUrl` as X would. */
  deliver(webhookUrl: string, options: DeliveryOptions): Promise<Response>;
  /** Posts a signed encrypted X Chat event (`chat.received`) to `webhookUrl`. */
  deliverEncryptedChat(webhookUrl: string, senderId: string): Promise<Response>;
  close(): Promise<void>;
}

const V1_DM_PATH = '/1.1/direct_messages/events/new.json';
const V2_DM_PATH = /^\/2\/dm_conversations\/with\/(\d+)\/messages$/;
/** The scopes the bot asks for; a token without `dm.write` cannot send. */
const SCOPES = 'dm.read dm.write tweet.read users.read offline.access';

const DEFAULT_MESSAGES: Record<number, string> = {
  349: 'You cannot send messages to this user.',
  150: 'You cannot send messages to users who are not following you.',
  131: 'Internal error',
};

/** Options of {@link startFakeXApi}. */
export interface FakeXApiOptions {
  /** The force's account: X names it as the sender of every DM it accepts. */
  readonly accountId?: string;
  /** The app's consumer secret: signs challenges and deliveries. */
  readonly consumerSecret?: string;
  readonly consumerKey?: string;
  /** The OAuth 2.0 client the force registered. */
  readonly clientId?: string;
  readonly clientSecret?: string;
}

/** Starts the fake on a free port. */
export async function startFakeXApi({
  accountId = '4337869213',
  consumerSecret = 'test-consumer-secret',
  consumerKey = 'test-consumer-key',
  clientId = 'test-client-id',
  clientSecret = 'test-client-secret',
}: FakeXApiOptions = {}): Promise<FakeXApi> {
  const requests: RecordedXRequest[] = [];
  const accepted: SentDirectMessage[] = [];
  const failures: XFailure[] = [];
  const deleteFailures: number[] = [];
  const deleted: string[] = [];
  const webhooks: FakeWebhook[] = [];
  const subscriptions: FakeSubscription[] = [];
  /** Access tokens that work now, with when they stop (ms). */
  const accessTokens = new Map<string, number>();
  const appTokens = new Set<string>();
  /** Every refresh token ever issued; only the newest of its chain is accepted, once. */
  const liveRefreshTokens = new Set<string>();
  let newestRefreshToken: string | undefined;
  const pendingCodes = new Map<string, { challenge: string; redirectUri: string }>();
  let accessLifetimeSeconds = 7200;
  let nextId = 1_000_000_000_000_000_000n;
  const newId = () => String(++nextId);
  const token = (kind: string) => `${kind}-${randomBytes(12).toString('hex')}`;

  const issueTokens = () => {
    const access = token('access');
    accessTokens.set(access, Date.now() + accessLifetimeSeconds * 1000);
    const refresh = token('refresh');
    liveRefreshTokens.clear();
    liveRefreshTokens.add(refresh);
    newestRefreshToken = refresh;
    return { token_type: 'bearer', expires_in: accessLifetimeSeconds, access_token: access, scope: SCOPES, refresh_token: refresh };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, text: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const contentType = req.headers['content-type'] ?? '';
    let body: unknown = text;
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      body = Object.fromEntries(new URLSearchParams(text));
    } else {
      try {
        body = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        // keep the raw text
      }
    }
    const authorization = req.headers.authorization ?? '';
    const bearer = authorization.startsWith('Bearer ') ? authorization.slice(7) : undefined;
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      oauth: authorization.startsWith('OAuth ') && authorization.includes('oauth_signature='),
      ...(bearer !== undefined && { bearer }),
    });

    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    const unauthorised = () => send(401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
    const userToken = bearer !== undefined && (accessTokens.get(bearer) ?? 0) > Date.now();
    const appToken = bearer !== undefined && appTokens.has(bearer);
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const method = req.method ?? 'GET';
    const path = url.pathname;

    // Deleting one of the account's own DM events, with the user context (OAuth 2.0 user token or OAuth 1.0a).
    const deletion = /^\/2\/dm_events\/(\d{1,19})$/.exec(path);
    if (method === 'DELETE' && deletion?.[1] !== undefined) {
      const status = deleteFailures.shift();
      if (!userToken && !authorization.startsWith('OAuth ')) unauthorised();
      else if (status !== undefined) send(status, { title: 'Simulated failure', status, detail: 'Simulated failure' });
      else {
        deleted.push(deletion[1]);
        send(200, { data: { deleted: true } });
      }
      return;
    }

    // OAuth 2.0 user tokens: authorisation code with PKCE, or a refresh token (rotated: each works once).
    if (method === 'POST' && path === '/2/oauth2/token') {
      if (!contentType.startsWith('application/x-www-form-urlencoded')) {
        send(400, { error: 'invalid_request', error_description: 'Missing required parameter [grant_type].' });
        return;
      }
      const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
      if (authorization !== `Basic ${basic}` || fields.client_id !== clientId) {
        send(401, { error: 'unauthorized_client', error_description: 'Missing valid authorization header' });
        return;
      }
      if (fields.grant_type === 'refresh_token') {
        const presented = String(fields.refresh_token ?? '');
        if (!liveRefreshTokens.has(presented)) {
          send(400, { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' });
          return;
        }
        send(200, issueTokens());
        return;
      }
      if (fields.grant_type === 'authorization_code') {
        const pending = pendingCodes.get(String(fields.code ?? ''));
        const verifier = String(fields.code_verifier ?? '');
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (pending === undefined || pending.challenge !== challenge || pending.redirectUri !== fields.redirect_uri) {
          send(400, { error: 'invalid_request', error_description: 'Value passed for the authorization code was invalid.' });
          return;
        }
        pendingCodes.delete(String(fields.code));
        send(200, issueTokens());
        return;
      }
      send(400, { error: 'unsupported_grant_type' });
      return;
    }

    // App-only bearer token (for webhook registration).
    if (method === 'POST' && path === '/oauth2/token') {
      const basic = Buffer.from(`${encodeURIComponent(consumerKey)}:${encodeURIComponent(consumerSecret)}`).toString('base64');
      if (authorization !== `Basic ${basic}`) {
        send(403, { errors: [{ code: 99, message: 'Unable to verify your credentials' }] });
        return;
      }
      const app = token('app');
      appTokens.add(app);
      send(200, { token_type: 'bearer', access_token: app });
      return;
    }

    if (path === '/2/webhooks' || path.startsWith('/2/webhooks/')) {
      if (!appToken) return unauthorised();
      const id = path.split('/')[3];
      if (method === 'GET' && id === undefined) {
        send(200, { data: webhooks, meta: { result_count: webhooks.length } });
        return;
      }
      if (method === 'POST' && id === undefined) {
        const target = String(fields.url ?? '');
        if (!(await passesChallenge(target))) {
          send(400, { errors: [{ message: 'CRC validation failed', code: 214 }], title: 'Invalid Request', detail: 'CRC validation failed' });
          return;
        }
        const webhook: FakeWebhook = { id: newId(), url: target, valid: true, created_at: new Date().toISOString() };
        webhooks.push(webhook);
        send(200, { data: webhook });
        return;
      }
      if (method === 'PUT' && id !== undefined) {
        const webhook = webhooks.find((w) => w.id === id);
        if (webhook === undefined) return send(404, { title: 'Not Found', status: 404 });
        webhook.valid = await passesChallenge(webhook.url);
        send(200, { data: { valid: webhook.valid } });
        return;
      }
      if (method === 'DELETE' && id !== undefined) {
        const index = webhooks.findIndex((w) => w.id === id);
        if (index < 0) return send(404, { title: 'Not Found', status: 404 });
        webhooks.splice(index, 1);
        send(200, { data: { deleted: true } });
        return;
      }
    }

    // X Activity API subscriptions: DM events are private, so a user token is required.
    if (path === '/2/activity/subscriptions' || path.startsWith('/2/activity/subscriptions/')) {
      if (!userToken) return unauthorised();
      const id = path.split('/')[4];
      if (method === 'GET' && id === undefined) {
        send(200, { data: subscriptions, meta: { total_subscriptions: subscriptions.length } });
        return;
      }
      if (method === 'POST' && id === undefined) {
        const filter = (fields.filter ?? {}) as { user_id?: unknown };
        const webhookId = typeof fields.webhook_id === 'string' ? fields.webhook_id : undefined;
        if (typeof fields.event_type !== 'string' || typeof filter.user_id !== 'string') {
          send(400, { title: 'Invalid Request', detail: 'event_type and filter.user_id are required' });
          return;
        }
        if (filter.user_id !== accountId) {
          send(403, { title: 'Forbidden', detail: 'Private events need the authorisation of the user they are about' });
          return;
        }
        if (webhookId !== undefined && !webhooks.some((w) => w.id === webhookId)) {
          send(400, { title: 'Invalid Request', detail: 'webhook_id not found' });
          return;
        }
        const now = new Date().toISOString();
        const subscription: FakeSubscription = {
          subscription_id: newId(),
          event_type: fields.event_type,
          filter: { user_id: filter.user_id },
          ...(typeof fields.tag === 'string' && { tag: fields.tag }),
          ...(webhookId !== undefined && { webhook_id: webhookId }),
          created_at: now,
          updated_at: now,
        };
        subscriptions.push(subscription);
        send(200, { data: { subscription, total_subscriptions_for_instance_id: subscriptions.length } });
        return;
      }
      if (method === 'DELETE' && id !== undefined) {
        const index = subscriptions.findIndex((s) => s.subscription_id === id);
        if (index < 0) return send(404, { title: 'Not Found', status: 404 });
        subscriptions.splice(index, 1);
        send(200, { data: { deleted: true } });
        return;
      }
    }

    if (method === 'GET' && path === '/2/users/me') {
      if (!userToken) return unauthorised();
      send(200, { data: { id: accountId, name: 'Example Police', username: 'ExamplePolice' } });
      return;
    }

    const v2 = V2_DM_PATH.exec(path);
    if (method === 'POST' && v2 !== null) {
      if (!userToken) return unauthorised();
      if (failIfAsked(send)) return;
      const dmText = fields.text;
      if (typeof dmText !== 'string' || dmText.length === 0) {
        send(400, { title: 'Invalid Request', detail: 'One of text or attachments is required' });
        return;
      }
      const eventId = newId();
      accepted.push({ api: 'v2', recipientId: v2[1] as string, text: dmText, eventId });
      send(201, { data: { dm_conversation_id: `${accountId}-${v2[1]}`, dm_event_id: eventId } }, rateHeaders());
      return;
    }

    if (method === 'POST' && path === V1_DM_PATH) {
      if (!authorization.startsWith('OAuth ')) {
        send(401, { errors: [{ code: 32, message: 'Could not authenticate you.' }] });
        return;
      }
      if (failIfAsked(send)) return;
      const event = (body as { event?: { message_create?: { target?: { recipient_id?: string }; message_data?: Record<string, unknown> } } } | undefined)?.event;
      const recipientId = event?.message_create?.target?.recipient_id;
      const messageData = event?.message_create?.message_data;
      if (recipientId === undefined || messageData === undefined || typeof messageData.text !== 'string') {
        send(400, { errors: [{ code: 214, message: 'event.message_create.target: recipient_id is required.' }] });
        return;
      }
      const eventId = newId();
      accepted.push({
        api: 'v1.1',
        recipientId,
        text: messageData.text,
        eventId,
        ...(messageData.quick_reply === undefined ? {} : { quickReply: messageData.quick_reply as SentDirectMessage['quickReply'] }),
      });
      send(200, {
        event: {
          type: 'message_create',
          id: eventId,
          created_timestamp: String(Date.now()),
          message_create: {
            target: { recipient_id: recipientId },
            sender_id: accountId,
            message_data: { ...messageData, entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] } },
          },
        },
      }, rateHeaders());
      return;
    }

    send(404, { errors: [{ code: 34, message: 'Sorry, that page does not exist.' }] });
  }

  function failIfAsked(send: (status: number, payload: unknown, headers?: Record<string, string>) => void): boolean {
    const failure = failures.shift();
    if (failure === undefined) return false;
    if ('resetInSeconds' in failure) {
      const reset = Math.floor(Date.now() / 1000) + failure.resetInSeconds;
      send(429, { errors: [{ code: 88, message: 'Rate limit exceeded' }] }, {
        'x-rate-limit-limit': '15000',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(reset),
      });
    } else {
      send(failure.status, { errors: [{ code: failure.code, message: failure.message ?? DEFAULT_MESSAGES[failure.code] ?? 'Error' }] });
    }
    return true;
  }

  /** X's check of a webhook: a challenge with a fresh token, answered with its HMAC under the consumer secret. */
  async function passesChallenge(target: string): Promise<boolean> {
    const crcToken = randomBytes(36).toString('base64url');
    try {
      const response = await fetch(`${target}?crc_token=${crcToken}&nonce=${randomBytes(8).toString('base64url')}`);
      if (response.status !== 200) return false;
      const answer = (await response.json()) as { response_token?: unknown };
      return answer.response_token === `sha256=${createHmac('sha256', consumerSecret).update(crcToken).digest('base64')}`;
    } catch {
      return false;
    }
  }

  const rateHeaders = () => ({ 'x-rate-limit-limit': '15000', 'x-rate-limit-remaining': '14999', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 86_400) });

  const postSigned = (webhookUrl: string, payload: unknown, signWith = consumerSecret) => {
    const raw = JSON.stringify(payload);
    return fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': `sha256=${createHmac('sha256', signWith).update(raw).digest('base64')}` },
      body: raw,
    });
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    webhooks,
    subscriptions,
    sentDirectMessages: () => [...accepted],
    deletedDmEvents: () => [...deleted],
    failNextDelete(status) {
      deleteFailures.push(status);
    },
    failNext(failure) {
      failures.push(failure);
    },
    issueRefreshToken: () => issueTokens().refresh_token,
    currentRefreshToken: () => (newestRefreshToken !== undefined && liveRefreshTokens.has(newestRefreshToken) ? newestRefreshToken : undefined),
    expireAccessTokens() {
      accessTokens.clear();
    },
    setAccessTokenLifetime(seconds) {
      accessLifetimeSeconds = seconds;
    },
    approve(authoriseUrl) {
      const params = new URL(authoriseUrl).searchParams;
      if (params.get('client_id') !== clientId || params.get('code_challenge_method') !== 's256' || params.get('response_type') !== 'code') {
        throw new Error('not an authorise URL for this client');
      }
      const code = token('code');
      pendingCodes.set(code, { challenge: params.get('code_challenge') ?? '', redirectUri: params.get('redirect_uri') ?? '' });
      return { code, state: params.get('state') ?? '' };
    },
    deliver(webhookUrl, { api, senderId, text, quickReplyMetadata, eventId = newId(), signWith }) {
      const recipientId = senderId === accountId ? '2222222222222222222' : accountId;
      const dm = {
        type: 'message_create',
        id: eventId,
        created_timestamp: String(Date.now()),
        message_create: {
          target: { recipient_id: recipientId },
          sender_id: senderId,
          message_data: {
            text: text ?? '',
            entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] },
            ...(quickReplyMetadata !== undefined && { quick_reply_response: { type: 'options', metadata: quickReplyMetadata } }),
          },
        },
      };
      const payload =
        api === 'account-activity'
          ? { for_user_id: accountId, direct_message_events: [dm], users: {} }
          : {
              data: {
                event_uuid: String(-Number(newId().slice(-12))),
                filter: { user_id: accountId },
                event_type: senderId === accountId ? 'dm.sent' : 'dm.received',
                tag: 'dm',
                payload: { direct_message_events: [dm], users: {} },
              },
            };
      return postSigned(webhookUrl, payload, signWith);
    },
    deliverEncryptedChat(webhookUrl, senderId) {
      return postSigned(webhookUrl, {
        data: {
          event_uuid: String(-Number(newId().slice(-12))),
          filter: { user_id: accountId },
          event_type: 'chat.received',
          tag: 'dm',
          payload: {
            conversation_id: `${senderId}:${accountId}`,
            sender_id: senderId,
            encrypted_content: randomBytes(48).toString('base64'),
            encoded_event: randomBytes(32).toString('base64'),
          },
        },
      });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** What {@link xChannelEnv} sets beyond the fake's address. */
export interface XChannelEnvOptions {
  readonly accountId?: string;
  readonly consumerSecret?: string;
  /** The OAuth 2.0 refresh token from the one-time authorisation (v2 replies, the default); a fresh one from the fake when omitted. */
  readonly refreshToken?: string;
  /** `true`: v1.1 DMs with quick replies (OAuth 1.0a access token and secret). */
  readonly quickReplies?: boolean;
  /** Where the bot keeps its newest tokens without Redis; a fresh temporary file when omitted. */
  readonly tokenFile?: string;
}

/**
 * The environment that turns the X channel on against this fake, as an
 * operator would set it: v2 replies with the OAuth 2.0 client and refresh
 * token by default, or v1.1 quick replies with the OAuth 1.0a access token.
 */
export function xChannelEnv(
  x: Pick<FakeXApi, 'url' | 'issueRefreshToken'>,
  {
    accountId = '4337869213',
    consumerSecret = 'test-consumer-secret',
    refreshToken = x.issueRefreshToken(),
    quickReplies = false,
    tokenFile = join(tmpdir(), `x-oauth2-token-${process.pid}-${randomBytes(6).toString('hex')}.json`),
  }: XChannelEnvOptions = {},
): Record<string, string> {
  return {
    TWITTER_TOKEN_FILE: tokenFile,
    TWITTER_CONSUMER_KEY: 'test-consumer-key',
    TWITTER_CONSUMER_SECRET: consumerSecret,
    TWITTER_USER_ID: accountId,
    TWITTER_API_ROOT: x.url,
    ...(quickReplies
      ? { TWITTER_QUICK_REPLIES: 'true', TWITTER_ACCESS_TOKEN: 'test-access-token', TWITTER_ACCESS_SECRET: 'test-access-secret' }
      : { TWITTER_OAUTH2_CLIENT_ID: 'test-client-id', TWITTER_OAUTH2_CLIENT_SECRET: 'test-client-secret', TWITTER_OAUTH2_REFRESH_TOKEN: refreshToken }),
  };
}
