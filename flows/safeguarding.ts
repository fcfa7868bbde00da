/**
 * The safeguarding model: the facts a person can tell the bot, the risk
 * levels it recognises, and the age cut-offs that choose which help is
 * offered. Defined once here and imported everywhere else (flow,
 * understanding, engine, console, metrics), so a rule can never differ
 * between two places.
 */

/** Under this age the child routes apply (CEOP, Childline, Report Remove, Take It Down). */
export const ADULT_AGE = 18;

/** Childline is for under-19s: under this age Childline is offered beside Samaritans. */
export const CHILDLINE_AGE_LIMIT = 19;

/**
 * Risk to the person's own life, lowest first. `unclear` is a hint that
 * needs a direct question; the others each have their own reply:
 * `thoughts` (wanting to die, no plan), `imminent` (a plan, the means, a
 * place or a time), `harmed` (has already taken or done something).
 */
export const RISK_LEVELS = ['unclear', 'thoughts', 'imminent', 'harmed'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Levels whose reply says "call 999 now". Danger from someone else is also answered with 999 now. */
export const EMERGENCY_LEVELS: readonly RiskLevel[] = ['imminent', 'harmed'];

/** Levels that are a disclosure of suicidal thoughts or self-harm (crisis contacts first from then on). */
export const CRISIS_LEVELS: readonly RiskLevel[] = ['thoughts', 'imminent', 'harmed'];

/** The higher of two risk levels (undefined is no risk). */
export function higherRisk(a: RiskLevel | undefined, b: RiskLevel | undefined): RiskLevel | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return RISK_LEVELS.indexOf(a) >= RISK_LEVELS.indexOf(b) ? a : b;
}

/** True when `level` is at least `floor`. */
export function riskAtLeast(level: RiskLevel | undefined, floor: RiskLevel): boolean {
  return level !== undefined && RISK_LEVELS.indexOf(level) >= RISK_LEVELS.indexOf(floor);
}

/** Why a conversation joined the call handlers' queue. */
export const HANDOFF_REASONS = ['requested', 'crisis', 'danger', 'child-at-risk'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

/** What is known of the age of the person the images are of. `declined`: asked, and they preferred not to say. */
export const AGE_GROUPS = ['unknown', 'under18', 'adult', 'declined'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

/** How they paid. */
export const PAY_METHODS = ['transfer', 'giftCard', 'crypto', 'other'] as const;
export type PayMethod = (typeof PAY_METHODS)[number];

/** What the blackmailer wants: money, more images or sexual acts, a relationship, or something else. */
export const DEMANDS = ['money', 'sexual', 'relationship', 'other'] as const;
export type Demand = (typeof DEMANDS)[number];

/** Who it is: a stranger online, a partner or ex, or someone they know offline. */
export const PERPETRATORS = ['stranger', 'partner', 'known'] as const;
export type Perpetrator = (typeof PERPETRATORS)[number];

/**
 * The images: only threatened, already shared, never taken (a bluff email
 * claiming webcam footage), or faked (AI-made or edited).
 */
export const IMAGE_STATUSES = ['threatened', 'shared', 'none', 'fake'] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

/** Where it is happening. */
export const PLATFORMS = [
  'instagram', 'snapchat', 'tiktok', 'facebook', 'x', 'whatsapp', 'discord', 'telegram', 'email', 'dating', 'game', 'other',
] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Who is writing: the person themselves, or a parent or carer, a friend, or a teacher or other professional. */
export const WRITERS = ['self', 'parent', 'friend', 'teacher'] as const;
export type Writer = (typeof WRITERS)[number];

/**
 * Everything the person has told the bot about their situation. Each field
 * is unset until told. `age` and `ageGroup` are about the person the images
 * are of, which is the child when a parent or teacher is writing.
 */
export interface Facts {
  readonly age?: number;
  readonly ageGroup: AgeGroup;
  readonly paid?: boolean;
  readonly payMethod?: PayMethod;
  /** Roughly how much, in the currency they named (not stored with it). */
  readonly amount?: number;
  readonly demand?: Demand;
  readonly who?: Perpetrator;
  readonly images?: ImageStatus;
  /** The images were taken when they were under 18 (Take It Down and the IWF still apply to an adult). */
  readonly takenUnder18?: boolean;
  readonly platform?: Platform;
  /** They were given a deadline. */
  readonly deadline?: boolean;
  readonly writer?: Writer;
  /** The threat is to reveal their sexuality or gender identity. */
  readonly outing?: boolean;
}

/** Nothing known yet. */
export const NO_FACTS: Facts = Object.freeze({ ageGroup: 'unknown' });

/** The age group a stated age puts someone in. */
export function ageGroupOf(age: number): 'under18' | 'adult' {
  return age < ADULT_AGE ? 'under18' : 'adult';
}

/**
 * Merges newly told facts into what is known. A later statement replaces an
 * earlier one, with two exceptions. Once known to be under 18, a later
 * "adult" statement does not take the child routes away (it keeps children
 * safe). And a stated age is not overturned by words that only suggest an
 * age group ("i was underage in them" from someone who said they are 19):
 * only another stated age changes it.
 */
export function mergeFacts(known: Facts, told: Partial<Facts>): Facts {
  const merged: { -readonly [K in keyof Facts]: Facts[K] } = { ...known };
  for (const [name, value] of Object.entries(told) as [keyof Facts, Facts[keyof Facts]][]) {
    if (value !== undefined) (merged as Record<string, unknown>)[name] = value;
  }
  if (told.age !== undefined && told.ageGroup === undefined) merged.ageGroup = ageGroupOf(told.age);
  if (told.age === undefined && known.age !== undefined) merged.ageGroup = known.ageGroup;
  if (known.ageGroup === 'under18' && merged.ageGroup !== 'under18') {
    merged.ageGroup = 'under18';
    if (known.age !== undefined) merged.age = known.age;
  }
  if (told.ageGroup === 'declined' && known.ageGroup !== 'unknown' && known.ageGroup !== 'declined') merged.ageGroup = known.ageGroup;
  return merged;
}

/** Known to be under 18 (the images are of a child). */
export function isChild(facts: Facts): boolean {
  return facts.ageGroup === 'under18';
}

/** Known to be 18 or over. */
export function isAdult(facts: Facts): boolean {
  return facts.ageGroup === 'adult';
}

/** Known to be under 19, so Childline is theirs. */
export function isUnder19(facts: Facts): boolean {
  return isChild(facts) || (facts.age !== undefined && facts.age < CHILDLINE_AGE_LIMIT);
}

/** Known to be 19 or over: Childline is not for them. */
export function isPastChildline(facts: Facts): boolean {
  return facts.age !== undefined ? facts.age >= CHILDLINE_AGE_LIMIT : false;
}

/** Someone other than the person themselves is writing (a parent, friend or teacher). */
export function writesForSomeoneElse(facts: Facts): boolean {
  return facts.writer !== undefined && facts.writer !== 'self';
}
