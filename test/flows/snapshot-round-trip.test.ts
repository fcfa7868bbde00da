import { describe, expect, it } from 'vitest';
import type { SupportEvent } from '../../flows/support-events.js';
import { FlowDriver } from './flow-driver.js';

const next = { type: 'NEXT' } as const;

/** Complete conversations, each a list of the events one person's messages become. */
const WALKS: Record<string, readonly SupportEvent[]> = {
  'button path, adult': [
    { type: 'START' }, next, { type: 'NO' }, { type: 'AGE', group: 'adult' }, { type: 'NOT_PAID' },
    next, next, next, { type: 'KNOWN_PERSON' }, next, next, { type: 'MENU' },
  ],
  'button path, under 18 who has paid': [
    { type: 'START' }, next, { type: 'NO' }, { type: 'AGE', group: 'under18' }, next, { type: 'PAID' },
    next, next, next, next, next, { type: 'HUMAN' }, next,
  ],
  'free-text topic jumps': [
    { type: 'TOPIC', topic: 'paying' }, { type: 'YES' }, { type: 'TOPIC', topic: 'crime' }, next,
    { type: 'FACTS', age: 15 }, { type: 'TOPIC', topic: 'takedown' }, { type: 'TOPIC', topic: 'deleting' }, next,
    { type: 'TOPIC', topic: 'whoToCall' }, next, { type: 'UNKNOWN' }, { type: 'ATTACHMENT' },
  ],
  'help, language and delete detours': [
    { type: 'UNKNOWN' }, next, { type: 'HELP' }, { type: 'DANGER' }, next, { type: 'LANGUAGE' }, { type: 'HELP' },
    { type: 'SET_LANGUAGE', locale: 'cy' }, { type: 'DELETE' }, { type: 'NO' }, { type: 'CRISIS', danger: false }, next,
    { type: 'DELETE' }, { type: 'YES' }, { type: 'HELP' }, next,
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
        restored.stop();
      }
      original.stop();
    });
  }

  it('keeps what it learned across a restore: locale, child route and steps seen', () => {
    const driver = new FlowDriver();
    driver.sendAll([{ type: 'START' }, next, { type: 'NO' }, { type: 'AGE', group: 'under18', age: 14 }, { type: 'SET_LANGUAGE', locale: 'pl' }]);
    const restored = new FlowDriver(driver.persisted());
    expect(restored.context).toMatchObject({ locale: 'pl', age: 14, ageGroup: 'under18', flags: { under18: true } });
    expect(restored.context.seen).toEqual(['welcome', 'safety', 'age', 'under18']);
    driver.stop();
    restored.stop();
  });
});
