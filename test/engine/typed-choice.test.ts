import { describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../src/core/inbound-event.js';
import { choiceIds, createHarness, texts } from '../support/bot-harness.js';
import { typedChoice } from '../../src/engine/typed-choice.js';

/** A typed message on a channel that writes choices as a numbered list (X v2 DMs). */
const typedOnX = (text: string): InboundEvent => ({ key: { channel: 'twitter', id: '2222' }, payload: { type: 'text', text }, numberedChoices: true });

describe('typedChoice', () => {
  const offered = ['safe', 'unsafe', 'unsure'];
  const labels = (id: string) => ({ safe: ['I am safe', 'Dw i\'n saff'], unsafe: ['I am not safe'], unsure: ['Not sure'] })[id] ?? [];

  it.each([
    ['1', 'safe'],
    [' 2. ', 'unsafe'],
    ['3)', 'unsure'],
    ['#1', 'safe'],
    ['i am NOT safe!', 'unsafe'],
    ["dw i'n saff", 'safe'],
  ])('reads %j as pressing %s', (text, id) => {
    expect(typedChoice(typedOnX(text), offered, labels)).toEqual({ type: 'choice', choiceId: id });
  });

  it.each(['0', '4', '15', '1 or 2', 'i am safe now i think', 'hello'])('leaves %j as text', (text) => {
    expect(typedChoice(typedOnX(text), offered, labels)).toBeUndefined();
  });

  it('reads nothing on a channel that shows buttons, or when nothing was offered', () => {
    expect(typedChoice({ ...typedOnX('1'), numberedChoices: false }, offered, labels)).toBeUndefined();
    expect(typedChoice(typedOnX('1'), undefined, labels)).toBeUndefined();
  });
});

describe('ConversationEngine and replies to a numbered list', () => {
  it('answers "2" like pressing the second choice offered, with one snapshot read and one write', async () => {
    const h = await createHarness();
    const first = await h.turn('sam', { type: 'text', text: 'hi' });
    const offered = choiceIds(first);
    expect(offered.length).toBeGreaterThan(1);
    const viaButton = await createHarness();
    await viaButton.say('sam', 'hi');
    const expected = texts(await viaButton.press('sam', offered[1]!));

    const reads = h.store.reads;
    const writes = h.store.writes;
    const result = await h.core.engine.handle({ ...typedOnX('2'), key: { channel: 'terminal', id: 'sam' } });
    expect(texts(result)).toEqual(expected);
    expect([h.store.reads - reads, h.store.writes - writes]).toEqual([1, 1]);
  });

  it('answers a choice\'s label typed in Welsh like the button, in a Welsh conversation', async () => {
    const h = await createHarness();
    const first = await h.say('ani', 'Cymraeg');
    const offered = choiceIds(first);
    const label = h.core.renderer.choiceLabel(offered[0]!, 'cy');
    const viaButton = await createHarness();
    await viaButton.say('ani', 'Cymraeg');
    const expected = texts(await viaButton.press('ani', offered[0]!));
    const result = await h.core.engine.handle({ ...typedOnX(label.toLocaleLowerCase()), key: { channel: 'terminal', id: 'ani' } });
    expect(texts(result)).toEqual(expected);
  });

  it('still reads risk in a typed message that is not just a number', async () => {
    const h = await createHarness();
    await h.say('kai', 'hi');
    const result = await h.core.engine.handle({ ...typedOnX('2 i want to kill myself'), key: { channel: 'terminal', id: 'kai' } });
    expect(texts(result).join('\n')).toContain('116 123');
  });
});
