import { describe, expect, it } from 'vitest';
import { choiceToEvents, isAlwaysValidChoice, MAX_CHOICE_ID_BYTES } from '../../flows/choices.js';
import { QUESTIONS } from '../../flows/intents.js';
import { collectFlowKeys } from '../../flows/reply-keys.js';
import { REPLY_TABLES } from '../../flows/replies.js';
import { supportFlow } from '../../flows/support-flow.js';

const { choiceIds } = collectFlowKeys(supportFlow, REPLY_TABLES);
/** `languages` is not a button: the engine expands it into one `lang:<code>` button per locale. */
const buttonIds = [...choiceIds].filter((id) => id !== 'languages');

describe('choiceToEvents', () => {
  it('maps every choice id the machine offers to events', () => {
    expect(buttonIds.length).toBeGreaterThan(15);
    for (const id of buttonIds) expect(choiceToEvents(id), id).toBeDefined();
  });

  it('keeps every offered choice id ASCII and within the byte limit', () => {
    for (const id of [...buttonIds, 'lang:en-GB']) {
      expect(id, id).toMatch(/^[\x21-\x7e]+$/);
      expect(Buffer.byteLength(id, 'utf8'), id).toBeLessThanOrEqual(MAX_CHOICE_ID_BYTES);
    }
  });

  it('maps the safety answers, and the crisis and danger buttons to risk', () => {
    expect(choiceToEvents('safe')).toEqual([{ type: 'ANSWER', answer: 'yes' }]);
    expect(choiceToEvents('not_safe')).toEqual([{ type: 'ANSWER', answer: 'no' }]);
    expect(choiceToEvents('danger')).toEqual([{ type: 'RISK', danger: true }]);
    expect(choiceToEvents('crisis')).toEqual([{ type: 'RISK', level: 'thoughts', danger: false }]);
  });

  it('tells a fact and moves on for the age and payment buttons, as typing it would', () => {
    expect(choiceToEvents('under18')).toEqual([{ type: 'FACTS', facts: { ageGroup: 'under18' } }, { type: 'INFO' }]);
    expect(choiceToEvents('adult')).toEqual([{ type: 'FACTS', facts: { ageGroup: 'adult' } }, { type: 'INFO' }]);
    expect(choiceToEvents('age_skip')).toEqual([{ type: 'FACTS', facts: { ageGroup: 'declined' } }, { type: 'INFO' }]);
    expect(choiceToEvents('paid')).toEqual([{ type: 'FACTS', facts: { paid: true } }, { type: 'INFO' }]);
    expect(choiceToEvents('not_paid')).toEqual([{ type: 'FACTS', facts: { paid: false } }, { type: 'INFO' }]);
  });

  it('maps the global commands and carrying on', () => {
    expect(choiceToEvents('menu')).toEqual([{ type: 'MENU' }]);
    expect(choiceToEvents('help')).toEqual([{ type: 'HELP' }]);
    expect(choiceToEvents('human')).toEqual([{ type: 'HUMAN' }]);
    expect(choiceToEvents('language')).toEqual([{ type: 'LANGUAGE' }]);
    expect(choiceToEvents('delete')).toEqual([{ type: 'DELETE' }]);
    expect(choiceToEvents('cancel')).toEqual([{ type: 'CANCEL' }]);
    expect(choiceToEvents('next')).toEqual([{ type: 'NEXT' }]);
    expect(choiceToEvents('continue')).toEqual([{ type: 'NEXT' }]);
  });

  it('maps every question', () => {
    for (const question of QUESTIONS) expect(choiceToEvents(`q:${question}`)).toEqual([{ type: 'QUESTION', question }]);
  });

  it('maps a language choice to SET_LANGUAGE with its locale', () => {
    expect(choiceToEvents('lang:cy')).toEqual([{ type: 'SET_LANGUAGE', locale: 'cy' }]);
    expect(choiceToEvents('lang:pl-PL')).toEqual([{ type: 'SET_LANGUAGE', locale: 'pl-PL' }]);
  });

  it('returns undefined for unknown, malformed or oversized ids', () => {
    for (const id of ['', 'NEXT', 'q:', 'q:weather', 'q:shouldPay ', 'topic:evidence', 'lang:', 'lang:../../etc', 'lang:Cymraeg!',
      'toString', '__proto__', 'constructor', 'lang:en-AAAAAAAA-BBBBBBBB-CCCCCCCC-DD']) {
      expect(choiceToEvents(id), id).toBeUndefined();
    }
  });

  it('acts on the crisis and danger buttons, commands, questions and languages however old the message they came with', () => {
    for (const id of ['crisis', 'danger', 'menu', 'human', 'cancel', 'q:evidence', 'lang:cy']) expect(isAlwaysValidChoice(id), id).toBe(true);
    for (const id of ['yes', 'no', 'safe', 'next', 'paid', 'under18']) expect(isAlwaysValidChoice(id), id).toBe(false);
  });
});
