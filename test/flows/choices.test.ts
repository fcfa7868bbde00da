import { describe, expect, it } from 'vitest';
import { choiceToEvent, MAX_CHOICE_ID_BYTES } from '../../flows/choices.js';
import { collectFlowKeys } from '../../flows/reply-keys.js';
import { supportFlow } from '../../flows/support-flow.js';
import { TOPICS } from '../../flows/support-events.js';

const { choiceIds } = collectFlowKeys(supportFlow);
/** `languages` is not a button: the engine expands it into one `lang:<code>` button per locale. */
const buttonIds = [...choiceIds].filter((id) => id !== 'languages');

describe('choiceToEvent', () => {
  it('maps every choice id the machine offers to an event', () => {
    expect(buttonIds.length).toBeGreaterThan(10);
    for (const id of buttonIds) expect(choiceToEvent(id), id).toBeDefined();
  });

  it('keeps every offered choice id ASCII and within the byte limit', () => {
    for (const id of [...buttonIds, 'lang:en-GB']) {
      expect(id, id).toMatch(/^[\x21-\x7e]+$/);
      expect(Buffer.byteLength(id, 'utf8'), id).toBeLessThanOrEqual(MAX_CHOICE_ID_BYTES);
    }
  });

  it('maps the safety, age and payment answers to their events', () => {
    expect(choiceToEvent('danger')).toEqual({ type: 'DANGER' });
    expect(choiceToEvent('crisis')).toEqual({ type: 'CRISIS', danger: false });
    expect(choiceToEvent('safe')).toEqual({ type: 'NO' });
    expect(choiceToEvent('under18')).toEqual({ type: 'AGE', group: 'under18' });
    expect(choiceToEvent('adult')).toEqual({ type: 'AGE', group: 'adult' });
    expect(choiceToEvent('paid')).toEqual({ type: 'PAID' });
    expect(choiceToEvent('not_paid')).toEqual({ type: 'NOT_PAID' });
    expect(choiceToEvent('known')).toEqual({ type: 'KNOWN_PERSON' });
    expect(choiceToEvent('next')).toEqual({ type: 'NEXT' });
    expect(choiceToEvent('continue')).toEqual({ type: 'NEXT' });
  });

  it('maps the global commands', () => {
    expect(choiceToEvent('menu')).toEqual({ type: 'MENU' });
    expect(choiceToEvent('help')).toEqual({ type: 'HELP' });
    expect(choiceToEvent('human')).toEqual({ type: 'HUMAN' });
    expect(choiceToEvent('language')).toEqual({ type: 'LANGUAGE' });
    expect(choiceToEvent('delete')).toEqual({ type: 'DELETE' });
    expect(choiceToEvent('yes')).toEqual({ type: 'YES' });
    expect(choiceToEvent('no')).toEqual({ type: 'NO' });
  });

  it('maps every topic', () => {
    for (const topic of TOPICS) expect(choiceToEvent(`topic:${topic}`)).toEqual({ type: 'TOPIC', topic });
  });

  it('maps a language choice to SET_LANGUAGE with its locale', () => {
    expect(choiceToEvent('lang:cy')).toEqual({ type: 'SET_LANGUAGE', locale: 'cy' });
    expect(choiceToEvent('lang:pl-PL')).toEqual({ type: 'SET_LANGUAGE', locale: 'pl-PL' });
  });

  it('returns undefined for unknown, malformed or oversized ids', () => {
    for (const id of ['', 'NEXT', 'topic:', 'topic:weather', 'topic:evidence ', 'lang:', 'lang:../../etc', 'lang:Cymraeg!',
      'toString', '__proto__', 'constructor', 'lang:en-AAAAAAAA-BBBBBBBB-CCCCCCCC-DD']) {
      expect(choiceToEvent(id), id).toBeUndefined();
    }
  });
});
