import { QUESTIONS, type Question } from './intents.js';
import { SITUATION_CHOICE_PREFIX, situationById, type SituationId } from './situations.js';
import type { SupportEvent } from './support-events.js';

/** Platforms cap button payloads (Telegram callback data is 64 bytes); ours stay well inside. */
export const MAX_CHOICE_ID_BYTES = 32;

/** Prefix of a button that asks a question from the menu: `q:shouldPay`. */
export const QUESTION_CHOICE_PREFIX = 'q:';
/** Prefix of a button that chooses a language: `lang:cy`. */
export const LANGUAGE_CHOICE_PREFIX = 'lang:';

/**
 * Button ids the flow offers and the events each stands for. A button press
 * is an exact answer, so it skips free-text understanding entirely: the id
 * alone decides the events, and an old button pressed later still means the
 * same thing. Some buttons tell a fact and move on (FACTS then INFO), as the
 * same words typed would.
 */
const FIXED: Readonly<Record<string, readonly SupportEvent[]>> = {
  next: [{ type: 'NEXT' }],
  continue: [{ type: 'NEXT' }],
  yes: [{ type: 'ANSWER', answer: 'yes' }],
  no: [{ type: 'ANSWER', answer: 'no' }],
  safe: [{ type: 'ANSWER', answer: 'yes' }],
  not_safe: [{ type: 'ANSWER', answer: 'no' }],
  safe_other: [{ type: 'ANSWER', answer: 'yes' }],
  not_safe_other: [{ type: 'ANSWER', answer: 'no' }],
  danger: [{ type: 'RISK', danger: true }],
  crisis: [{ type: 'RISK', level: 'thoughts', danger: false }],
  under18: [{ type: 'FACTS', facts: { ageGroup: 'under18' } }, { type: 'INFO' }],
  adult: [{ type: 'FACTS', facts: { ageGroup: 'adult' } }, { type: 'INFO' }],
  age_skip: [{ type: 'FACTS', facts: { ageGroup: 'declined' } }, { type: 'INFO' }],
  paid: [{ type: 'FACTS', facts: { paid: true } }, { type: 'INFO' }],
  not_paid: [{ type: 'FACTS', facts: { paid: false } }, { type: 'INFO' }],
  menu: [{ type: 'MENU' }],
  more: [{ type: 'MENU', page: 'more' }],
  situations: [{ type: 'MENU', page: 'situations' }],
  help: [{ type: 'HELP' }],
  human: [{ type: 'HUMAN' }],
  language: [{ type: 'LANGUAGE' }],
  delete: [{ type: 'DELETE' }],
  clear: [{ type: 'CLEAR_CHAT' }],
  clear_yes: [{ type: 'CLEAR_CONFIRMED', leave: 'note' }],
  clear_silent: [{ type: 'CLEAR_CONFIRMED', leave: 'nothing' }],
  cancel: [{ type: 'CANCEL' }],
  leave: [{ type: 'CANCEL' }],
};

/** Buttons that mean the same whenever they are pressed, however old the message they came with. */
export const ALWAYS_VALID_CHOICES: ReadonlySet<string> = new Set([
  'menu', 'more', 'situations', 'human', 'language', 'delete', 'clear', 'help', 'cancel', 'leave', 'danger', 'crisis',
]);

/** A locale code such as `en-GB`, `cy` or `pl-PL` (checked for shape only; the engine checks it exists). */
const LOCALE_CODE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

/**
 * Maps a button id to its flow events, or undefined for an id the flow never
 * offers (a forged or stale payload), which the engine treats as not understood.
 * `q:<Question>` asks a question, `sit:<situation>` tells a situation (its
 * fact, then its advice) and `lang:<locale>` switches language.
 */
export function choiceToEvents(choiceId: string): readonly SupportEvent[] | undefined {
  if (new TextEncoder().encode(choiceId).length > MAX_CHOICE_ID_BYTES) return undefined;
  if (Object.hasOwn(FIXED, choiceId)) return FIXED[choiceId];
  if (choiceId.startsWith(QUESTION_CHOICE_PREFIX)) {
    const question = choiceId.slice(QUESTION_CHOICE_PREFIX.length);
    return (QUESTIONS as readonly string[]).includes(question) ? [{ type: 'QUESTION', question: question as Question }] : undefined;
  }
  if (choiceId.startsWith(SITUATION_CHOICE_PREFIX)) {
    const situation = situationById(choiceId.slice(SITUATION_CHOICE_PREFIX.length));
    return situation && [{ type: 'FACTS', facts: situation.facts }, { type: 'SITUATION', situation: situation.id as SituationId }];
  }
  if (choiceId.startsWith(LANGUAGE_CHOICE_PREFIX)) {
    const locale = choiceId.slice(LANGUAGE_CHOICE_PREFIX.length);
    return LOCALE_CODE.test(locale) ? [{ type: 'SET_LANGUAGE', locale }] : undefined;
  }
  return undefined;
}

/** Whether a button may be acted on even when it came with an older message. */
export function isAlwaysValidChoice(choiceId: string): boolean {
  return (
    ALWAYS_VALID_CHOICES.has(choiceId) ||
    choiceId.startsWith(QUESTION_CHOICE_PREFIX) ||
    choiceId.startsWith(SITUATION_CHOICE_PREFIX) ||
    choiceId.startsWith(LANGUAGE_CHOICE_PREFIX)
  );
}
