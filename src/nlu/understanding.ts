import type { Topic } from '../../flows/support-events.js';

/** Global commands that work from any point in the conversation. */
export type Command = 'menu' | 'help' | 'human' | 'language' | 'delete' | 'cancel';

/**
 * What free text was understood to say. Several fields can be set at once
 * ("im 15 and i already paid him"); the engine decides what to act on, with
 * crisis and danger always first.
 */
export interface Understanding {
  /** Suicide, self-harm or not wanting to live. Never missed: false positives are acceptable, misses are not. */
  readonly crisis: boolean;
  /** Immediate danger: someone coming round, outside, threatening violence now. */
  readonly danger: boolean;
  /** Which lexicon entries matched crisis/danger, for audit and tests (entry ids, never the user's text). */
  readonly matched: readonly string[];
  readonly command?: Command;
  /** A language the person asked for by name ("Cymraeg", "Polski", "English"): a locale code. */
  readonly language?: string;
  readonly yes: boolean;
  readonly no: boolean;
  /** An age in years, if one was stated ("im 15", "I'm seventeen", "15 y/o"). */
  readonly age?: number;
  /** Age group stated without a number ("I'm under 18", "I'm an adult"). */
  readonly ageGroup?: 'under18' | 'adult';
  /** true: they paid; false: they have not paid; undefined: not said. */
  readonly paid?: boolean;
  readonly knownPerson: boolean;
  readonly topics: readonly Topic[];
}
