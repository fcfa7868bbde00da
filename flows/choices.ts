import { TOPICS, type SupportEvent, type Topic } from './support-events.js';

/** Platforms cap button payloads (Telegram callback data is 64 bytes); ours stay well inside. */
export const MAX_CHOICE_ID_BYTES = 32;

/**
 * Button ids the flow offers and the event each stands for. A button press is
 * an exact answer, so it skips free-text understanding entirely: the id alone
 * decides the event, and an old button pressed later still means the same thing.
 */
const FIXED: Readonly<Record<string, SupportEvent>> = {
  next: { type: 'NEXT' },
  continue: { type: 'NEXT' },
  yes: { type: 'YES' },
  no: { type: 'NO' },
  safe: { type: 'NO' },
  danger: { type: 'DANGER' },
  crisis: { type: 'CRISIS', danger: false },
  under18: { type: 'AGE', group: 'under18' },
  adult: { type: 'AGE', group: 'adult' },
  paid: { type: 'PAID' },
  not_paid: { type: 'NOT_PAID' },
  known: { type: 'KNOWN_PERSON' },
  menu: { type: 'MENU' },
  help: { type: 'HELP' },
  human: { type: 'HUMAN' },
  language: { type: 'LANGUAGE' },
  delete: { type: 'DELETE' },
  cancel: { type: 'CANCEL_HANDOFF' },
};

/** A locale code such as `en-GB`, `cy` or `pl-PL` (checked for shape only; the engine checks it exists). */
const LOCALE_CODE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

/**
 * Maps a button id to its flow event, or undefined for an id the flow never
 * offers (a forged or stale payload), which the engine treats as not understood.
 * `topic:<Topic>` opens a topic and `lang:<locale>` switches language.
 */
export function choiceToEvent(choiceId: string): SupportEvent | undefined {
  if (new TextEncoder().encode(choiceId).length > MAX_CHOICE_ID_BYTES) return undefined;
  if (Object.hasOwn(FIXED, choiceId)) return FIXED[choiceId];
  if (choiceId.startsWith('topic:')) {
    const topic = choiceId.slice('topic:'.length);
    return (TOPICS as readonly string[]).includes(topic) ? { type: 'TOPIC', topic: topic as Topic } : undefined;
  }
  if (choiceId.startsWith('lang:')) {
    const locale = choiceId.slice('lang:'.length);
    return LOCALE_CODE.test(locale) ? { type: 'SET_LANGUAGE', locale } : undefined;
  }
  return undefined;
}
