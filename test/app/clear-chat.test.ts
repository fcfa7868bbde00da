import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/create-app.js';
import { type AllChannelsApp, type channelPeople, type Person, startAllChannels } from '../support/channel-people.js';
import type { FakeBotFrameworkConnector } from '../support/fake-botframework-connector.js';
import type { FakeTelegramApi } from '../support/fake-telegram-api.js';
import type { FakeXApi } from '../support/fake-x-api.js';

/**
 * "Clear this chat" through the whole app on every channel, against fake
 * platforms that record exactly which message ids they were asked to delete.
 */
describe('clear this chat, through the whole app', () => {
  let all: AllChannelsApp;
  let telegramApi: FakeTelegramApi;
  let connector: FakeBotFrameworkConnector;
  let xApi: FakeXApi;
  let app: App;
  let people: ReturnType<typeof channelPeople>;
  const en = (key: string, vars?: Record<string, unknown>) => app.core.renderer.text(key, 'en-GB', vars);

  beforeAll(async () => {
    all = await startAllChannels('clear-chat');
    ({ app, telegramApi, connector, xApi, people } = all);
  });

  afterAll(async () => {
    await all?.close();
  });

  /** Talks a little, asks to clear the chat, and waits for the question. */
  async function askToClear(person: Person, confirmKey: string): Promise<void> {
    await person.say('hi');
    await expect.poll(() => person.received().at(-1)?.choices).toContain('safe');
    await person.press('safe');
    await expect.poll(() => person.received().at(-1)?.choices).toContain('adult');
    await person.say('my mum is coming');
    await expect.poll(() => person.received().at(-1)?.text).toBe(en(confirmKey));
    expect(person.received().at(-1)?.choices).toEqual(['clear_yes', 'clear_silent', 'no']);
  }

  it("Telegram: deletes the person's messages and the bot's, in one deleteMessages call, then leaves one neutral line", async () => {
    const chat = 5044444444;
    const person = people.telegramPerson(chat);
    await askToClear(person, 'clear.confirm');
    const bots = telegramApi.sentMessageIds(chat);
    const typed = person.typedIds().map(Number);
    await person.press('clear_yes');
    await expect.poll(() => person.received().at(-1)?.text).toBe('Chat cleared. Type hi to start again.');
    const calls = telegramApi.calls('deleteMessages');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body.chat_id).toBe(chat);
    expect([...(calls[0]?.body.message_ids as number[])].sort((a, b) => a - b)).toEqual([...typed, ...bots].sort((a, b) => a - b));

    // The neutral line is kept, so clearing again removes it too, and only what came after the first clear.
    const note = telegramApi.sentMessageIds(chat).at(-1);
    await person.say('hide this');
    await expect.poll(() => person.received().at(-1)?.text).toBe(en('clear.confirm'));
    await person.press('clear_silent');
    await expect.poll(() => telegramApi.calls('deleteMessages').length).toBe(2);
    const second = telegramApi.calls('deleteMessages')[1]?.body.message_ids as number[];
    expect([...second].sort((a, b) => a - b)).toEqual([note, person.typedIds().map(Number).at(-1), telegramApi.sentMessageIds(chat).at(-1)].sort((a, b) => (a ?? 0) - (b ?? 0)));
    await new Promise((r) => setTimeout(r, 300));
    expect(person.received().at(-1)?.text, 'nothing left after "Clear, leave nothing"').toBe(en('clear.confirm'));
  });

  it('Telegram: tells the person when Telegram refused to delete, and the chat carries on', async () => {
    const chat = 5044444445;
    const person = people.telegramPerson(chat);
    await askToClear(person, 'clear.confirm');
    telegramApi.failNext('deleteMessages', { status: 400, description: "Bad Request: message can't be deleted" });
    await person.press('clear_yes');
    await expect.poll(() => person.received().at(-1)?.text).toBe(en('clear.doneFailed'));
    await person.say('hi');
    await expect.poll(() => person.received().at(-1)?.text).toBe(en('age.ask'));
  });

  it("Web Chat: deletes exactly the bot's own activities with deleteActivity, having said the person's stay", async () => {
    const conversation = 'clear-chat-webchat';
    const person = people.botFrameworkPerson(conversation);
    await askToClear(person, 'clear.confirmBot');
    const bots = connector.createdIds(conversation);
    await person.press('clear_yes');
    await expect.poll(() => person.received().at(-1)?.text).toBe('Chat cleared. Type hi to start again.');
    expect(connector.deleted()).toEqual(bots.map((activityId) => ({ conversationId: conversation, activityId })));
  });

  it('Messenger: says plainly that Messenger lets the bot delete nothing, and deletes nothing', async () => {
    const conversation = 'clear-chat-messenger';
    const person = people.botFrameworkPerson(conversation, 'facebook');
    const deletedBefore = connector.deleted().length;
    await person.say('hi');
    await person.say('clear this chat');
    await expect.poll(() => person.received().map((m) => m.text)).toContain(en('clear.cannot', { platform: 'Messenger' }));
    expect(en('clear.cannot', { platform: 'Messenger' })).toMatch(/^Messenger doesn't let me delete messages/);
    expect(connector.deleted()).toHaveLength(deletedBefore);
  });

  it("X: deletes exactly the bot's own DM events with DELETE /2/dm_events/:event_id", async () => {
    const user = '3001969311';
    const person = people.xPerson(user);
    await askToClear(person, 'clear.confirmBot');
    const bots = xApi.sentDirectMessages().filter((m) => m.recipientId === user).map((m) => m.eventId);
    await person.press('clear_yes');
    await expect.poll(() => person.received().at(-1)?.text).toBe('Chat cleared. Type hi to start again.');
    expect(xApi.deletedDmEvents()).toEqual(bots);
    expect(xApi.requests.filter((r) => r.method === 'DELETE').every((r) => r.oauth)).toBe(true);
  });

  it('X: reports the DM events X would not delete', async () => {
    const user = '3001969312';
    const person = people.xPerson(user);
    await askToClear(person, 'clear.confirmBot');
    xApi.failNextDelete(403);
    await person.press('clear_silent');
    await expect.poll(() => person.received().at(-1)?.text).toBe(en('clear.doneFailed'));
    // The force's digital team sees it too: a platform refusing deletions shows in the metrics, without any id.
    expect(await app.metrics.exposition()).toMatch(/^ssb_chat_clear_failures_total\{channel="twitter"\} 1$/m);
  });
});
