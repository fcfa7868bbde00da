import { describe, expect, it } from 'vitest';
import { FLOW_VERSION } from '../../flows/support-flow.js';
import { StoreError } from '../../src/core/errors.js';
import { createBotCore } from '../../src/app/bot-core.js';
import { createHandoffService } from '../../src/handoff/handoff-service.js';
import type { ConsoleEvent } from '../../src/handoff/handoff-model.js';
import { MemoryConsoleEvents } from '../../src/handoff/memory-console-events.js';
import { MemoryHandoffQueue } from '../../src/handoff/memory-handoff-queue.js';
import { MemoryTranscriptStore } from '../../src/handoff/memory-transcript-store.js';
import { choiceIds, createHarness, texts } from '../support/bot-harness.js';

/** The buttons someone who "just follows the buttons" presses, adult who has not paid. */
const FORWARD = ['next', 'continue', 'safe', 'adult', 'not_paid'];

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
    const order = ['welcome.intro', 'safety.question', 'age.question', 'paid.question', 'paid.dontPay', 'contact.stop', 'evidence.save', 'takedown.adult', 'report.adult', 'summary.adult'].map(h.en);
    const positions = order.map((t) => seen.indexOf(t));
    expect(positions.every((p) => p >= 0), `missing: ${order.filter((_, i) => positions[i] === -1).join(' | ')}`).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('reads once and writes once per message', async () => {
    const h = await createHarness();
    await h.say('sam', 'hi');
    await h.press('sam', 'next');
    await h.say('sam', 'how do i save evidence');
    expect(h.store.reads).toBe(3);
    expect(h.store.writes).toBe(3);
  });

  it('answers crisis first from every step of the flow, with 999, Samaritans and Childline', async () => {
    const h = await createHarness();
    // Record the presses of one walk through the flow…
    const presses: string[] = [];
    let result = await h.say('walker', 'hello');
    for (let i = 0; i < 15; i++) {
      const next = FORWARD.find((id) => choiceIds(result).includes(id));
      if (!next) break;
      presses.push(next);
      result = await h.press('walker', next);
    }
    expect(presses.length).toBeGreaterThan(8);
    // …then bring a fresh conversation to each step in turn and disclose there.
    for (let step = 0; step <= presses.length; step++) {
      const user = `crisis-${step}`;
      await h.say(user, 'hello');
      for (const id of presses.slice(0, step)) await h.press(user, id);
      const crisis = await h.say(user, 'i just want to end it all');
      expect(crisis.crisis).toBe(true);
      const text = texts(crisis).join('\n');
      expect(text).toContain('999');
      expect(text).toContain('116 123');
      expect(text).toContain('0800 1111');
    }
  });

  it('answers immediate danger with 999 even when the person is sending too fast', async () => {
    const h = await createHarness({ rateLimit: { windowMs: 60_000, maxMessages: 3 } });
    for (let i = 0; i < 5; i++) await h.say('fast', 'hello?');
    const limited = await h.say('fast', 'what now');
    expect(limited.rateLimited).toBe(true);
    expect(texts(limited)).toEqual([h.en('system.rateLimited')]);
    const danger = await h.say('fast', "he's outside my house right now");
    expect(danger.rateLimited).toBe(false);
    expect(texts(danger)).toContain(h.en('danger.now'));
    h.clock.now += 61_000;
    expect((await h.say('fast', 'menu')).rateLimited).toBe(false);
  });

  it('takes under-18s to the child routes when they type their age', async () => {
    const h = await createHarness();
    await h.say('kid', 'hi');
    const result = await h.say('kid', "I'm fifteen");
    const text = texts(result).join('\n');
    expect(text).toContain('child sexual abuse');
    expect(text).toContain('ceop.police.uk');
  });

  it('never fetches or keeps media: it asks the person to keep it as evidence', async () => {
    const h = await createHarness();
    await h.say('pic', 'hi');
    const result = await h.turn('pic', { type: 'attachment', attachment: 'image' });
    expect(texts(result)).toContain(h.en('attachment.notNeeded'));
    expect(JSON.stringify(await h.store.inner.read('console:pic'))).not.toContain('image');
  });

  it('reads a caption sent with media for crisis, without ever looking at the media', async () => {
    const h = await createHarness();
    await h.say('cap', 'hi');
    const result = await h.turn('cap', { type: 'attachment', attachment: 'image', caption: 'this is why i want to die' });
    expect(result.crisis).toBe(true);
    expect(texts(result).join('\n')).toContain('116 123');
    const plain = await h.turn('cap', { type: 'attachment', attachment: 'video', caption: 'this is what he sent' });
    expect(texts(plain)).toContain(h.en('attachment.notNeeded'));
  });

  it('re-asks the step when an old button is pressed after the conversation moved on', async () => {
    const h = await createHarness();
    await h.say('stale', 'hi');
    await h.press('stale', 'next');
    await h.press('stale', 'safe');
    const result = await h.press('stale', 'safe'); // pressed again on the age question, which has no such answer
    expect(texts(result)).toContain(h.en('unknown.notSure'));
  });

  it('deletes everything on confirmed request, and starts afresh afterwards', async () => {
    const h = await createHarness();
    await h.say('erase', 'hi');
    await h.say('erase', 'im 16');
    const confirm = await h.say('erase', 'delete my data');
    expect(texts(confirm)).toContain(h.en('delete.confirm'));
    const done = await h.press('erase', 'yes');
    expect(done.erased).toBe(true);
    expect(texts(done)).toContain(h.en('delete.done'));
    expect(await h.store.inner.read('console:erase')).toBeUndefined();
    const again = await h.say('erase', 'hello');
    expect(texts(again)).toContain(h.en('welcome.intro'));
  });

  it('restarts politely at the menu when the stored conversation is from an older flow', async () => {
    const h = await createHarness();
    await h.store.inner.write('console:old', { flowVersion: FLOW_VERSION - 1, snapshot: { value: 'gone' }, recent: [], updatedAt: 0 });
    const result = await h.say('old', 'hello');
    expect(texts(result)).toEqual([h.en('system.restarted'), h.en('menu.intro')]);
    expect((await h.store.inner.read('console:old'))?.flowVersion).toBe(FLOW_VERSION);
  });

  it('restarts politely when a stored snapshot names a state that no longer exists', async () => {
    const h = await createHarness();
    await h.say('broken', 'hi');
    const stored = await h.store.inner.read('console:broken');
    const snapshot = { ...(stored?.snapshot as object), value: { nowhere: 'atAll' } };
    await h.store.inner.write('console:broken', { ...stored!, snapshot });
    const result = await h.say('broken', 'next');
    expect(texts(result)[0]).toBe(h.en('system.restarted'));
    const crisis = await h.say('broken', 'kms');
    expect(crisis.crisis).toBe(true);
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
    await expect(core.engine.handle({ key: { channel: 'console', id: 'x' }, payload: { type: 'text', text: 'hi' } })).rejects.toBeInstanceOf(StoreError);
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
    const handoff = createHandoffService({ queue, transcripts, events, available: async () => true });
    const h = await createHarness({ handoff });
    await h.say('pat', firstWords);
    expect(texts(await h.press('pat', 'human'))).toHaveLength(1);
    const ticket = await queue.byConversation('console:pat');
    expect(ticket).toBeDefined();
    await queue.claim(ticket!.id, 'alice', h.clock.now);
    expect(texts(await h.turn('pat', { type: 'handler', action: 'joined' }))).toHaveLength(1);
    heard.length = 0;
    return { h, queue, transcripts, heard, ticketId: ticket!.id };
  }

  it.each([
    ['type "cancel"', { type: 'text', text: 'cancel' }],
    ['type "menu"', { type: 'text', text: 'menu' }],
    ['press the old "leave the queue" button', { type: 'choice', choiceId: 'cancel' }],
    ['press a menu button', { type: 'choice', choiceId: 'menu' }],
  ] as const)('lets the person leave the handler’s chat when they %s: ticket removed, transcript and consoles told, confirmation and menu', async (_how, payload) => {
    const { h, queue, transcripts, heard, ticketId } = await withHandler();
    const result = await h.turn('pat', payload);
    expect(texts(result)).toEqual([h.en('handoff.left'), h.en('menu.intro')]);
    expect(await queue.get(ticketId)).toBeUndefined();
    const lines = (await transcripts.read('console:pat')).map((e) => e.text);
    expect(lines).toContain('The person left the chat.');
    expect(heard).toContainEqual({ type: 'queue-changed' });
    expect(heard).toContainEqual({ type: 'transcript', ticketId, entry: expect.objectContaining({ from: 'system', text: 'The person left the chat.' }) });
    // Back with the bot: the next message is answered by the bot again.
    expect(texts(await h.say('pat', 'how do i save evidence'))).toContain(h.en('evidence.save'));
  });

  it('passes anything else the person types to the handler, saying nothing itself', async () => {
    const { h, queue, transcripts, ticketId } = await withHandler();
    for (const text of ['he wants £200 by tonight', 'help', 'how do i block him']) {
      expect(texts(await h.say('pat', text)), text).toEqual([]);
    }
    expect((await queue.get(ticketId))?.status).toBe('claimed');
    expect((await transcripts.read('console:pat')).filter((e) => e.from === 'person').map((e) => e.text).slice(-3)).toEqual([
      'he wants £200 by tonight',
      'help',
      'how do i block him',
    ]);
  });

  it('still answers crisis first, and keeps the handler on the chat', async () => {
    const { h, queue, ticketId } = await withHandler();
    const result = await h.say('pat', 'cancel, i want to kill myself');
    expect(result.crisis).toBe(true);
    expect(texts(result).join('\n')).toContain('116 123');
    expect((await queue.get(ticketId))?.status).toBe('claimed');
  });

  it('tells the person in their language when their handler had to leave, and keeps them in the queue', async () => {
    const { h, queue, ticketId } = await withHandler({ firstWords: 'Cymraeg' });
    await queue.release(ticketId, 'alice', h.clock.now);
    const result = await h.turn('pat', { type: 'handler', action: 'released' });
    expect(texts(result)).toEqual([h.core.renderer.text('handoff.handlerLeft', 'cy')]);
    expect((await queue.get(ticketId))?.status).toBe('queued');
  });
});
