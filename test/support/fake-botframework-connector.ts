import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake connector received. */
export interface RecordedConnectorRequest {
  readonly method: string;
  /** The path as sent, URL-encoded conversation id included. */
  readonly path: string;
  /** The conversation id, decoded, for `/v3/conversations/{id}/activities[/{replyToId}]`. */
  readonly conversationId: string | undefined;
  readonly replyToId: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** How to fail the next request: `429` carries `Retry-After` in seconds, as the real connector sends it. */
export type ConnectorFailure =
  | { readonly status: 429; readonly retryAfterSeconds?: number }
  | { readonly status: 403 | 404 | 500; readonly code?: string };

/**
 * A local stand-in for the Bot Connector service at an activity's
 * `serviceUrl`. It records every request and answers
 * `POST /v3/conversations/{id}/activities[/{replyToId}]` like the real one
 * (`200 { id }`) and `DELETE /v3/conversations/{id}/activities/{activityId}`
 * (`200`), or with a queued failure in the connector's `{ error: { code, message } }` shape.
 *
 * Use: `const connector = await startFakeBotFrameworkConnector()`, put
 * `connector.url` into the activity's `serviceUrl`, read `connector.requests`
 * (or `connector.activities()` for the sent activity bodies), queue failures
 * with `failNext(...)`, and `await connector.close()`.
 */
export class FakeBotFrameworkConnector {
  readonly requests: RecordedConnectorRequest[] = [];
  private readonly failures: ConnectorFailure[] = [];
  private server: Server | undefined;
  private port = 0;
  private nextId = 1;
  private readonly created: { conversationId: string; id: string }[] = [];

  /** Base URL, e.g. `http://127.0.0.1:43123/`, with the trailing slash real service URLs have. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Starts listening on 127.0.0.1 on a free port. */
  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const path = request.url ?? '';
        const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(path);
        this.requests.push({
          method: request.method ?? '',
          path,
          conversationId: match?.[1] === undefined ? undefined : decodeURIComponent(match[1]),
          replyToId: match?.[2] === undefined ? undefined : decodeURIComponent(match[2]),
          headers: request.headers,
          body: text ? (JSON.parse(text) as unknown) : undefined,
        });
        const failure = this.failures.shift();
        if (failure) {
          const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
          if (failure.status === 429) headers['retry-after'] = String(failure.retryAfterSeconds ?? 1);
          const code = failure.status === 429 ? 'TooManyRequests' : (failure.code ?? 'ServiceError');
          response.writeHead(failure.status, headers);
          response.end(JSON.stringify({ error: { code, message: 'Simulated connector failure' } }));
          return;
        }
        if (request.method === 'DELETE' && match?.[2] !== undefined) {
          response.writeHead(200);
          response.end();
          return;
        }
        if (request.method !== 'POST' || !match) {
          response.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
          response.end(JSON.stringify({ error: { code: 'NotFound', message: 'Unknown path' } }));
          return;
        }
        const id = `fake-activity-${this.nextId++}`;
        this.created.push({ conversationId: decodeURIComponent(match[1] ?? ''), id });
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify({ id }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Answers the next request(s) with this failure, in the order queued. */
  failNext(failure: ConnectorFailure, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(failure);
  }

  /** The ids the fake gave the activities POSTed to one conversation, oldest first. */
  createdIds(conversationId: string): string[] {
    return this.created.filter((c) => c.conversationId === conversationId).map((c) => c.id);
  }

  /** The ids of the activities deleted so far, in order, with their conversation ids. */
  deleted(): { conversationId: string | undefined; activityId: string | undefined }[] {
    return this.requests.filter((r) => r.method === 'DELETE').map((r) => ({ conversationId: r.conversationId, activityId: r.replyToId }));
  }

  /** The bodies of the activities POSTed so far. */
  activities(): Record<string, unknown>[] {
    return this.requests.filter((r) => r.method === 'POST').map((r) => r.body as Record<string, unknown>);
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Starts a {@link FakeBotFrameworkConnector}. */
export function startFakeBotFrameworkConnector(): Promise<FakeBotFrameworkConnector> {
  return new FakeBotFrameworkConnector().start();
}
