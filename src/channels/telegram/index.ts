import { Telegraf, TelegramError } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import type { ChannelAdapter, ChannelContext } from '../channel.js';
import { ChannelStartError, ConfigError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/index.js';
import type { RetryOptions } from '../send-with-retry.js';
import { MemoryBlockedChats, type BlockedChats } from './blocked-chats.js';
import { BotApiClient } from './client.js';
import { TelegramPoller, type TelegrafSignal } from './polling.js';
import { createTelegramClearer } from './clearer.js';
import { TelegramSender } from './sender.js';
import { BackgroundCalls, createUpdateHandler, NoticedChats } from './update-handler.js';
import { registerWebhookRoute } from './webhook.js';

export { MemoryBlockedChats, type BlockedChats } from './blocked-chats.js';
export { ALLOWED_UPDATES } from './polling.js';
export { TELEGRAM_WEBHOOK_PATH, SECRET_TOKEN_HEADER } from './webhook.js';

/** How the Telegram channel is set up; only the token is always required. */
export interface TelegramChannelOptions {
  /** The bot token from @BotFather. Never logged. */
  readonly token: string;
  /** The `secret_token` given to `setWebhook`; required in webhook mode. Never logged. */
  readonly webhookSecret?: string;
  /** The Bot API base (a local fake in tests, a local Bot API server in some deployments). */
  readonly apiRoot?: string;
  /** `webhook` in production; `polling` where there is no public HTTPS address. */
  readonly mode?: 'webhook' | 'polling';
  /** Where blocked chats are remembered; use a shared store when several instances run. */
  readonly blockedChats?: BlockedChats;
  /** How persistently to retry a rate-limited send. */
  readonly retry?: RetryOptions;
  /** The bot's own user, if known, which saves the `getMe` call at start-up. */
  readonly botInfo?: UserFromGetMe;
  /** Long-poll time for `getUpdates` in polling mode, in seconds. */
  readonly pollingTimeoutSeconds?: number;
  /** How long a `sendMessage` or `answerCallbackQuery` may stall (no bytes moving) before it fails; default 30 s. */
  readonly requestTimeoutMs?: number;
  /** How long starting (`getMe`, and `deleteWebhook` in polling mode) may take before it counts as failed; default 30 s. */
  readonly startTimeoutMs?: number;
}

/** Telegram's rule for `secret_token`: 1 to 256 of A-Z, a-z, 0-9, `_` and `-`. */
const SECRET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * The Telegram channel: verifies and translates webhook (or polled) updates
 * into inbound events, and sends replies. The calls made on every turn
 * (`sendMessage`, `answerCallbackQuery`) go through the lean
 * {@link BotApiClient} with its one keep-alive agent; telegraf does the rest
 * (`getMe`, polling). telegraf is configured with `webhookReply: false`, so
 * every call goes to the API and its errors are seen, never written into a
 * webhook response.
 */
export function createTelegramChannel({
  token,
  webhookSecret = '',
  apiRoot = 'https://api.telegram.org',
  mode = 'webhook',
  blockedChats = new MemoryBlockedChats(),
  retry,
  botInfo,
  pollingTimeoutSeconds = 50,
  requestTimeoutMs,
  startTimeoutMs = 30_000,
}: TelegramChannelOptions): ChannelAdapter {
  if (token.length === 0) throw new ConfigError('Telegram bot token is missing');
  if (mode === 'webhook' && !SECRET_TOKEN_PATTERN.test(webhookSecret)) {
    throw new ConfigError('Telegram webhook secret is missing or not 1-256 characters of A-Z, a-z, 0-9, _ and -');
  }
  const bot = new Telegraf(token, { telegram: { webhookReply: false, apiRoot: withTrailingSlash(apiRoot) } });
  if (botInfo) bot.botInfo = botInfo;
  const api = new BotApiClient({ token, apiRoot: withTrailingSlash(apiRoot), ...(requestTimeoutMs !== undefined && { timeoutMs: requestTimeoutMs }) });
  let logger: Logger = silentLogger;
  const sender = new TelegramSender({ api, blockedChats, retry, logger: () => logger });
  const noticedChats = new NoticedChats();
  const background = new BackgroundCalls();
  let poller: TelegramPoller | undefined;

  const handlerFor = (context: ChannelContext) =>
    createUpdateHandler({
      api,
      sender,
      blockedChats,
      noticedChats,
      background,
      context: { dispatch: (event) => context.dispatch(event), notice: (key, hint) => context.notice(key, hint), logger },
      botUsername: () => bot.botInfo?.username,
    });

  const useContext = (context: ChannelContext) => {
    logger = context.logger.child({ channel: 'telegram' });
  };

  return {
    id: 'telegram',
    sender,
    clearer: createTelegramClearer({ api, ...(retry && { retry }) }),
    routes(app, context) {
      useContext(context);
      if (mode !== 'webhook') return;
      registerWebhookRoute(app, { webhookSecret, handle: handlerFor(context), logger });
    },
    /**
     * Checks the token with `getMe` (unless the bot's user was given) and, in
     * polling mode, removes any webhook and starts polling. Either failing is
     * a {@link ChannelStartError} whose reason never includes the token: a
     * channel that cannot reach Telegram must not look as if it were on.
     */
    async start(context) {
      useContext(context);
      const signal = AbortSignal.timeout(startTimeoutMs);
      const failed = (step: string, error: unknown) =>
        new ChannelStartError('telegram', `${step} failed: ${signal.aborted ? `no answer from the Bot API within ${startTimeoutMs / 1000} s` : describeBotApiFailure(error)}`, error);
      if (!bot.botInfo) {
        try {
          bot.botInfo = await bot.telegram.callApi('getMe', {}, { signal: signal as unknown as TelegrafSignal });
        } catch (error) {
          throw failed('getMe', error);
        }
      }
      if (mode !== 'polling' || poller) return;
      const next = new TelegramPoller({ telegram: bot.telegram, handle: handlerFor(context), logger, timeoutSeconds: pollingTimeoutSeconds });
      try {
        await next.start(signal);
      } catch (error) {
        throw failed('deleteWebhook', error);
      }
      poller = next;
    },
    /** Ends polling, lets button-press answers still in flight finish, then closes the Bot API client's connections. */
    async stop() {
      await poller?.stop();
      poller = undefined;
      await background.settled();
      await api.close();
    },
  };
}

/**
 * What went wrong calling the Bot API, safe to log and to show: Telegram's own
 * error code and description, or the network error's code. Never the error's
 * message, which for a network failure is the request URL, token included.
 */
export function describeBotApiFailure(error: unknown): string {
  if (error instanceof TelegramError) {
    const description = error.description.replace(/[^\x20-\x7e]/g, '').slice(0, 120);
    return `the Bot API answered ${error.code}${description ? ` (${description})` : ''}`;
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z_]{2,30}$/.test(code)) return `could not reach the Bot API (${code})`;
  return `could not reach the Bot API (${error instanceof Error ? error.name : 'unknown error'})`;
}

/** A relative method path resolves under the root only if the root ends in `/`. */
function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
