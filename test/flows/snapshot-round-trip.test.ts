import { describe, expect, it } from 'vitest';
import type { SupportEvent } from '../../flows/support-events.js';
import { FlowDriver } from './flow-driver.js';

const next = { type: 'NEXT' } as const;
const info = { type: 'INFO' } as const;

/** Complete conversations, each a list of the events one person's messages become. */
const WALKS: Record<string, readonly SupportEvent[]> = {
  'button path, adult': [
    { type: 'START' }, { type: 'ANSWER', answer: 'yes' }, { type: 'FACTS', facts: { ageGroup: 'adult' } }, info,
    { type: 'FACTS', facts: { paid: false } }, info, next, next, next, next, next, { type: 'MENU' },
  ],
  'a child who paid, asking questions on the way': [
    { type: 'SOCIAL', kind: 'greeting' }, { type: 'QUESTION', question: 'trouble' }, { type: 'ANSWER', answer: 'yes' },
    { type: 'FACTS', facts: { age: 15 } }, info, { type: 'ANSWER', answer: 'yes' }, next, { type: 'SOCIAL', kind: 'ok' },
    { type: 'QUESTION', question: 'takedown' }, next, { type: 'HUMAN' }, { type: 'HANDOFF_QUEUED' }, next,
  ],
  'risk detours': [
    { type: 'SOCIAL', kind: 'greeting' }, { type: 'ANSWER', answer: 'no' }, { type: 'SILENCE', check: 'safety' },
    { type: 'ANSWER', answer: 'yes' }, next, { type: 'RISK', level: 'harmed', danger: false }, { type: 'UNKNOWN' }, next,
  ],
  'help, language and delete detours': [
    { type: 'UNKNOWN' }, { type: 'HELP' }, { type: 'RISK', danger: true }, next, { type: 'LANGUAGE' }, { type: 'HELP' },
    { type: 'SET_LANGUAGE', locale: 'cy' }, { type: 'DELETE' }, { type: 'ANSWER', answer: 'no' },
    { type: 'RISK', level: 'thoughts', danger: false }, next, { type: 'DELETE' }, { type: 'ANSWER', answer: 'yes' }, { type: 'HELP' }, next,
  ],
};

describe('persisted snapshot', () => {
  for (const [name, walk] of Object.entries(WALKS)) {
    it(`restores after every step of a walk (${name}) and continues identically`, () => {
      const [first, ...rest] = walk;
      const original = new FlowDriver();
      if (first) original.send(first);
      for (const [i, event] of rest.entries()) {
        const restored = new FlowDriver(original.persisted());
        expect(restored.status).toBe('active');
        expect(restored.value).toBe(original.value);
        expect(restored.context).toEqual(original.context);
        const expected = original.send(event);
        expect(restored.send(event), `${name}, step ${i + 2}`).toEqual(expected);
        expect(restored.value).toBe(original.value);
        expect(restored.context).toEqual(original.context);
      }
    });
  }

  it('keeps what it learned across a restore: locale, facts, risk and steps seen', () => {
    const driver = new FlowDriver();
    driver.sendAll([
      { type: 'START' }, { type: 'ANSWER', answer: 'yes' }, { type: 'FACTS', facts: { age: 14, who: 'partner' } }, info,
      { type: 'SET_LANGUAGE', locale: 'pl' }, { type: 'RISK', level: 'thoughts', danger: false },
    ]);
    const restored = new FlowDriver(driver.persisted());
    expect(restored.context).toMatchObject({ locale: 'pl', risk: 'thoughts', facts: { age: 14, ageGroup: 'under18', who: 'partner' } });
    expect(restored.context.seen).toEqual(['welcome', 'safety', 'age', 'under18', 'paid', 'risk']);
  });
});
