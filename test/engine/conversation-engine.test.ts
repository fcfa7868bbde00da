import { describe, expect, it } from 'vitest';
import { FLOW_VERSION } from '../../flows/support-flow.js';
import { StoreError } from '../../src/core/errors.js';
import type { ConversationKey } from '../../src/core/conversation-key.js';
import { createBotCore } from '../../src/app/bot-core.js';
import type { CheckScheduler, HandoffFacts, HandoffPort, HandoffStatus, TurnRecord } from '../../src/engine/handoff-port.js';
import { createHandoffService } from '../../src/handoff/handoff-service.js';
import type { ConsoleEvent } from '../../src/handoff/handoff-model.js';
import { MemoryConsoleEvents } from '../../src/storage/memory/console-events.js';
import { MemoryHandoffQueue } from '../../src/storage/memory/handoff-queue.js';
import { MemoryTranscriptStore } from '../../src/storage/memory/transcript-store.js';
import { choiceIds, createHarness, texts } from '../support/bot-harness.js';

/** The buttons someone who "just follows the buttons" presses: an adult who has not paid. */
const FORWARD = ['next', 'continue', 'safe', 'adult', 'not_paid'];

/** A handoff port that records what the engine asked of it and answers as told. */
class RecordingHandoff implements HandoffPort {
  status: HandoffStatus = 'queued';
  readonly requests: HandoffFacts[] = [];
  readonly left: ConversationKey[] = [];
  readonly records: TurnRecord[] = [];
  readonly erased: ConversationKey[] = [];
  readonly updates: HandoffFacts[] = [];
  async request(_key: ConversationKey, facts: HandoffFacts) {
    this.requests.push(facts);
    return this.status;
  }
  async update(_key: ConversationKey, facts: HandoffFacts) {
    this.updates.push(facts);
  }
  async leave(key: ConversationKey) {
    this.left.push(key);
  }
  async record(_key: ConversationKey, turn: TurnRecord) {
    this.records.push(turn);
  }
  async erase(key: ConversationKey) {
    this.erased.push(key);
  }
}

