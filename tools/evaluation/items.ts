import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ANSWERS, COMMANDS, QUESTIONS, SOCIAL_KINDS } from '../../flows/intents.js';
import { AGE_GROUPS, DEMANDS, IMAGE_STATUSES, PAY_METHODS, PERPETRATORS, PLATFORMS, RISK_LEVELS, WRITERS } from '../../flows/safeguarding.js';

/**
 * The labelled-message format shared by the training corpus and the
 * evaluation splits (development and test). The splits are written by people
 * who never saw the rules, from a description of these categories only; the
 * format is theirs, so it is read strictly: an unknown label is an error, not
 * a silent miss.
 */

/** The languages of the labelled sets, and the locale each stands for. */
export const ITEM_LANGUAGES = { en: 'en-GB', cy: 'cy', pl: 'pl' } as const;
export type ItemLanguage = keyof typeof ITEM_LANGUAGES;

/** What the bot had just asked when the message was sent. */
export const CONTEXTS = ['any', 'safety', 'riskCheck', 'age', 'paid'] as const;
export type ItemContext = (typeof CONTEXTS)[number];

/** Risk as labelled: the four levels, danger from someone else, or none. */
export const ITEM_RISKS = [...RISK_LEVELS, 'danger', 'none'] as const;
export type ItemRisk = (typeof ITEM_RISKS)[number];

const language = z.enum(Object.keys(ITEM_LANGUAGES) as [ItemLanguage, ...ItemLanguage[]]);

const factsSchema = z.strictObject({
  age: z.number().int().min(0).max(120).optional(),
  ageGroup: z.enum(AGE_GROUPS).exclude(['unknown']).optional(),
  paid: z.boolean().optional(),
  payMethod: z.enum(PAY_METHODS).optional(),
  amount: z.number().min(0).optional(),
  demand: z.enum(DEMANDS).optional(),
  who: z.enum(PERPETRATORS).optional(),
  images: z.enum(IMAGE_STATUSES).optional(),
  takenUnder18: z.boolean().optional(),
  platform: z.enum(PLATFORMS).optional(),
  deadline: z.boolean().optional(),
  writer: z.enum(WRITERS).optional(),
  outing: z.boolean().optional(),
});

/** One labelled message. */
export const itemSchema = z.strictObject({
  id: z.string().min(1),
  lang: language,
  context: z.enum(CONTEXTS),
  text: z.string(),
  risk: z.enum(ITEM_RISKS),
  answer: z.enum(ANSWERS).optional(),
  facts: factsSchema.default({}),
  question: z.enum(QUESTIONS).optional(),
  command: z.enum(COMMANDS).optional(),
  switchTo: language.optional(),
  social: z.enum(SOCIAL_KINDS).optional(),
  understood: z.boolean(),
  note: z.string().optional(),
});
export type LabelledItem = z.infer<typeof itemSchema>;
export type LabelledFacts = LabelledItem['facts'];

/** The markers a conversation's expectations may use besides literal text. */
export const MARKERS = [
  'WELCOME', 'ASK_SAFE', 'ASK_RISK', 'ASK_AGE', 'ASK_PAID', 'CHILD_ROUTE', 'IF_UNDER_18', 'IF_UNDER_19', 'NOT_UNDERSTOOD', 'HANDOFF',
] as const;
export type Marker = (typeof MARKERS)[number];

const turnSchema = z.union([
  z.strictObject({ user: z.string(), expect: z.array(z.string()).default([]), forbid: z.array(z.string()).default([]) }),
  z.strictObject({ silence: z.literal(true), expect: z.array(z.string()).default([]), forbid: z.array(z.string()).default([]) }),
]);

/** A whole conversation: what the person types, turn by turn, and what each reply must and must not contain. */
export const conversationSchema = z.strictObject({
  id: z.string().min(1),
  lang: language,
  description: z.string(),
  turns: z.array(turnSchema).min(1),
});
export type LabelledConversation = z.infer<typeof conversationSchema>;
export type ConversationTurn = LabelledConversation['turns'][number];

/** Reads and checks a file of labelled messages; throws naming the file and the first bad item. */
export function readItems(path: string): LabelledItem[] {
  const parsed = z.array(itemSchema).safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Reads and checks a file of labelled conversations. */
export function readConversations(path: string): LabelledConversation[] {
  const parsed = z.array(conversationSchema).safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
