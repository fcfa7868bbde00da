import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/create-app.js';
import { type AllChannelsApp, type channelPeople, type Person, startAllChannels } from '../support/channel-people.js';

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')) as Record<string, any>;

/** The webhook secret {@link startAllChannels} gives Telegram. */
const TELEGRAM_SECRET = 'whole-conversation-secret';

/** A button someone who just follows the buttons presses: an adult who has not paid, heading for the report step. */
const FORWARD = ['next', 'continue', 'safe', 'adult', 'not_paid'];


describe('a whole conversation, from greeting to report, on every channel', () => {
  let all: AllChannelsApp;
  let app: App;
  let people: ReturnType<typeof channelPeople>;

  beforeAll(async () => {
    all = await startAllChannels('whole-conversation');
    ({ app, people } = all);
  });

  afterAll(async () => {
    await all?.close();
  });

  const post = (...args: Parameters<ReturnType<typeof channelPeople>['post']>) => people.post(...args);
  const telegramPerson = (chatId: number) => people.telegramPerson(chatId);
  const botFrameworkPerson = (conversationId: string) => people.botFrameworkPerson(conversationId);
  const xPerson = (userId: string) => people.xPerson(userId);

  /** Greets, then presses the forward button each time until the report step, and returns the texts seen. */
  async function walkToReport(person: Person): Promise<string> {
    await person.say('hi, someone is threatening to share my pics');
    for (let step = 0; step < 12; step++) {
      const last = person.received().at(-1);
      if (last?.text.includes(app.core.renderer.text('report.adult', 'en-GB').slice(0, 40))) break;
      const next = FORWARD.find((id) => last?.choices.includes(id));
      expect(next, `no forward button in: ${last?.text}`).toBeDefined();
      await person.press(next as string);
    }
    return person.received().map((m) => m.text).join('\n\n');
  }

  const expectFullWalk = (all: string) => {
    const en = (key: string) => app.core.renderer.text(key, 'en-GB');
    for (const key of ['welcome.short', 'safety.ask', 'safety.glad', 'age.ask', 'paid.question', 'paid.dontPay', 'contact.stop', 'evidence.save', 'takedown.adult', 'report.adult']) {
      expect(all).toContain(en(key).slice(0, 60));
    }
    expect(all).toContain('101');
    expect(all).toContain('https://www.staffordshire.police.uk/ro/report/ocr/af/how-to-report-a-crime/');
  };

  it('Telegram: webhook in, Bot API out', async () => {
    expectFullWalk(await walkToReport(telegramPerson(5012345678)));
  });

  it('Bot Framework: /api/messages in, connector at the serviceUrl out', async () => {
    expectFullWalk(await walkToReport(botFrameworkPerson('whole-conversation-webchat')));
  });

  it('X: signed DM events in, v1.1 sendDm with quick replies out', async () => {
    expectFullWalk(await walkToReport(xPerson('3001969357')));
  });

  it('answers a crisis message with 999 and Samaritans on every channel', async () => {
    for (const person of [telegramPerson(5099999999), botFrameworkPerson('crisis-webchat'), xPerson('3001969399')]) {
      await person.say('i want to kill myself');
      const text = person.received().map((m) => m.text).join('\n');
      expect(text).toContain('999');
      expect(text).toContain('116 123');
    }
  });

  it('hands over to a call handler and back on every channel, replies reaching the person’s own channel', async () => {
    await app.handoff.sessions.create('alex.handler', Date.now());
    const en = (key: string) => app.core.renderer.text(key, 'en-GB');
    const people: [string, Person][] = [
      ['telegram', telegramPerson(5077777777)],
      ['botframework', botFrameworkPerson('handoff-webchat')],
      ['twitter', xPerson('3001969377')],
    ];
    for (const [channel, person] of people) {
      await person.say('hello');
      await person.say('can i speak to a real person');
      expect(person.received().at(-1)?.text, channel).toBe(en('handoff.queued'));
      const ticket = (await app.desk.queue(Date.now())).find((t) => t.channel === channel && t.status === 'queued');
      expect(ticket, channel).toBeDefined();
      expect(await app.desk.claim(ticket!.id, 'alex.handler', Date.now())).toBe('ok');
      await expect.poll(() => person.received().at(-1)?.text).toBe(en('handoff.joined'));
      // Minutes later in real life: sent outside any request of the person's, through the channel's proactive send.
      expect(await app.desk.reply(ticket!.id, 'alex.handler', `Hello from a call handler on ${channel}`, Date.now())).toBe('ok');
      await expect.poll(() => person.received().at(-1)?.text).toBe(`Hello from a call handler on ${channel}`);
      const before = person.received().length;
      await person.say('thank you, he wants 300 pounds');
      expect(person.received().length, `${channel}: the bot keeps quiet while the handler has the chat`).toBe(before);
      const opened = await app.desk.open(ticket!.id, 'alex.handler', Date.now());
      expect(opened?.transcript.map((e) => e.text)).toContain('thank you, he wants 300 pounds');
      expect(await app.desk.end(ticket!.id, 'alex.handler', Date.now())).toBe('ok');
      await expect.poll(() => person.received().slice(-2).map((m) => m.text)).toEqual([en('handoff.ended'), en('menu.intro')]);
    }
  });

  it('answers a redelivered Telegram update once', async () => {
    const person = telegramPerson(5088888888);
    const update = { update_id: 424242, message: { ...fixture('telegram/private-text.json').message, chat: { id: 5088888888, type: 'private' }, text: 'hello' } };
    await post('/webhooks/telegram', update, { 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET });
    const once = person.received().length;
    await post('/webhooks/telegram', update, { 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET });
    expect(once).toBeGreaterThan(0);
    expect(person.received().length).toBe(once);
  });
});
