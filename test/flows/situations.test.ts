import { describe, expect, it } from 'vitest';
import { choiceToEvents } from '../../flows/choices.js';
import { CHOICES, MAX_CHOICES } from '../../flows/replies.js';
import type { Facts } from '../../flows/safeguarding.js';
import { SITUATIONS, situationsTold } from '../../flows/situations.js';
import type { SupportEvent } from '../../flows/support-events.js';
import { FlowDriver, replies, replyKeys as allReplyKeys } from './flow-driver.js';

const replyKeys = (emitted: Parameters<typeof allReplyKeys>[0]) => allReplyKeys(emitted).filter((k) => !k.startsWith('local.'));
const next = { type: 'NEXT' } as const;
const yes = { type: 'ANSWER', answer: 'yes' } as const;
const facts = (f: Partial<Facts>): SupportEvent => ({ type: 'FACTS', facts: f });
const info = (f: Partial<Facts>): SupportEvent => ({ type: 'INFO', situations: situationsTold(f) });
const press = (id: string): SupportEvent[] => [...(choiceToEvents(id) ?? [])];

/** A person who said hello and that they are safe, and is now asked their age. */
function atAge(): FlowDriver {
  const driver = new FlowDriver();
  driver.turn({ type: 'SOCIAL', kind: 'greeting' });
  driver.turn(yes);
  return driver;
}

/** An adult who has been through every step and is at the menu. */
function atMenuAfterAll(): FlowDriver {
  const driver = atAge();
  driver.turn(facts({ age: 30, paid: false }), info({ age: 30, paid: false }));
  for (let steps = 0; !allReplyKeys(driver.turn(next)).some((k) => k.startsWith('menu.')); steps++) {
    if (steps > 20) throw new Error('the steps never reached the menu');
  }
  return driver;
}

describe('the menu and situations', () => {
  it('offers no more buttons in one message than every channel shows', () => {
    for (const [name, choices] of Object.entries(CHOICES)) expect(choices.length, name).toBeLessThanOrEqual(MAX_CHOICES);
  });

  it('keeps a person, the language and the other pages on the first page of the menu', () => {
    expect(CHOICES.menu).toEqual(expect.arrayContaining(['human', 'language', 'more', 'situations', 'continue']));
    expect(CHOICES.menuMore).toEqual(expect.arrayContaining(['delete', 'menu', 'q:isBot', 'q:platformHelp', 'q:alreadyBlocked', 'q:alreadyDeleted', 'clear']));
    expect(CHOICES.menuSituations).toEqual([...SITUATIONS.map((s) => `sit:${s.id}`), 'menu']);
  });

  it('opens the more-questions and situations pages, answers from them and comes back', () => {
    const driver = atAge();
    const more = replies(driver.turn(...press('more')));
    expect(more.map((r) => r.key)).toEqual(['menu.more']);
    expect(more[0]?.choices).toEqual(CHOICES.menuMore);
    expect(replyKeys(driver.turn(...press('q:isBot')))).toEqual(['answer.isBot.any', 'resume.menu']);
    const situations = replies(driver.turn(...press('situations')));
    expect(situations.map((r) => r.key)).toEqual(['menu.situations']);
    expect(situations[0]?.choices).toEqual(CHOICES.menuSituations);
    expect(replyKeys(driver.turn(...press('menu')))).toEqual(['menu.intro']);
    expect(replyKeys(driver.turn(next))).toEqual(['age.ask']);
  });

  it.each([
    ['bluff', ['bluffEmail.advice']],
    ['parent', ['age.askOther']],
    ['teacher', ['age.askOther']],
    ['known', ['knownPerson.unknown']],
    ['more', ['moreImages.unknown']],
    ['paid', ['paid.already']],
    ['shared', ['takedown.shared.unknown']],
    ['young', ['takedown.unknown']],
    ['fake', ['takedown.fake', 'takedown.unknown']],
    ['outing', ['outing.advice']],
  ] as const)('leads the "%s" situation, picked from the menu, to its advice', (id, keys) => {
    const driver = atAge();
    driver.turn(...press('situations'));
    expect(replyKeys(driver.turn(...press(`sit:${id}`)))).toEqual(keys);
  });

  it('starts with "are you safe?" when a situation is picked before anything else', () => {
    const driver = new FlowDriver();
    expect(replyKeys(driver.turn({ type: 'MENU', page: 'situations' }))[0]).toBe('welcome.short');
    expect(replyKeys(driver.turn(...press('sit:bluff')))).toEqual(['safety.ask']);
    expect(replyKeys(driver.turn(yes))).toEqual(['safety.glad', 'bluffEmail.advice']);
  });

  it('gives a parent who picks their situation advice addressed to them, to the end', () => {
    const driver = atAge();
    driver.turn(...press('situations'));
    driver.turn(...press('sit:parent'));
    expect(replyKeys(driver.turn(facts({ age: 14 }), info({ age: 14 })))).toEqual(['helper.parent.child']);
    expect(replyKeys(driver.turn(next))).toEqual(['evidence.saveOther']);
    expect(replyKeys(driver.turn(next))).toEqual(['takedown.helper.child']);
    expect(replyKeys(driver.turn(next))).toEqual(['report.helper']);
    expect(replyKeys(driver.turn(next))).toEqual(['summary.helper']);
  });

  it('leads a situation told in words after the last step to its advice', () => {
    const driver = atMenuAfterAll();
    expect(replyKeys(driver.turn(facts({ deadline: true }), info({ deadline: true })))).toEqual(['info.noted', 'resume.menu']);
    expect(replyKeys(driver.turn(facts({ who: 'partner' }), info({ who: 'partner' })))).toEqual(['knownPerson.adult']);
    const shared = atMenuAfterAll();
    expect(replyKeys(shared.turn(facts({ images: 'shared' }), info({ images: 'shared' })))).toEqual(['takedown.shared.adult']);
  });

  it('keeps a situation told in words during the steps for its place in them', () => {
    const driver = atAge();
    driver.turn(facts({ age: 30, paid: false }), info({ age: 30, paid: false }));
    expect(replyKeys(driver.turn(facts({ who: 'known' }), info({ who: 'known' })))).toEqual(['info.noted', 'resume.advice']);
  });

  it('tells an adult whose images from under 18 are already out about Take It Down and the IWF', () => {
    const driver = atAge();
    driver.turn(facts({ age: 23, takenUnder18: true, images: 'shared', paid: false }), info({ age: 23, paid: false }));
    driver.turn(next);
    driver.turn(next);
    expect(replyKeys(driver.turn(next))).toEqual(['takedown.shared.adultTakenYoung']);
  });

  it('asks a parent about the other person\'s safety with buttons worded for them', () => {
    const emitted = new FlowDriver().turn(facts({ writer: 'parent' }), { type: 'INFO' });
    expect(replies(emitted).at(-1)?.choices).toEqual(['safe_other', 'not_safe_other', 'language']);
    expect(choiceToEvents('safe_other')).toEqual([{ type: 'ANSWER', answer: 'yes' }]);
  });

  it('tells the situations a message\'s facts are', () => {
    expect(situationsTold({ who: 'stranger' })).toEqual([]);
    expect(situationsTold({ who: 'partner' })).toEqual(['known']);
    expect(situationsTold({ who: 'known', images: 'shared', age: 20 })).toEqual(['known', 'shared']);
    expect(choiceToEvents('sit:nothing')).toBeUndefined();
  });
});
