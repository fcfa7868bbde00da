import type { ClearKind, SupportEvent } from './support-events.js';
import {
  CRISIS_LEVELS,
  type Facts,
  type RiskLevel,
  isAdult,
  isChild,
  isPastChildline,
  isUnder19,
  NO_FACTS,
  writesForSomeoneElse,
} from './safeguarding.js';

/**
 * The steps of the guided conversation, in the order they can come. Each is
 * a state of the flow with the same id; which of them a person sees depends
 * on what they have told (a bluff email, a parent writing, a child asked for
 * more images, an ex…).
 */
export const GUIDED_STEPS = [
  'safety', 'bluffEmail', 'age', 'helper', 'moreImages', 'paid', 'paidAdvice', 'notPaidAdvice', 'contact', 'evidence',
  'takedown', 'knownPerson', 'outing', 'reporting', 'summary',
] as const;
export type GuidedStep = (typeof GUIDED_STEPS)[number];

/** Places outside the guided steps that a person can visit and come back from. */
export const DETOURS = ['welcome', 'under18', 'risk', 'riskCheck', 'menu', 'handoff', 'clearChat'] as const;

/** Every step, recorded when shown, so a summary or a call handler knows what was covered. */
export type Step = GuidedStep | (typeof DETOURS)[number];

/**
 * Everything the flow remembers about one person. Kept small and JSON-safe
 * because it is persisted after every turn; it never holds their words.
 */
export interface SupportContext {
  /** The language they chose; unset means the engine's own guess. */
  locale?: string;
  facts: Facts;
  /** The highest risk to their own life they have disclosed. */
  risk?: RiskLevel;
  /** They have said someone else puts them in danger. */
  danger: boolean;
  /** The step the person is on, for the line that brings them back after a question. */
  step: Step;
  /** The guided step to come back to after a detour (a crisis reply, the menu, a handoff). */
  returnStep?: GuidedStep;
  /** They answered "are you safe right now?" (or told of a risk, which answers it). */
  safetyAnswered: boolean;
  /** Steps seen, in order. */
  seen: Step[];
  /** Known to be a child, and the child message is still to be given. */
  childNoticeDue: boolean;
  /** False until the guided flow has been entered since the start or the last erase. */
  flowStarted: boolean;
  /** Where the person is with a call handler. */
  handoff: 'none' | 'queued' | 'withHandler';
  /** What the platform lets the bot delete, as told when they last asked to clear the chat. */
  clearable?: Exclude<ClearKind, 'none'>;
}

/** A fresh context: nothing known. Also what an erase resets to. */
export function initialSupportContext(): SupportContext {
  return {
    facts: NO_FACTS,
    danger: false,
    step: 'welcome',
    safetyAnswered: false,
    seen: [],
    childNoticeDue: false,
    flowStarted: false,
    handoff: 'none',
  };
}

/** They have disclosed suicidal thoughts, self-harm or danger: crisis contacts come first from then on. */
export function riskKnown(context: SupportContext): boolean {
  return context.danger || (context.risk !== undefined && CRISIS_LEVELS.includes(context.risk));
}

/**
 * When a reply variant applies. Every field given must hold. The flow lists a
 * reply's variants in order and the first that applies is said, so each
 * place lists variants that between them cover every case.
 */
export interface Condition {
  /** The age of the person the images are of: known child, known adult, or not known (including "prefer not to say"). */
  readonly age?: 'child' | 'adult' | 'unknown';
  /** Whether Childline is theirs: known under 19, known 19 or over, or not known. */
  readonly childline?: 'young' | 'older' | 'unknown';
  /** The step they are on. */
  readonly step?: Step;
  /** Crisis or danger disclosed before or now. */
  readonly risk?: boolean;
  /** The risk level to answer (the highest disclosed). */
  readonly level?: RiskLevel;
  /** Suicidal thoughts or self-harm disclosed (a level of thoughts or above). */
  readonly crisis?: boolean;
  /** Danger from someone else disclosed. */
  readonly danger?: boolean;
  /** Who is writing: the person themselves, or an adult writing for them (a parent, a teacher, a friend). */
  readonly writer?: 'self' | 'other';
  /** Why no call handler can come (from the HANDOFF_UNAVAILABLE event). */
  readonly unavailable?: 'closed' | 'busy';
  /** What the platform lets the bot delete (as noted when they asked to clear the chat). */
  readonly clearable?: Exclude<ClearKind, 'none'>;
  /** How clearing the chat went (from the CHAT_CLEARED event), see {@link clearOutcome}. */
  readonly cleared?: ClearOutcome;
  /** Facts that must be known to have these values (`null`: must not be known). */
  readonly facts?: { readonly [K in ConditionFact]?: Facts[K] | null };
}

/** The facts a reply variant may depend on. */
export type ConditionFact = 'paid' | 'payMethod' | 'platform' | 'who' | 'demand' | 'images' | 'takenUnder18' | 'outing' | 'writer' | 'deadline';

/** Whether a condition holds for this context and event. */
export function holds(when: Condition, context: SupportContext, event: SupportEvent): boolean {
  const f = context.facts;
  if (when.age !== undefined) {
    const age = isChild(f) ? 'child' : isAdult(f) ? 'adult' : 'unknown';
    if (age !== when.age) return false;
  }
  if (when.childline !== undefined) {
    const childline = isUnder19(f) ? 'young' : isPastChildline(f) ? 'older' : 'unknown';
    if (childline !== when.childline) return false;
  }
  if (when.step !== undefined && context.step !== when.step) return false;
  if (when.risk !== undefined && riskKnown(context) !== when.risk) return false;
  if (when.level !== undefined && context.risk !== when.level) return false;
  if (when.crisis !== undefined && (context.risk !== undefined && CRISIS_LEVELS.includes(context.risk)) !== when.crisis) return false;
  if (when.danger !== undefined && context.danger !== when.danger) return false;
  if (when.writer !== undefined && (writesForSomeoneElse(f) ? 'other' : 'self') !== when.writer) return false;
  if (when.unavailable !== undefined && !(event.type === 'HANDOFF_UNAVAILABLE' && event.why === when.unavailable)) return false;
  if (when.clearable !== undefined && context.clearable !== when.clearable) return false;
  if (when.cleared !== undefined && !(event.type === 'CHAT_CLEARED' && clearOutcome(event) === when.cleared)) return false;
  if (when.facts !== undefined) {
    for (const [name, value] of Object.entries(when.facts) as [ConditionFact, unknown][]) {
      if ((value === null ? f[name] !== undefined : f[name] !== value)) return false;
    }
  }
  return true;
}

/**
 * How clearing the chat went, for the reply: some messages could not be
 * deleted; only older ones (beyond the platform's limit) are left; all went
 * and a neutral line is wanted; or all went and nothing is to be left.
 */
export type ClearOutcome = 'failed' | 'older' | 'note' | 'nothing';

/** The {@link ClearOutcome} of a CHAT_CLEARED event. Failures and leftovers are always told, even when nothing was to be left. */
export function clearOutcome(event: Extract<SupportEvent, { type: 'CHAT_CLEARED' }>): ClearOutcome {
  if (event.failed > 0) return 'failed';
  if (event.older) return 'older';
  return event.leave;
}
