import { ANSWERS, COMMANDS, QUESTIONS, SOCIAL_KINDS } from '../../flows/intents.js';
import { DEMANDS, IMAGE_STATUSES, PAY_METHODS, PERPETRATORS, RISK_LEVELS, WRITERS } from '../../flows/safeguarding.js';

/** The class every head has for "the message says nothing about this". */
export const NONE = 'none';

/**
 * The classifier's heads and their classes. One model answers each of these
 * questions about a message; the lists come from the safeguarding model and
 * the intent lists, so a new question or fact is one edit there plus
 * labelled examples in the corpus.
 */
export const MODEL_HEADS = {
  /** The language the message is written in (the corpus's own label). */
  language: ['en', 'cy', 'pl'],
  risk: [NONE, ...RISK_LEVELS, 'danger'],
  answer: [NONE, ...ANSWERS],
  question: [NONE, ...QUESTIONS],
  command: [NONE, ...COMMANDS],
  // A reassurance ("im fine") is known from the rules' `safe` list, not learned.
  social: [NONE, ...SOCIAL_KINDS.filter((kind) => kind !== 'reassured')],
  switchTo: [NONE, 'en', 'cy', 'pl'],
  paid: [NONE, 'yes', 'no'],
  payMethod: [NONE, ...PAY_METHODS],
  demand: [NONE, ...DEMANDS],
  who: [NONE, ...PERPETRATORS],
  images: [NONE, ...IMAGE_STATUSES],
  writer: [NONE, ...WRITERS],
  deadline: [NONE, 'yes'],
  outing: [NONE, 'yes'],
  takenUnder18: [NONE, 'yes'],
} as const satisfies Record<string, readonly string[]>;

export type ModelHead = keyof typeof MODEL_HEADS;
