import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeTelegramApi } from '../../support/fake-telegram-api.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../../scripts/telegram-set-webhook.ts', import.meta.url));
const SECRET = 'deploy-secret_9f8e7d6c5b4a';

const apis: FakeTelegramApi[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.close();
});

async function runScript(env: Record<string, string>, args: string[]) {
  const { TELEGRAM_BOT_TOKEN: _t, TELEGRAM_WEBHOOK_SECRET: _s, TELEGRAM_API_ROOT: _r, ...inherited } = process.env;
  return run(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { env: { ...inherited, ...env }, timeout: 20_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

describe('scripts/telegram-set-webhook.ts', () => {
  it('registers the webhook with the secret, the bot\'s update kinds and pending updates kept, and prints no token', async () => {
    const api = await new FakeTelegramApi().start();
    apis.push(api);
    const result = await runScript(
      { TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: api.url },
      ['https://bot.example.police.uk/'],
    );
    expect(result.code).toBe(0);
    expect(api.calls('setWebhook')[0]?.body).toEqual({
      url: 'https://bot.example.police.uk/webhooks/telegram',
      secret_token: SECRET,
      allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
      drop_pending_updates: false,
    });
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, url: 'https://bot.example.police.uk/webhooks/telegram' });
    for (const secret of [api.token, SECRET]) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('fails without the token, with a plain-http base URL, or when Telegram refuses, without printing the token', async () => {
    const api = await new FakeTelegramApi().start();
    apis.push(api);
    const missing = await runScript({ TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: api.url }, ['https://bot.example.police.uk']);
    expect(missing.code).toBe(2);
    const plain = await runScript({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: api.url }, ['http://bot.example.police.uk']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/https/);
    const wrongToken = '987654321:AAWrongTokenWrongTokenWrongToken12';
    const refused = await runScript({ TELEGRAM_BOT_TOKEN: wrongToken, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: api.url }, ['https://bot.example.police.uk']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/401/);
    expect(refused.stdout + refused.stderr).not.toContain(wrongToken);
    expect(api.calls('setWebhook').filter((call) => call.authorised)).toEqual([]);
  });

  it('sends the bot token over plain http only to a loopback API root', async () => {
    const api = await new FakeTelegramApi().start();
    apis.push(api);
    // 0.0.0.0 is not a loopback address, but connecting to it reaches this machine: here, the fake API.
    const elsewhere = api.url.replace('127.0.0.1', '0.0.0.0');
    const result = await runScript({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: elsewhere }, ['https://bot.example.police.uk']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/TELEGRAM_API_ROOT must use https/);
    expect(api.calls('setWebhook').length + api.calls('getWebhookInfo').length).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(api.token);
  });
});
