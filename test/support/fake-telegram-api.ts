import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Telegram Bot API (`https://api.telegram.org`), for
 * adapter and whole-conversation tests. It answers the methods the bot uses
 * (getMe, sendMessage, answerCallbackQuery, deleteMessages, getUpdates,
 * deleteWebhook, setWebhook, getWebhookInfo) the way Telegram does, records every request,
 * and can be told to fail the next call of a method with Telegram's own error
 * shapes.
 *
 * Usage:
 *   const api = await new FakeTelegramApi().start();
 *   createTelegramChannel({ token: api.token, apiRoot: api.url, ... });
 *   api.failNext('sendMessage', { status: 429, retryAfter: 1 });
 *   api.pushUpdates(update);            // for polling mode
 *   api.calls('sendMessage')            // what the bot sent
 *   const release = api.hold('answerCallbackQuery'); ... release();   // answer later
 *   api.connections                     // TCP connections accepted so far
 *   await api.close();
 */

/** One request as the fake received it. `body` merges query, JSON, url-encoded or multipart fields. */
export interface RecordedTelegramRequest {
  /** The Bot API method, e.g. `sendMessage`. */
  readonly method: string;
  readonly httpMethod: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly encoding: 'json' | 'multipart' | 'urlencoded' | 'none';
  readonly body: Record<string, unknown>;
  /** Whether the token in the path was the fake's own. */
  readonly authorised: boolean;
}

/** An error Telegram may answer with, in its real shape. */
export type TelegramFailure =
  /** Flood control: `Too Many Requests: retry after N`, with `parameters.retry_after` in seconds. */
  | { readonly status: 429; readonly retryAfter: number }
  /** Any other error code with Telegram's description (403 defaults to "bot was blocked by the user"). */
  | { readonly status: number; readonly description?: string };

/** Bot API fields that arrive as JSON strings in form-encoded requests. */
const JSON_FIELDS = new Set(['reply_markup', 'allowed_updates', 'entities', 'link_preview_options', 'reply_parameters']);

/** The token the fake accepts unless told otherwise (the Bot API's documented shape: id, colon, 35 characters). */
export const FAKE_TELEGRAM_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

