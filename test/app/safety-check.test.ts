import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/create-app.js';
import { readConfig } from '../../src/config/environment.js';
import { silentLogger } from '../../src/core/logger.js';
import { FakeTelegramApi } from '../support/fake-telegram-api.js';

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')) as Record<string, any>;
const SECRET = 'safety-check-secret';

/**
 * "No answer at all" to "are you safe right now?" is treated as possible
 * risk: the whole service, over a real webhook and the real inbox, checks on
 * the person when the wait is over. The wait is zero here and the sweep is
 * run by hand, so the test does not depend on timing.
 */
describe('the check on someone who has not answered "are you safe?"', () => {
  let api: FakeTelegramApi;
  let app: App;
  let base: string;
  let updateId = 77_000;

  beforeAll(async () => {
    api = await new FakeTelegramApi().start();
    app = await createApp(
      readConfig({ PORT: '0', HOST: '127.0.0.1', TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: api.url }),
      { logger: silentLogger, core: { safetyCheckMs: 0 } },
    );
    base = await app.listen();
  });

  afterAll(async () => {
    await app?.close();
    await api?.close();
  });

  const say = async (chatId: number, text: string) => {
    const message = fixture('telegram/private-text.json').message;
    const res = await fetch(`${base}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify({ update_id: ++updateId, message: { ...message, message_id: updateId, chat: { ...message.chat, id: chatId }, from: { ...message.from, id: chatId }, text } }),
    });
    expect(res.status).toBe(200);
  };
  const received = (chatId: number) => api.calls('sendMessage').filter((c) => String(c.body.chat_id) === String(chatId)).map((c) => String(c.body.text));
  const en = (key: string) => app.core.renderer.text(key, 'en-GB');

  it('checks on them with 999 and Samaritans, on their own channel, once', async () => {
    const chatId = 5_300_000_001;
    await say(chatId, 'someone is threatening to post my pics');
    expect(received(chatId)).toContain(en('safety.ask'));
    expect(await app.checks.sweep()).toBeGreaterThanOrEqual(1);
    await expect.poll(() => received(chatId).at(-1)).toBe(en('risk.silence.unknown'));
    const check = received(chatId).at(-1) as string;
    expect(check).toContain('999');
    expect(check).toContain('116 123');
    // Taken once: a second sweep finds nothing more for them.
    const count = received(chatId).length;
    await app.checks.sweep();
    await new Promise((r) => setTimeout(r, 200));
    expect(received(chatId)).toHaveLength(count);
  });

  it('says nothing more to someone who answered in time', async () => {
    const chatId = 5_300_000_002;
    await say(chatId, 'someone is threatening to post my pics');
    await say(chatId, 'yeah im safe');
    const count = received(chatId).length;
    await app.checks.sweep();
    await new Promise((r) => setTimeout(r, 200));
    expect(received(chatId)).toHaveLength(count);
  });
});
