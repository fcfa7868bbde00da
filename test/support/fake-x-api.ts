/**
 * A fake of the part of the X API the bot calls, on 127.0.0.1, for tests that
 * must see exactly what would have reached X. It answers
 * `POST /1.1/direct_messages/events/new.json` as X does (the created
 * `message_create` event) and `DELETE /2/dm_events/:event_id` (`{ data: { deleted: true } }`),
 * and records every request.
 *
 * Use:
 *   const x = await startFakeXApi({ accountId: '4337869213' });
 *   createTwitterChannel({ ..., userId: '4337869213', apiRoot: x.url });
 *   x.failNext({ status: 429, resetInSeconds: 2 });   // or { status: 403, code: 349 }
 *   ... x.sentDirectMessages() ...
 *   await x.close();
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake received it. */
export interface RecordedXRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  readonly body: unknown;
  /** Whether an OAuth 1.0a `Authorization` header came with it. */
  readonly oauth: boolean;
}

/** A refusal the fake should give the next time a DM is sent. */
export type XFailure =
  /** Rate limited: 429 with X's `x-rate-limit-*` headers, the window resetting this many seconds from now. */
  | { readonly status: 429; readonly resetInSeconds: number }
  /** Any other refusal, with an X v1.1 error body (`{ errors: [{ code, message }] }`). */
  | { readonly status: number; readonly code: number; readonly message?: string };

/** The `message_create` body the bot sent, as X received it. */
export interface SentDirectMessage {
  /** The id X gave the DM event. */
  readonly id: string;
  readonly recipientId: string;
  readonly text: string;
  readonly quickReply?: { readonly type: string; readonly options: readonly { label: string; metadata?: string; description?: string }[] };
}

/** A running fake X API; see the module comment for a usage example. */
export interface FakeXApi {
  /** Root URL to pass as the channel's `apiRoot`. */
  readonly url: string;
  /** Every request received, oldest first. */
  readonly requests: RecordedXRequest[];
  /** The DMs X accepted (refused attempts are in `requests` only), oldest first. */
  sentDirectMessages(): SentDirectMessage[];
  /** Makes the next DM send fail once as described. Calls queue up. */
  failNext(failure: XFailure): void;
  /** The DM event ids X deleted (refused attempts are in `requests` only), oldest first. */
  deletedDmEvents(): string[];
  /** Makes the next DM event deletion fail once with this HTTP status. Calls queue up. */
  failNextDelete(status: number): void;
  close(): Promise<void>;
}

const DM_PATH = '/1.1/direct_messages/events/new.json';

const DEFAULT_MESSAGES: Record<number, string> = {
  349: 'You cannot send messages to this user.',
  150: 'You cannot send messages to users who are not following you.',
  131: 'Internal error',
};

/**
 * Starts the fake on a free port. `accountId` is the force's account: X names
 * it as the sender of every DM it accepts.
 */
export async function startFakeXApi({ accountId = '4337869213' }: { accountId?: string } = {}): Promise<FakeXApi> {
  const requests: RecordedXRequest[] = [];
  const accepted: SentDirectMessage[] = [];
  const failures: XFailure[] = [];
  const deleteFailures: number[] = [];
  const deleted: string[] = [];
  let nextId = 1_000_000_000_000_000_000n;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        // keep the raw text
      }
      const authorization = req.headers.authorization ?? '';
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        oauth: authorization.startsWith('OAuth ') && authorization.includes('oauth_signature='),
      });

      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(payload));
      };

      const deletion = /^\/2\/dm_events\/(\d{1,19})$/.exec(url.pathname);
      if (req.method === 'DELETE' && deletion?.[1] !== undefined) {
        const status = deleteFailures.shift();
        if (!authorization.startsWith('OAuth ')) send(401, { title: 'Unauthorized', status: 401 });
        else if (status !== undefined) send(status, { title: 'Simulated failure', status, detail: 'Simulated failure' });
        else {
          deleted.push(deletion[1]);
          send(200, { data: { deleted: true } });
        }
        return;
      }
      if (req.method !== 'POST' || url.pathname !== DM_PATH) {
        send(404, { errors: [{ code: 34, message: 'Sorry, that page does not exist.' }] });
        return;
      }
      if (!authorization.startsWith('OAuth ')) {
        send(401, { errors: [{ code: 32, message: 'Could not authenticate you.' }] });
        return;
      }
      const failure = failures.shift();
      if (failure !== undefined) {
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
        return;
      }
      const event = (body as { event?: { message_create?: { target?: { recipient_id?: string }; message_data?: Record<string, unknown> } } } | undefined)?.event;
      const recipientId = event?.message_create?.target?.recipient_id;
      const messageData = event?.message_create?.message_data;
      if (recipientId === undefined || messageData === undefined || typeof messageData.text !== 'string') {
        send(400, { errors: [{ code: 214, message: 'event.message_create.target: recipient_id is required.' }] });
        return;
      }
      nextId++;
      accepted.push({
        id: String(nextId),
        recipientId,
        text: messageData.text,
        ...(messageData.quick_reply === undefined ? {} : { quickReply: messageData.quick_reply as SentDirectMessage['quickReply'] }),
      });
      send(200, {
        event: {
          type: 'message_create',
          id: String(nextId),
          created_timestamp: String(Date.now()),
          message_create: {
            target: { recipient_id: recipientId },
            sender_id: accountId,
            message_data: { ...messageData, entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] } },
          },
        },
      }, { 'x-rate-limit-limit': '15000', 'x-rate-limit-remaining': '14999', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 86_400) });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sentDirectMessages: () => [...accepted],
    deletedDmEvents: () => [...deleted],
    failNextDelete(status) {
      deleteFailures.push(status);
    },
    failNext(failure) {
      failures.push(failure);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * The environment that turns the X channel on against this fake: the five
 * credentials and the API root, as an operator would set them.
 */
export function xChannelEnv(x: Pick<FakeXApi, 'url'>, { accountId = '4337869213', consumerSecret = 'test-consumer-secret' } = {}): Record<string, string> {
  return {
    TWITTER_CONSUMER_KEY: 'test-consumer-key',
    TWITTER_CONSUMER_SECRET: consumerSecret,
    TWITTER_ACCESS_TOKEN: 'test-access-token',
    TWITTER_ACCESS_SECRET: 'test-access-secret',
    TWITTER_USER_ID: accountId,
    TWITTER_API_ROOT: x.url,
  };
}
