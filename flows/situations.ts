import type { Facts } from './safeguarding.js';
import type { GuidedStep } from './support-context.js';

/**
 * Situations a person can pick from the menu instead of typing them ("an
 * email says it has a video of me", "I'm a parent"). Each tells the fact the
 * same words typed would, and leads to the step with that situation's
 * advice. Typed, the same facts lead there too: through the guided steps
 * while they are under way, and straight to the step once they are over.
 */
export const SITUATIONS = [
  { id: 'bluff', facts: { images: 'none' }, step: 'bluffEmail' },
  { id: 'parent', facts: { writer: 'parent' }, step: 'age' },
  { id: 'teacher', facts: { writer: 'teacher' }, step: 'age' },
  { id: 'known', facts: { who: 'known' }, step: 'knownPerson', told: [{ who: 'known' }, { who: 'partner' }] },
  { id: 'more', facts: { demand: 'sexual' }, step: 'moreImages' },
  { id: 'paid', facts: { paid: true }, step: 'paidAdvice' },
  { id: 'shared', facts: { images: 'shared' }, step: 'takedown' },
  { id: 'young', facts: { takenUnder18: true }, step: 'takedown' },
  { id: 'fake', facts: { images: 'fake' }, step: 'takedown' },
  { id: 'outing', facts: { outing: true }, step: 'outing' },
] as const satisfies readonly Situation[];

/** One situation: its id (the button is `sit:<id>`), the fact it tells, and the step it leads to. */
export interface Situation {
  readonly id: string;
  readonly facts: Partial<Facts>;
  /** The step with its advice; `age` for a parent or teacher, whose advice follows the child's age. */
  readonly step: GuidedStep;
  /** Facts that, told in words, are this situation (any one of them); the button's own fact when not given. */
  readonly told?: readonly Partial<Facts>[];
}

export type SituationId = (typeof SITUATIONS)[number]['id'];

/** Prefix of a button that picks a situation: `sit:bluff`. */
export const SITUATION_CHOICE_PREFIX = 'sit:';

/** The situations these facts tell, in the list's order. */
export function situationsTold(facts: Partial<Facts>): SituationId[] {
  const tells = (told: Partial<Facts>) => Object.entries(told).every(([name, value]) => facts[name as keyof Facts] === value);
  return SITUATIONS.filter((s: Situation) => (s.told ?? [s.facts]).some(tells)).map((s) => s.id);
}

/** The flow state a situation leads to: a parent's or teacher's advice waits for the child's age. */
export function situationTarget(situation: Situation): string {
  return situation.step === 'age' ? '#toAge' : `#${situation.step}`;
}

/** The situation with this id, or undefined. */
export function situationById(id: string): Situation | undefined {
  return SITUATIONS.find((s) => s.id === id);
}