export class FakeTelegramApi {
  /** Every request received, oldest first. */
  readonly requests: RecordedTelegramRequest[] = [];
  readonly token: string;
  /** The user `getMe` returns. */
  readonly botUser = {
    id: 123456789,
    is_bot: true as const,
    first_name: 'Support Bot',
    username: 'ExampleSupportBot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  };

  readonly #server: Server;
  readonly #failures = new Map<string, TelegramFailure[]>();
  readonly #updates: Record<string, unknown>[] = [];
  readonly #pollers = new Set<() => void>();
  readonly #holds = new Map<string, Promise<void>>();
  readonly #pathPrefix: string;
  #connections = 0;
  #nextMessageId = 1000;
  readonly #created: { chatId: string; messageId: number }[] = [];
  #webhook: { url: string; allowed_updates?: unknown } = { url: '' };

  /**
   * `pathPrefix` (e.g. `/telegram`) serves the API under a path, as a local
   * Bot API server behind a reverse proxy may; `url` then includes it.
   */
  constructor({ token = FAKE_TELEGRAM_TOKEN, pathPrefix = '' }: { token?: string; pathPrefix?: string } = {}) {
    this.token = token;
    this.#pathPrefix = pathPrefix.replace(/\/+$/, '');
    this.#server = createServer((req, res) => {
      void this.#handle(req, res);
    });
    this.#server.on('connection', () => void this.#connections++);
  }

  /** Listens on 127.0.0.1 at a free port. */
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** The API root to give the bot, e.g. `http://127.0.0.1:41234` (plus the path prefix, if any). */
  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${this.#pathPrefix}`;
  }

  /** TCP connections accepted so far (a client that reuses its connection opens one). */
  get connections(): number {
    return this.#connections;
  }

  /**
   * Holds the answers to every call of `method` (each is recorded on arrival)
   * until the returned function is called; then they are answered as usual.
   */
  hold(method: string): () => void {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    this.#holds.set(method, held);
    return () => {
      if (this.#holds.get(method) === held) this.#holds.delete(method);
      release();
    };
  }

  /** The recorded requests for one Bot API method. */
  calls(method: string): RecordedTelegramRequest[] {
    return this.requests.filter((request) => request.method === method);
  }

  /** The ids of the messages `sendMessage` created in one chat, oldest first. */
  sentMessageIds(chatId: number | string): number[] {
    return this.#created.filter((m) => m.chatId === String(chatId)).map((m) => m.messageId);
  }

  /** Makes the next call of `method` fail once with `failure` (queued: call again to fail several). */
  failNext(method: string, failure: TelegramFailure): void {
    const queue = this.#failures.get(method) ?? [];
    queue.push(failure);
    this.#failures.set(method, queue);
  }

  /** Queues updates for `getUpdates` (polling mode) and wakes any long poll. */
  pushUpdates(...updates: Record<string, unknown>[]): void {
    this.#updates.push(...updates);
    for (const wake of this.#pollers) wake();
  }

  /** Pretends a webhook is set, as after a deployment in webhook mode (getUpdates then answers 409). */
  setWebhookUrl(url: string): void {
    this.#webhook = { url };
  }

  /** Resolves once `count` calls of `method` were received, or rejects after `timeoutMs`. */
  async waitFor(method: string, count = 1, timeoutMs = 5000): Promise<RecordedTelegramRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.calls(method).length < count) {
      if (Date.now() > deadline) throw new Error(`fake Telegram API: expected ${count} ${method} call(s), got ${this.calls(method).length}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.calls(method);
  }

  /** Stops listening and drops open (long-poll) connections. */
  async close(): Promise<void> {
    for (const wake of this.#pollers) wake();
    this.#holds.clear();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const pathname = url.pathname.startsWith(`${this.#pathPrefix}/`) ? url.pathname.slice(this.#pathPrefix.length) : '';
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(pathname);
    const raw = await readBody(req);
    const { encoding, body } = parseBody(req.headers['content-type'], raw);
    for (const [key, value] of url.searchParams) body[key] ??= decodeField(key, value);
    const method = match?.[2] ?? '';
    const authorised = match?.[1] === this.token;
    this.requests.push({ method, httpMethod: req.method ?? '', path: url.pathname, headers: req.headers, encoding, body, authorised });

    if (!match) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (!authorised) return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const held = this.#holds.get(method);
    if (held) await held;
    const failure = this.#failures.get(method)?.shift();
    if (failure) return send(res, failure.status, errorBody(failure));
    if (method === 'getUpdates' && this.#webhook.url !== '') {
      return send(res, 409, { ok: false, error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
    }
    const result = await this.#answer(method, body, req);
    if (result === undefined) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    send(res, 200, { ok: true, result });
  }

  async #answer(method: string, body: Record<string, unknown>, req: IncomingMessage): Promise<unknown> {
    switch (method) {
      case 'getMe':
        return this.botUser;
      case 'sendMessage': {
        const chatId = Number(body.chat_id);
        const messageId = this.#nextMessageId++;
        this.#created.push({ chatId: String(body.chat_id), messageId });
        return {
          message_id: messageId,
          from: { id: this.botUser.id, is_bot: true, first_name: this.botUser.first_name, username: this.botUser.username },
          chat: chatId < 0 ? { id: chatId, title: 'Group', type: 'supergroup' } : { id: chatId, first_name: 'Person', type: 'private' },
          date: Math.floor(Date.now() / 1000),
          text: body.text,
          ...(body.reply_markup ? { reply_markup: body.reply_markup } : {}),
        };
      }
      case 'deleteMessages':
      case 'answerCallbackQuery':
      case 'deleteWebhook':
        if (method === 'deleteWebhook') this.#webhook = { url: '' };
        return true;
      case 'setWebhook':
        this.#webhook = { url: String(body.url ?? ''), allowed_updates: body.allowed_updates };
        return true;
      case 'getWebhookInfo':
        return { url: this.#webhook.url, has_custom_certificate: false, pending_update_count: this.#updates.length, allowed_updates: this.#webhook.allowed_updates, max_connections: 40 };
      case 'getUpdates':
        return await this.#getUpdates(body, req);
      default:
        return undefined;
    }
  }

  /** Long polling as Telegram does it: `offset` confirms earlier updates; an empty queue is held up to `timeout` seconds. */
  async #getUpdates(body: Record<string, unknown>, req: IncomingMessage): Promise<unknown[]> {
    const offset = Number(body.offset ?? 0);
    const pending = () => {
      if (offset > 0) {
        while (this.#updates.length > 0 && Number(this.#updates[0]?.update_id) < offset) this.#updates.shift();
      }
      return this.#updates.filter((update) => Number(update.update_id) >= offset).slice(0, Number(body.limit ?? 100));
    };
    const timeoutMs = Number(body.timeout ?? 0) * 1000;
    if (pending().length === 0 && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#pollers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        this.#pollers.add(done);
        req.socket.once('close', done);
      });
    }
    return pending();
  }
}

function errorBody(failure: TelegramFailure): Record<string, unknown> {
  if (failure.status === 429 && 'retryAfter' in failure) {
    return { ok: false, error_code: 429, description: `Too Many Requests: retry after ${failure.retryAfter}`, parameters: { retry_after: failure.retryAfter } };
  }
  const description = 'description' in failure && failure.description !== undefined ? failure.description : defaultDescription(failure.status);
  return { ok: false, error_code: failure.status, description };
}

function defaultDescription(status: number): string {
  if (status === 403) return 'Forbidden: bot was blocked by the user';
  if (status === 400) return 'Bad Request: chat not found';
  return 'Internal Server Error';
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseBody(contentType: string | undefined, raw: Buffer): { encoding: RecordedTelegramRequest['encoding']; body: Record<string, unknown> } {
  const type = (contentType ?? '').toLowerCase();
  if (raw.length === 0) return { encoding: 'none', body: {} };
  if (type.startsWith('application/json')) return { encoding: 'json', body: JSON.parse(raw.toString('utf8')) as Record<string, unknown> };
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const body: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) body[key] = decodeField(key, value);
    return { encoding: 'urlencoded', body };
  }
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (type.startsWith('multipart/form-data') && boundary) {
    return { encoding: 'multipart', body: parseMultipart(raw.toString('utf8'), boundary[1] ?? boundary[2] ?? '') };
  }
  return { encoding: 'none', body: {} };
}

/** Enough of multipart/form-data for Bot API calls: named text fields (files are recorded by name only). */
function parseMultipart(text: string, boundary: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const part of text.split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const headers = part.slice(0, split);
    const name = /name="([^"]+)"/i.exec(headers)?.[1];
    if (!name) continue;
    const value = part.slice(split + 4).replace(/\r\n$/, '');
    body[name] = /filename="/i.test(headers) ? { file: true } : decodeField(name, value);
  }
  return body;
}

function decodeField(name: string, value: string): unknown {
  if (!JSON_FIELDS.has(name)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
