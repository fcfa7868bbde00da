import { afterEach, describe, expect, it } from 'vitest';
import { Telegram, TelegramError } from 'telegraf';
import { FakeTelegramApi } from '../../support/fake-telegram-api.js';

const apis: FakeTelegramApi[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.close();
});

async function start() {
  const api = await new FakeTelegramApi().start();
  apis.push(api);
  return { api, telegram: new Telegram(api.token, { apiRoot: `${api.url}/`, webhookReply: false }) };
}

describe('FakeTelegramApi', () => {
  it('records JSON and multipart bodies alike', async () => {
    const { api } = await start();
    const form = new FormData();
    form.set('chat_id', '42');
    form.set('text', 'multipart hello');
    form.set('reply_markup', JSON.stringify({ inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] }));
    form.set('document', new Blob(['%PDF']), 'evidence.pdf');
    const response = await fetch(`${api.url}/bot${api.token}/sendMessage`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    expect(api.calls('sendMessage')[0]).toMatchObject({
      encoding: 'multipart',
      body: { chat_id: '42', text: 'multipart hello', reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] }, document: { file: true } },
    });
  });

  it('answers failures in Telegram\'s shapes, once each', async () => {
    const { api, telegram } = await start();
    api.failNext('sendMessage', { status: 429, retryAfter: 7 });
    const limited = await telegram.sendMessage(1, 'x').catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(TelegramError);
    expect((limited as TelegramError).code).toBe(429);
    expect((limited as TelegramError).parameters?.retry_after).toBe(7);
    await expect(telegram.sendMessage(1, 'x')).resolves.toMatchObject({ text: 'x' });
  });

  it('refuses a wrong token and getUpdates while a webhook is set', async () => {
    const { api, telegram } = await start();
    await expect(new Telegram('1:wrong', { apiRoot: `${api.url}/` }).getMe()).rejects.toMatchObject({ code: 401 });
    api.setWebhookUrl('https://bot.example.police.uk/webhooks/telegram');
    await expect(telegram.getUpdates(0, 100, 0, undefined)).rejects.toMatchObject({ code: 409 });
  });
});