describe('ConversationEngine', () => {
  it('walks the whole flow by buttons, from welcome to summary, in order', async () => {
    const h = await createHarness();
    const seen: string[] = [];
    let result = await h.say('sam', 'hi');
    seen.push(...texts(result));
    for (let i = 0; i < 15; i++) {
      const next = FORWARD.find((id) => choiceIds(result).includes(id));
      if (!next) break;
      result = await h.press('sam', next);
      seen.push(...texts(result));
    }
    const order = ['welcome.short', 'safety.ask', 'age.ask', 'paid.question', 'paid.dontPay', 'contact.stop', 'evidence.save', 'takedown.adult', 'report.adult', 'summary.adult'].map(h.en);
    const positions = order.map((t) => seen.indexOf(t));
    expect(positions.every((p) => p >= 0), `missing: ${order.filter((_, i) => positions[i] === -1).join(' | ')}`).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('reads once and writes once per message', async () => {
    const h = await createHarness();
    await h.say('sam', 'hi');
    await h.press('sam', 'safe');
    await h.say('sam', 'how do i save evidence');
    expect(h.store.reads).toBe(3);
    expect(h.store.writes).toBe(3);
  });

  it('answers "i just took all my mums pills" as a first message with 999 and an ambulance first, the short welcome after', async () => {
    const h = await createHarness();
    const result = await h.say('pills', 'i just took all my mums pills');
    expect(result.risk).toBe('harmed');
    const text = texts(result).join('\n');
    expect(text).toContain('999');
    expect(text).toContain('ambulance');
    expect(texts(result)[0]).toContain('999');
    expect(texts(result).at(-1)).toBe(h.en('welcome.short'));
  });

  it('takes "sometimes" to "are you thinking of ending your life?" as the answer, and gives the crisis contacts', async () => {
    const h = await createHarness();
    await h.say('hint', 'someone has my nudes and wants money');
    expect((await h.say('hint', 'not really')).messages.map((m) => m.key)).toContain('riskCheck.ask');
    const result = await h.say('hint', 'sometimes');
    expect(result.messages.map((m) => m.key)).toEqual(['risk.thoughts.unknown']);
    expect(texts(result).join('\n')).toContain('116 123');
  });

  it('answers crisis first from every step of the flow, with 999 and Samaritans', async () => {
    const h = await createHarness();
    const presses: string[] = [];
    let result = await h.say('walker', 'hello');
    for (let i = 0; i < 15; i++) {
      const next = FORWARD.find((id) => choiceIds(result).includes(id));
      if (!next) break;
      presses.push(next);
      result = await h.press('walker', next);
    }
    expect(presses.length).toBeGreaterThan(7);
    for (let step = 0; step <= presses.length; step++) {
      const user = `crisis-${step}`;
      await h.say(user, 'hello');
      for (const id of presses.slice(0, step)) await h.press(user, id);
      const crisis = await h.say(user, 'i just want to end it all');
      expect(['thoughts', 'imminent', 'harmed']).toContain(crisis.risk);
      const text = texts(crisis).join('\n');
      expect(text).toContain('999');
      expect(text).toContain('116 123');
    }
  });

  it('follows up "no" to "are you safe?" instead of taking it as safe, and "yeah im safe" carries on', async () => {
    const h = await createHarness();
    await h.say('no', 'hi');
    expect(texts(await h.say('no', 'no'))).toContain(h.en('riskCheck.ask'));
    await h.say('yes', 'hi');
    const safe = await h.say('yes', 'yeah im safe');
    expect(safe.risk).toBeUndefined();
    expect(texts(safe)).toEqual([h.en('safety.glad'), h.en('age.ask')]);
  });

  it('follows up an emoji or "..." sent to "are you safe?" with the direct question, and "yes but im fine" to it with the crisis contacts', async () => {
    const h = await createHarness();
    await h.say('emoji', 'hi');
    expect(texts(await h.say('emoji', '🙂'))).toContain(h.en('riskCheck.ask'));
    const yesBut = texts(await h.say('emoji', 'yes but im fine')).join('\n');
    expect(yesBut).toContain('116 123');
    await h.say('thumbs', 'hi');
    expect(texts(await h.say('thumbs', '👍'))).toEqual([h.en('safety.glad'), h.en('age.ask')]);
  });

  it('answers a question asked beside the answer to "are you safe?" or the direct question, then carries on', async () => {
    const h = await createHarness();
    await h.say('safe-q', 'hi');
    const safe = await h.say('safe-q', 'yes im safe. will my parents find out?');
    expect(texts(safe)).toEqual([h.en('answer.parentsFindOut.young'), h.en('safety.glad'), h.en('age.ask')]);
    await h.say('unsafe-q', 'hi');
    const unsafe = await h.say('unsafe-q', 'no. will my parents find out?');
    expect(texts(unsafe)[0]).toBe(h.en('answer.parentsFindOut.young'));
    expect(texts(unsafe).join('\n')).toContain(h.en('riskCheck.ask'));
    const notThinking = await h.say('unsafe-q', 'no im not. what happens after i report it?');
    expect(notThinking.risk).toBeUndefined();
    expect(texts(notThinking).slice(0, 2)).toEqual([h.en('riskCheck.no'), h.en('answer.afterReport.any')]);
  });

  it('meets "im safe" at another step as a reassurance, and hears "can i get that back" as a question, not the menu', async () => {
    const h = await createHarness();
    await h.say('steps', 'hi');
    await h.say('steps', 'yes im safe');
    const atAge = await h.say('steps', 'im safe');
    expect(texts(atAge)[0]).toBe(h.en('social.reassured'));
    expect(texts(atAge)).not.toContain(h.en('unknown.notSure'));
    await h.say('steps', '19');
    await h.say('steps', 'yes i sent him 50 in steam cards');
    expect(texts(await h.say('steps', 'can i get that back'))[0]).toBe(h.en('answer.moneyBack.any'));
    expect(texts(await h.say('steps', 'if i dont send more will he leave me alone'))[0]).toBe(h.en('answer.shouldPay.any'));
  });

  it('answers immediate danger with 999 even when the person is sending too fast', async () => {
    const h = await createHarness({ rateLimit: { windowMs: 60_000, maxMessages: 3 } });
    for (let i = 0; i < 5; i++) await h.say('fast', 'hello?');
    const limited = await h.say('fast', 'what now');
    expect(limited.rateLimited).toBe(true);
    expect(texts(limited)).toEqual([h.en('system.rateLimited')]);
    const danger = await h.say('fast', "he's outside my house right now");
    expect(danger.rateLimited).toBe(false);
    expect(danger.danger).toBe(true);
    expect(texts(danger)).toContain(h.en('risk.danger'));
    h.clock.now += 61_000;
    expect((await h.say('fast', 'menu')).rateLimited).toBe(false);
  });

  it('gives a child the child route in the same turn as the first message', async () => {
    const h = await createHarness();
    const result = await h.say('kid', "im 14 and a girl says she'll send my pics to my friends unless i pay");
    const text = texts(result).join('\n');
    expect(text).toContain('child sexual abuse');
    expect(text).toContain('ceop.police.uk');
  });

  it('never asks what it was already told', async () => {
    const h = await createHarness();
    await h.say('gc', 'i sent him a steam gift card and now he wants more. im 19');
    const next = await h.say('gc', 'yeah im safe');
    expect(texts(next)).not.toContain(h.en('paid.question'));
    expect(texts(next)).not.toContain(h.en('age.ask'));
    expect(texts(next)).toContain(h.en('paid.alreadyGiftCard'));
  });

  it('answers a question at a step with one short line back, never the whole step again', async () => {
    const h = await createHarness();
    await h.say('q', 'hi');
    const answer = await h.say('q', 'will my parents find out');
    expect(texts(answer)).toEqual([h.en('answer.parentsFindOut.young'), h.en('resume.safety')]);
  });

  it('never fetches or keeps media: it asks the person to keep it as evidence', async () => {
    const h = await createHarness();
    await h.say('pic', 'hi');
    const result = await h.turn('pic', { type: 'attachment', attachment: 'image' });
    expect(texts(result)).toContain(h.en('attachment.notNeeded'));
    expect(JSON.stringify(await h.store.inner.read('terminal:pic'))).not.toContain('image');
  });

  it('reads a caption sent with media for risk, without ever looking at the media', async () => {
    const h = await createHarness();
    await h.say('cap', 'hi');
    const result = await h.turn('cap', { type: 'attachment', attachment: 'image', caption: 'this is why i want to die' });
    expect(result.risk).toBe('thoughts');
    expect(texts(result).join('\n')).toContain('116 123');
    const plain = await h.turn('cap', { type: 'attachment', attachment: 'video', caption: 'this is what he sent' });
    expect(texts(plain)).toContain(h.en('attachment.notNeeded'));
  });

  it('does not act on an old answer button pressed after the conversation moved on', async () => {
    const h = await createHarness();
    await h.say('stale', 'hi');
    await h.press('stale', 'safe');
    const result = await h.press('stale', 'safe'); // pressed again on the age question, which has no such answer
    expect(texts(result)).toContain(h.en('unknown.notSure'));
  });

  it('acts on an old crisis or danger button however long ago it was shown', async () => {
    const h = await createHarness();
    await h.say('old', 'hi');
    await h.say('old', 'no');
    await h.press('old', 'no');
    await h.press('old', 'adult');
    const danger = await h.press('old', 'danger');
    expect(texts(danger)).toContain(h.en('risk.danger'));
  });

  it('deletes everything on confirmed request, and starts afresh afterwards', async () => {
    const handoff = new RecordingHandoff();
    const h = await createHarness({ handoff });
    await h.say('erase', 'hi');
    await h.say('erase', 'im 16');
    const confirm = await h.say('erase', 'delete my data');
    expect(texts(confirm)).toContain(h.en('delete.confirm'));
    const done = await h.press('erase', 'yes');
    expect(done.erased).toBe(true);
    expect(texts(done)).toContain(h.en('delete.done'));
    expect(await h.store.inner.read('terminal:erase')).toBeUndefined();
    expect(handoff.erased).toEqual([{ channel: 'terminal', id: 'erase' }]);
    const again = await h.say('erase', 'hello');
    expect(texts(again)).toContain(h.en('welcome.short'));
  });

  it('queues a call handler inside the turn and tells the person at once', async () => {
    const handoff = new RecordingHandoff();
    const h = await createHarness({ handoff });
    await h.say('h', 'im 15');
    const result = await h.say('h', 'can i talk to a real person');
    expect(result.handoff).toBe('requested');
    expect(result.handoffQueued).toBe(true);
    expect(texts(result)).toContain(h.en('handoff.queued'));
    expect(handoff.requests[0]).toMatchObject({ reason: 'requested', facts: { age: 15, ageGroup: 'under18' }, flags: { under18: true } });
  });

  it('says plainly when the desk is closed or busy, with crisis contacts first once a risk is known', async () => {
    const handoff = new RecordingHandoff();
    handoff.status = 'busy';
    const h = await createHarness({ handoff });
    const crisis = await h.say('b', 'i want to die');
    expect(texts(crisis)).toContain(h.en('risk.thoughts.unknown'));
    const asked = await h.say('b', 'talk to a person');
    expect(texts(asked)).toEqual([h.en('risk.contacts.unknown'), h.en('handoff.unavailable.busy')]);
  });

  it('leaves the queue on "cancel" and records the turns while a handoff is open', async () => {
    const handoff = new RecordingHandoff();
    const h = await createHarness({ handoff });
    await h.say('c', 'hi');
    await h.say('c', 'talk to a person');
    await h.say('c', 'cancel');
    expect(handoff.left).toEqual([{ channel: 'terminal', id: 'c' }]);
    expect(handoff.records.map((r) => r.personText)).toEqual(['talk to a person', 'cancel']);
  });

  it('marks the message that disclosed a crisis or danger, says when the risk was told, and keeps the ticket up to date while it waits', async () => {
    const handoff = new RecordingHandoff();
    const h = await createHarness({ handoff });
    await h.say('r', 'hi');
    const toldAt = h.clock.now;
    await h.say('r', 'i want to kill myself');
    expect(handoff.requests[0]).toMatchObject({ reason: 'crisis', risk: 'thoughts', riskAt: toldAt });
    expect(handoff.records.at(-1)).toMatchObject({ personText: 'i want to kill myself', flag: 'crisis' });
    h.clock.now += 60_000;
    await h.say('r', 'i paid them 200 pounds by bank transfer');
    expect(handoff.records.at(-1)?.flag).toBeUndefined();
    expect(handoff.updates.at(-1)).toMatchObject({ facts: { paid: true, payMethod: 'transfer' }, risk: 'thoughts', riskAt: toldAt });
    h.clock.now += 60_000;
    const dangerAt = h.clock.now;
    await h.say('r', 'he is outside my house now and says he will hurt me');
    expect(handoff.records.at(-1)?.flag).toBe('danger');
    expect(handoff.requests.at(-1)).toMatchObject({ reason: 'danger', dangerAt, riskAt: toldAt });
  });

  it('records a pressed button in the transcript as the label the person saw', async () => {
    const handoff = new RecordingHandoff();
    const h = await createHarness({ handoff });
    await h.say('p', 'hi');
    await h.say('p', 'talk to a person');
    await h.press('p', 'cancel');
    expect(handoff.records.at(-1)?.personChoice).toEqual({ id: 'cancel', label: h.en('choice.cancel') });
  });

  it('schedules the follow-up of an unanswered "are you safe?", and answers it when it comes due', async () => {
    const scheduled: { key: ConversationKey; dueAt: number }[] = [];
    const checks: CheckScheduler = { schedule: async (key, _check, dueAt) => void scheduled.push({ key, dueAt }), erase: async () => undefined };
    const h = await createHarness({ checks, safetyCheckMs: 5 * 60_000 });
    await h.say('s', 'hi');
    expect(scheduled).toEqual([{ key: { channel: 'terminal', id: 's' }, dueAt: h.clock.now + 5 * 60_000 }]);
    h.clock.now += 5 * 60_000;
    const due = await h.turn('s', { type: 'timer', check: 'safety' });
    expect(texts(due)).toEqual([h.en('risk.silence.unknown')]);
    // A follow-up is not a message from the person: it does not count towards their rate limit.
    expect(due.rateLimited).toBe(false);
  });

  it('detects the language from the text when no platform hint says it', async () => {
    const h = await createHarness();
    const result = await h.say('pl', 'ktos mi grozi ze wrzuci moje zdjecia jak nie zaplace');
    expect(result.locale).toBe('pl');
  });

  it('restarts politely when the stored conversation is from an older flow, acting on the message at once', async () => {
    const h = await createHarness();
    await h.store.inner.write('terminal:old', { flowVersion: FLOW_VERSION - 1, snapshot: { value: 'gone' }, recent: [], updatedAt: 0 });
    const result = await h.say('old', 'hello');
    expect(texts(result)).toEqual([h.en('system.restarted'), h.en('welcome.short'), h.en('safety.ask')]);
    expect((await h.store.inner.read('terminal:old'))?.flowVersion).toBe(FLOW_VERSION);
  });

  it('restarts politely when a stored snapshot names a state that no longer exists, and still answers risk', async () => {
    const h = await createHarness();
    await h.say('broken', 'hi');
    const stored = await h.store.inner.read('terminal:broken');
    const snapshot = { ...(stored?.snapshot as object), value: { nowhere: 'atAll' } };
    await h.store.inner.write('terminal:broken', { ...stored!, snapshot });
    const result = await h.say('broken', 'kms');
    expect(texts(result)[0]).toBe(h.en('system.restarted'));
    expect(result.risk).toBe('thoughts');
  });

  it('falls back to English for a language it does not have, and never echoes the text', async () => {
    const h = await createHarness();
    const result = await h.say('fr', '<b>bonjour</b> je suis perdu', 'fr-FR');
    expect(result.locale).toBe('en-GB');
    expect(texts(result).join('')).not.toContain('bonjour');
  });

  it('fails the turn with a StoreError when the store is down, so the platform redelivers', async () => {
    const broken = {
      read: async () => {
        throw new Error('ECONNREFUSED');
      },
      write: async () => undefined,
      delete: async () => undefined,
    };
    const core = await createBotCore({ store: broken });
    await expect(core.engine.handle({ key: { channel: 'terminal', id: 'x' }, payload: { type: 'text', text: 'hi' } })).rejects.toBeInstanceOf(StoreError);
  });
});

describe('ConversationEngine with a call handler on the chat', () => {
  /** A person talking to a call handler who has claimed their ticket, over the real handoff service and memory stores. */
  async function withHandler({ firstWords = 'hi' } = {}) {
    const queue = new MemoryHandoffQueue();
    const transcripts = new MemoryTranscriptStore({ ttlMs: 3600_000 });
    const events = new MemoryConsoleEvents();
    const heard: ConsoleEvent[] = [];
    events.subscribe((e) => heard.push(e));
    const handoff = createHandoffService({ queue, transcripts, events, available: async () => 'open' });
    const h = await createHarness({ handoff });
    await h.say('pat', firstWords);
    await h.press('pat', 'human');
    const ticket = await queue.byConversation('terminal:pat');
    expect(ticket).toBeDefined();
    await queue.claim(ticket!.id, 'alice', h.clock.now);
    const joined = await h.turn('pat', { type: 'handler', action: 'joined' });
    expect(choiceIds(joined)).toEqual(['leave']);
    heard.length = 0;
    return { h, queue, transcripts, heard, ticketId: ticket!.id };
  }

  it.each([
    ['press "Leave the chat"', { type: 'choice', choiceId: 'leave' }],
    ['type "/cancel"', { type: 'text', text: '/cancel' }],
    ['type "/menu"', { type: 'text', text: '/menu' }],
    ['press the old "leave the queue" button', { type: 'choice', choiceId: 'cancel' }],
    ['press a menu button', { type: 'choice', choiceId: 'menu' }],
  ] as const)('lets the person leave the handler’s chat when they %s: ticket removed, transcript and consoles told, confirmation and menu', async (_how, payload) => {
    const { h, queue, transcripts, heard, ticketId } = await withHandler();
    const result = await h.turn('pat', payload);
    expect(texts(result)).toEqual([h.en('handoff.left'), h.en('menu.intro')]);
    expect(await queue.get(ticketId)).toBeUndefined();
    expect((await transcripts.read('terminal:pat')).map((e) => e.text)).toContain('The person left the chat.');
    expect(heard).toContainEqual({ type: 'queue-changed' });
    expect(heard).toContainEqual({ type: 'transcript', ticketId, entry: expect.objectContaining({ from: 'system', text: 'The person left the chat.' }) });
    // Back with the bot: the next question is answered by the bot again.
    expect(texts(await h.say('pat', 'how do i save evidence')).join('\n')).toContain(h.en('answer.evidence.any').slice(0, 40));
  });

  it('passes everything else the person types to the handler, even "stop", "back" or "cancel" written to them, saying nothing itself', async () => {
    const { h, queue, transcripts, ticketId } = await withHandler();
    const typed = ['he wants £200 by tonight', 'help', 'how do i block him', 'stop', 'back', 'cancel', 'menu'];
    for (const text of typed) expect(texts(await h.say('pat', text)), text).toEqual([]);
    expect((await queue.get(ticketId))?.status).toBe('claimed');
    const said = (await transcripts.read('terminal:pat')).filter((e) => e.from === 'person').map((e) => e.text);
    expect(said.slice(-typed.length)).toEqual(typed);
  });

  it('passes a bare number to the handler on a channel that numbers its choices, never pressing the last list', async () => {
    const { h, queue, transcripts, ticketId } = await withHandler();
    const result = await h.core.engine.handle({ key: { channel: 'terminal', id: 'pat' }, payload: { type: 'text', text: '1' }, numberedChoices: true });
    expect(texts(result)).toEqual([]);
    expect((await queue.get(ticketId))?.status).toBe('claimed');
    expect((await transcripts.read('terminal:pat')).filter((e) => e.from === 'person').at(-1)?.text).toBe('1');
  });

  it('still answers crisis first, and keeps the handler on the chat', async () => {
    const { h, queue, ticketId } = await withHandler();
    const result = await h.say('pat', 'cancel, i want to kill myself');
    expect(texts(result).join('\n')).toContain('116 123');
    expect((await queue.get(ticketId))?.status).toBe('claimed');
  });

  it('tells the person in their language when their handler had to leave, and keeps them in the queue', async () => {
    const { h, queue, ticketId } = await withHandler({ firstWords: 'Cymraeg' });
    await queue.release(ticketId, 'alice', h.clock.now);
    const result = await h.turn('pat', { type: 'handler', action: 'released' });
    expect(texts(result)).toEqual([h.core.renderer.text('handoff.handlerLeft', 'cy'), h.core.renderer.text('menu.intro', 'cy')]);
    expect((await queue.get(ticketId))?.status).toBe('queued');
  });
});
