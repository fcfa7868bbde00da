import { describe, expect, it } from 'vitest';
import { type ChatClearer, type ClearSupport, type ConversationKey, type DeletionOutcome, type KeptMessage, MESSAGE_ID_TTL_MS } from '../../src/core/index.js';
import type { ChatClearing } from '../../src/engine/conversation-engine.js';
import { MemoryMessageIds } from '../../src/storage/memory/message-ids.js';
import { choiceIds, createHarness, texts } from '../support/bot-harness.js';

/** A channel's clearing side that records what it was asked to delete and fails the ids it is told to. */
class RecordingClearer implements ChatClearer {
  support: (key: ConversationKey) => Promise<ClearSupport> = async () => ({ kind: 'all' });
  readonly asked: KeptMessage[][] = [];
  refuse = new Set<string>();
  throws = false;
  async delete(_key: ConversationKey, messages: readonly KeptMessage[]): Promise<DeletionOutcome> {
    this.asked.push([...messages]);
    if (this.throws) throw new Error('platform unreachable');
    return { deleted: messages.filter((m) => !this.refuse.has(m.id)).map((m) => m.id), failed: messages.filter((m) => this.refuse.has(m.id)).map((m) => m.id) };
  }
}

async function setUp() {
  const clearer = new RecordingClearer();
  const ids = new MemoryMessageIds();
  const clearing: ChatClearing = { ids, clearer };
  const h = await createHarness({ clearing });
  /** A turn from a person whose message has a platform id, with the bot's replies given ids as a channel would. */
  let nextBotId = 500;
  const say = async (user: string, text: string, personId: string) => {
    const result = await h.core.engine.handle({ key: { channel: 'telegram', id: user }, payload: { type: 'text', text }, deletableId: personId, sentAt: h.clock.now });
    await ids.add(`telegram:${user}`, result.messages.map(() => ({ id: String(nextBotId++), from: 'bot' as const, at: h.clock.now })));
    return result;
  };
  const press = (user: string, choiceId: string) => h.core.engine.handle({ key: { channel: 'telegram', id: user }, payload: { type: 'choice', choiceId } });
  return { h, clearer, ids, say, press };
}

describe('clear this chat', () => {
  it('asks once, reminding them the blackmailer\'s messages are evidence, then deletes every kept id and leaves one neutral line', async () => {
    const { h, clearer, ids, say, press } = await setUp();
    await say('1', 'hi', '10');
    const confirm = await say('1', 'clear this chat', '11');
    expect(texts(confirm)).toEqual([h.en('clear.confirm')]);
    expect(h.en('clear.confirm')).toContain('evidence');
    expect(choiceIds(confirm)).toEqual(['clear_yes', 'clear_silent', 'no']);
    const kept = (await ids.list('telegram:1', h.clock.now)).map((m) => m.id);
    expect(kept).toEqual(['10', '500', '501', '11', '502']);

    const done = await press('1', 'clear_yes');
    expect(clearer.asked.map((batch) => batch.map((m) => m.id))).toEqual([kept]);
    expect(texts(done)).toEqual(['Chat cleared. Type hi to start again.']);
    expect(done.cleared).toEqual({ deleted: 5, failed: 0 });
    expect(await ids.list('telegram:1', h.clock.now)).toEqual([]);
  });

  it('takes a typed yes as the confirmation, and leaves nothing at all when asked to', async () => {
    const { h, say, press, clearer } = await setUp();
    await say('2', 'hi', '20');
    await say('2', 'my mum is coming', '21');
    expect(texts(await say('2', 'yes', '22'))).toEqual([h.en('clear.done')]);
    expect(clearer.asked.at(-1)?.map((m) => m.id)).toContain('22');
    await say('2', 'hide this', '23');
    expect((await press('2', 'clear_silent')).messages).toEqual([]);
  });

  it('clears nothing when they say no, and carries on where they were', async () => {
    const { h, say, clearer } = await setUp();
    await say('3', 'hi', '30');
    await say('3', 'delete this chat', '31');
    const no = await say('3', 'no', '32');
    expect(texts(no)[0]).toBe(h.en('clear.cancelled'));
    expect(clearer.asked).toEqual([]);
  });

  it('says plainly when some messages could not be deleted, even when nothing was to be left', async () => {
    const { h, say, press, clearer, ids } = await setUp();
    await say('4', 'hi', '40');
    clearer.refuse = new Set(['40']);
    await say('4', 'clear this chat', '41');
    const result = await press('4', 'clear_silent');
    expect(texts(result)).toEqual([h.en('clear.doneFailed')]);
    expect(result.cleared).toEqual({ deleted: 4, failed: 1 });
    expect((await ids.list('telegram:4', h.clock.now)).map((m) => m.id)).toEqual(['40']);
  });

  it('reports a platform that fails outright as messages not deleted, and the turn goes on', async () => {
    const { h, say, press, clearer } = await setUp();
    await say('5', 'hi', '50');
    clearer.throws = true;
    await say('5', 'clear this chat', '51');
    const result = await press('5', 'clear_yes');
    expect(texts(result)).toEqual([h.en('clear.doneFailed')]);
  });

  it('says when messages older than 48 hours remain', async () => {
    const { h, say, press } = await setUp();
    await say('6', 'hi', '60');
    h.clock.now += MESSAGE_ID_TTL_MS + 1;
    await say('6', 'clear this chat', '61');
    expect(texts(await press('6', 'clear_yes'))).toEqual([h.en('clear.doneOlder')]);
  });

  it('tells the person their own messages stay where the bot can delete only its own', async () => {
    const { h, say, clearer } = await setUp();
    clearer.support = async () => ({ kind: 'bot' });
    await say('7', 'hi', '70');
    expect(texts(await say('7', 'clear this chat', '71'))).toEqual([h.en('clear.confirmBot')]);
  });

  it('names the platform that deletes nothing, and asks nothing', async () => {
    const { h, say, clearer } = await setUp();
    clearer.support = async () => ({ kind: 'none', platform: 'Messenger' });
    await say('8', 'hi', '80');
    const result = await say('8', 'clear this chat', '81');
    expect(texts(result)[0]).toBe(h.core.renderer.text('clear.cannot', 'en-GB', { platform: 'Messenger' }));
    expect(texts(result)[0]).toMatch(/^Messenger doesn't let me delete messages/);
    expect(clearer.asked).toEqual([]);
  });

  it('greets them afresh after a clear, still knowing what they told', async () => {
    const { h, say, press } = await setUp();
    await say('9', 'hi im 15', '90');
    await say('9', 'clear this chat', '91');
    await press('9', 'clear_yes');
    const again = texts(await say('9', 'hi', '92'));
    expect(again[0]).toBe(h.en('welcome.short'));
    expect(again).not.toContain(h.en('age.ask'));
  });

  it('forgets every kept id on "delete my data"', async () => {
    const { h, say, press, ids } = await setUp();
    await say('10', 'hi', '100');
    await say('10', 'delete my data', '101');
    await press('10', 'yes');
    expect(await ids.list('telegram:10', h.clock.now)).toEqual([]);
  });

  it('tells how to clear the chat by hand when the service cannot delete messages', async () => {
    const h = await createHarness();
    await h.say('none', 'hi');
    expect(texts(await h.say('none', 'clear this chat'))[0]).toBe(h.en('clear.cannotHere'));
  });
});
