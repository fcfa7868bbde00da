/**
 * Registers the bot's webhook with Telegram, once per deployment:
 *
 *   TELEGRAM_BOT_TOKEN=... TELEGRAM_WEBHOOK_SECRET=... tsx scripts/telegram-set-webhook.ts https://bot.example.police.uk
 *
 * TELEGRAM_API_ROOT is optional (a local Bot API server or a test fake).
 * Telegram then posts only the update kinds the bot handles to
 * `<base>/webhooks/telegram` with the secret in `X-Telegram-Bot-Api-Secret-Token`.
 * Pending updates are kept, so nobody who wrote during a deployment is lost.
 * The output never contains the token or the secret.
 */
import { pathToFileURL } from 'node:url';
import { Telegram } from 'telegraf';
import { ALLOWED_UPDATES, TELEGRAM_WEBHOOK_PATH } from '../src/channels/telegram/index.js';
import { isLoopbackUrl } from '../src/core/loopback.js';

/** What {@link setTelegramWebhook} needs. */
export interface SetWebhookOptions {
  readonly token: string;
  readonly secret: string;
  readonly baseUrl: string;
  readonly apiRoot?: string;
}

/** What Telegram reported after the webhook was set, with nothing secret in it. */
export interface SetWebhookResult {
  readonly ok: boolean;
  readonly url: string;
  readonly allowedUpdates: readonly string[];
  readonly pendingUpdateCount: number;
  readonly lastErrorMessage?: string;
}

/**
 * Calls `setWebhook` with the secret token and the bot's update kinds, then
 * `getWebhookInfo`, so the operator sees what Telegram actually stored. The
 * bot token is part of every request's URL, so the API root must be https
 * unless it is on this machine, as the server itself requires.
 */
export async function setTelegramWebhook({ token, secret, baseUrl, apiRoot = 'https://api.telegram.org' }: SetWebhookOptions): Promise<SetWebhookResult> {
  const base = new URL(baseUrl);
  if (base.protocol !== 'https:') throw new Error('The public base URL must use https: Telegram delivers webhooks over HTTPS only');
  if (!apiRoot.startsWith('https://') && !isLoopbackUrl(apiRoot)) {
    throw new Error('TELEGRAM_API_ROOT must use https (plain http only to a loopback address): the bot token is in every request');
  }
  const url = `${base.origin}${base.pathname.replace(/\/+$/, '')}${TELEGRAM_WEBHOOK_PATH}`;
  const telegram = new Telegram(token, { apiRoot: apiRoot.endsWith('/') ? apiRoot : `${apiRoot}/`, webhookReply: false });
  const ok = await telegram.setWebhook(url, {
    secret_token: secret,
    allowed_updates: [...ALLOWED_UPDATES],
    drop_pending_updates: false,
  });
  const info = await telegram.getWebhookInfo();
  return {
    ok,
    url: info.url ?? '',
    allowedUpdates: info.allowed_updates ?? [],
    pendingUpdateCount: info.pending_update_count,
    ...(info.last_error_message ? { lastErrorMessage: info.last_error_message } : {}),
  };
}

async function main(): Promise<void> {
  const token = process.env.TELEGRAM_BOT_TOKEN ?? '';
  const secret = process.env.TELEGRAM_WEBHOOK_SECRET ?? '';
  const apiRoot = process.env.TELEGRAM_API_ROOT || undefined;
  const baseUrl = process.argv[2];
  const redact = (text: string) => [token, secret].filter((value) => value.length > 0).reduce((out, value) => out.replaceAll(value, '[REDACTED]'), text);
  if (!token || !secret || !baseUrl) {
    console.error('Usage: TELEGRAM_BOT_TOKEN=... TELEGRAM_WEBHOOK_SECRET=... [TELEGRAM_API_ROOT=...] telegram-set-webhook <public base URL>');
    process.exitCode = 2;
    return;
  }
  try {
    const result = await setTelegramWebhook({ token, secret, baseUrl, ...(apiRoot ? { apiRoot } : {}) });
    console.log(redact(JSON.stringify(result, null, 2)));
  } catch (error) {
    console.error(redact(`setWebhook failed: ${error instanceof Error ? error.message : String(error)}`));
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
