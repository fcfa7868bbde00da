import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotCore, type BotCore } from '../../src/app/bot-core.js';
import { type App, createApp } from '../../src/app/create-app.js';
import { readConfig } from '../../src/config/environment.js';
import { silentLogger } from '../../src/core/logger.js';
import { FakeTelegramApi } from '../support/fake-telegram-api.js';
import { localePeople } from '../support/locale-people.js';
import { line, runChatJsonl } from '../support/run-chat.js';

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')) as Record<string, any>;

/** What a person in each language other than English types; the crisis phrase is the first of that language's evaluation set. */
const PEOPLE = Object.fromEntries(localePeople().filter(([locale]) => locale !== 'en-GB'));
const LANGUAGES = Object.keys(PEOPLE);
const crisisPhrase = (locale: string) => fixture(`nlu/${locale}.evaluation.json`).crisis[0] as string;

describe.each(LANGUAGES)('a whole conversation in %s', (locale) => {
  let core: BotCore;
  const person = PEOPLE[locale]!;
  const said = (key: string) => core.renderer.text(key, locale);

  beforeAll(async () => {
    core = await createBotCore();
  });

  it('works through the terminal chat: welcome, crisis, asking for a person, and erasure', async () => {
    const { code, outputs } = await runChatJsonl([
      line({ user: 'p', text: person.hello, locale }),
      line({ user: 'p', text: crisisPhrase(locale), locale }),
      line({ user: 'p', text: person.human, locale }),
      line({ user: 'p', text: person.erase, locale }),
      line({ user: 'p', choice: 'yes', locale }),
    ]);
    expect(code).toBe(0);
    const at = (turn: number) => outputs.filter((o) => o.turn === turn).map((o) => o.text);
    expect(at(1)).toEqual([said('welcome.short'), said('safety.ask')]);
    const crisis = at(2).join('\n');
    // Crisis is answered first: the turn's first message already gives the numbers.
    expect(at(2)[0]).toMatch(/999|116 123/);
    expect(crisis).toContain('116 123');
    expect(crisis).toContain('999');
    // The terminal chat has no call handlers: the person is told plainly, in their language, how else to reach the force.
    expect(at(3)).toContain(said('handoff.unavailable.closed'));
    expect(at(4)).toContain(said('delete.confirm'));
    expect(at(5)).toContain(said('delete.done'));
    // Labels are in the language too.
    expect(outputs.find((o) => o.turn === 4)?.choices.map((c) => c.label)).toEqual([said('choice.yes'), said('choice.no')]);
  });

  it('switches to the language when it is named, from English, and remembers it', async () => {
    const name = core.renderer.text('language.nativeName', locale);
    const { outputs } = await runChatJsonl([
      line({ user: 'q', text: 'hello' }),
      line({ user: 'q', text: name }),
      line({ user: 'q', text: 'menu' }),
    ]);
    expect(outputs.filter((o) => o.turn === 1).map((o) => o.text)).toContain(core.renderer.text('welcome.short', 'en-GB'));
    expect(outputs.filter((o) => o.turn === 2).map((o) => o.text)).toContain(said('language.changed'));
    expect(outputs.filter((o) => o.turn === 3).map((o) => o.text)).toContain(said('menu.intro'));
  });
});

describe('the same conversation on Telegram, in every language but English, with a call handler', () => {
  let api: FakeTelegramApi;
  let app: App;
  let base: string;
  const SECRET = 'languages-test-secret';

  beforeAll(async () => {
    api = await new FakeTelegramApi().start();
    app = await createApp(
      readConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        TELEGRAM_BOT_TOKEN: api.token,
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_ROOT: api.url,
        HANDOFF_HOURS: 'always',
        HANDLERS_FILE: `/tmp/languages-test-handlers-${process.pid}.json`,
      }),
      { logger: silentLogger },
    );
    base = await app.listen();
    // A call handler is signed in, so a person can be queued.
    await app.handoff.sessions.create('sam.handler', Date.now());
  });

  afterAll(async () => {
    await app?.close();
    await api?.close();
  });

  it.each(LANGUAGES)('%s: crisis, handoff to a call handler and back, and erasure', async (locale) => {
    const chatId = 6100000001 + LANGUAGES.indexOf(locale);
    const template = fixture('telegram/private-text.json');
    let updateId = (chatId % 100) * 100_000;
    const send = async (text: string) => {
      const message = { ...template.message, chat: { ...template.message.chat, id: chatId }, from: { ...template.message.from, id: chatId, language_code: locale }, text };
      const res = await fetch(`${base}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify({ update_id: ++updateId, message }),
      });
      expect(res.status).toBe(200);
    };
    const received = () => api.calls('sendMessage').filter((c) => String(c.body.chat_id) === String(chatId)).map((c) => String(c.body.text));
    const said = (key: string) => app.core.renderer.text(key, locale);
    const last = () => received().at(-1);

    await send(PEOPLE[locale]!.hello);
    expect(received()).toEqual([said('welcome.short'), said('safety.ask')]);
    await send(crisisPhrase(locale));
    expect(received().join('\n')).toContain('116 123');
    // A crisis queues the person automatically, and they are told in their language.
    expect(received()).toContain(said('handoff.queuedAfterRisk'));

    const ticket = (await app.desk.queue(Date.now())).find((t) => t.locale === locale);
    expect(ticket?.flags.crisis).toBe(true);
    expect(await app.desk.claim(ticket!.id, 'sam.handler', Date.now())).toBe('ok');
    await expect.poll(last).toBe(said('handoff.joined'));
    expect(await app.desk.reply(ticket!.id, 'sam.handler', 'Rydw i yma / Jestem tutaj', Date.now())).toBe('ok');
    await expect.poll(last).toBe('Rydw i yma / Jestem tutaj');
    expect(await app.desk.end(ticket!.id, 'sam.handler', Date.now())).toBe('ok');
    await expect.poll(() => received().slice(-2)).toEqual([said('handoff.ended'), said('menu.intro')]);

    await send(PEOPLE[locale]!.erase);
    expect(last()).toBe(said('delete.confirm'));
    const press = fixture('telegram/callback-query.json');
    const res = await fetch(`${base}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify({ update_id: ++updateId, callback_query: { ...press.callback_query, from: { ...press.callback_query.from, id: chatId, language_code: locale }, message: { ...press.callback_query.message, chat: { ...press.callback_query.message.chat, id: chatId } }, data: 'yes' } }),
    });
    expect(res.status).toBe(200);
    expect(last()).toBe(said('delete.done'));
    expect(await app.core.store.read(`telegram:${chatId}`)).toBeUndefined();
  });
});
