import type { InlineKeyboardMarkup, Message } from 'telegraf/types';
import { Pool } from 'undici';
import { TelegramApiError, TelegramNetworkError, type TelegramResponseParameters } from './errors.js';

/** Options for {@link BotApiClient}. */
export interface BotApiClientOptions {
  /** The bot token from @BotFather. Only ever put in the request path; never logged or put in an error. */
  readonly token: string;
  /** The Bot API base, e.g. `https://api.telegram.org` or `http://127.0.0.1:8081/prefix/`. */
  readonly apiRoot?: string;
  /** Longest a request may sit with no bytes moving on its socket before it fails with `ETIMEDOUT`. */
  readonly timeoutMs?: number;
  /**
   * How long an idle keep-alive connection is kept. A server's shorter
   * `Keep-Alive: timeout=N` hint wins (Node closes a second early), which
   * avoids reusing a connection the server is about to close.
   */
  readonly idleTimeoutMs?: number;
  /** Cap on concurrent connections to the API; further calls queue for a free one. */
  readonly maxSockets?: number;
}

/** The optional `sendMessage` fields the bot uses. */
export interface SendMessageExtra {
  readonly reply_markup?: InlineKeyboardMarkup;
  readonly [field: string]: unknown;
}

/** Telegram's answer envelope. */
interface BotApiResponse {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly description?: string;
  readonly error_code?: number;
  readonly parameters?: TelegramResponseParameters;
}

/**
 * A lean Bot API client for the calls on the hot path (`sendMessage`,
 * `answerCallbackQuery`): one pool of keep-alive connections (undici, which
 * costs about half the CPU per call of `node:http` and a quarter of
 * telegraf's node-fetch) for the client's lifetime, a JSON body, header and
 * body time-outs, and Telegram's answer parsed
 * into its result or a {@link TelegramApiError}. Failures to get an answer at
 * all become a {@link TelegramNetworkError} that keeps only the error code
 * (`ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`...). Neither kind ever carries
 * the token, the chat id or the text.
 *
 * telegraf stays in use for everything else (polling, `setWebhook`, `getMe`).
 */
export class BotApiClient {
  readonly #pool: Pool;
  /** `<root path>bot<token>/`; a secret, because of the token. */
  readonly #basePath: string;
  #closed = false;

  constructor({ token, apiRoot = 'https://api.telegram.org', timeoutMs = 30_000, idleTimeoutMs = 30_000, maxSockets = 64 }: BotApiClientOptions) {
    if (token.length === 0) throw new Error('Telegram bot token is missing');
    let root: URL;
    try {
      root = new URL(apiRoot);
    } catch {
      throw new Error('Telegram API root is not a valid URL');
    }
    if (root.protocol !== 'https:' && root.protocol !== 'http:') throw new Error('Telegram API root must be an http or https URL');
    // A server's shorter `Keep-Alive: timeout=N` hint wins over idleTimeoutMs (undici closes a second early).
    this.#pool = new Pool(root.origin, {
      connections: maxSockets,
      keepAliveTimeout: idleTimeoutMs,
      keepAliveMaxTimeout: idleTimeoutMs,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connectTimeout: timeoutMs,
    });
    const prefix = root.pathname.endsWith('/') ? root.pathname : `${root.pathname}/`;
    this.#basePath = `${prefix}bot${token}/`;
  }

  /** Sends one text message; resolves to the message Telegram created. */
  sendMessage(chatId: number | string, text: string, extra: SendMessageExtra = {}): Promise<Message.TextMessage> {
    return this.call<Message.TextMessage>('sendMessage', { chat_id: chatId, text, ...extra });
  }

  /** Stops the spinner on a pressed inline button (optionally with a notification text). */
  answerCallbackQuery(callbackQueryId: string, extra: Readonly<Record<string, unknown>> = {}): Promise<true> {
    return this.call<true>('answerCallbackQuery', { callback_query_id: callbackQueryId, ...extra });
  }

  /**
   * Calls any Bot API method with a JSON payload (`undefined` fields are
   * left out). Files are not supported: use telegraf for uploads.
   */
  async call<T>(method: string, payload: Readonly<Record<string, unknown>>): Promise<T> {
    if (this.#closed) throw new TelegramNetworkError(method, 'ERR_CLIENT_CLOSED');
    let status: number;
    let text: string;
    try {
      const response = await this.#pool.request({
        path: this.#basePath + method,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw networkError(method, error);
    }
    let data: BotApiResponse | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && typeof (parsed as BotApiResponse).ok === 'boolean') data = parsed as BotApiResponse;
    } catch {
      // Not Telegram's JSON (e.g. a proxy's HTML error page): reported by status below.
    }
    if (data?.ok === true) return data.result as T;
    const code = typeof data?.error_code === 'number' ? data.error_code : status;
    const description = typeof data?.description === 'string' ? data.description : `HTTP ${status}`;
    const parameters = typeof data?.parameters === 'object' && data.parameters !== null ? data.parameters : undefined;
    throw new TelegramApiError(method, code, description, parameters);
  }

  /** Refuses further calls and closes every connection, idle or busy (calls in flight fail as network errors). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#pool.destroy().catch(() => undefined);
  }
}

/** undici's codes for a transport failure, in the terms the rest of the channel (and its logs) already use. */
const UNDICI_CODES: Readonly<Record<string, string>> = {
  UND_ERR_CONNECT_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_HEADERS_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_BODY_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_SOCKET: 'ECONNRESET',
  UND_ERR_CLOSED: 'ERR_CLIENT_CLOSED',
  UND_ERR_DESTROYED: 'ERR_CLIENT_CLOSED',
};

/** Keeps only the error code of a transport failure: Node's messages can name the address, and a path would hold the token. */
function networkError(method: string, error: unknown): TelegramNetworkError {
  const code = (error as { code?: unknown } | undefined)?.code;
  return new TelegramNetworkError(method, typeof code === 'string' ? (UNDICI_CODES[code] ?? code) : undefined);
}
