import type { Answer, Command, Question, SocialKind } from '../../flows/intents.js';
import type { Facts, RiskLevel } from '../../flows/safeguarding.js';
import type { Expecting } from './features.js';

export type { Expecting } from './features.js';

/**
 * What one message was understood to say. Several fields can be set at once
 * ("im 15 and i already paid him, will i get in trouble"); the engine decides
 * what to act on, with risk always first.
 */
export interface Understanding {
  /** Risk to their own life: a hint (unclear), thoughts, a plan or the means (imminent), or already harmed. */
  readonly risk?: RiskLevel;
  /** Danger from someone else: threatened with violence, someone on their way, domestic abuse. */
  readonly danger: boolean;
  /** Which rules or model classes raised the risk (ids, never the person's words), for tests and audit. */
  readonly matched: readonly string[];
  /** A plain answer to what the bot asked. */
  readonly answer?: Answer;
  /** Facts the message told. */
  readonly facts: Readonly<Partial<Facts>>;
  readonly question?: Question;
  readonly command?: Command;
  /** A language they asked to switch to, as a locale code. */
  readonly switchTo?: string;
  readonly social?: SocialKind;
  /** The language the message is written in, when it is clear from the text (a locale code). */
  readonly language?: string;
}

/** How a message is read: in which language, and after which question of the bot's. */
export interface UnderstandOptions {
  /** The conversation's language. */
  readonly locale: string;
  /** What the bot had just asked. */
  readonly expecting?: Expecting;
}

/** Turns one message's text into an {@link Understanding}; built once, called for every text message. */
export interface Understander {
  understand(text: string, options: UnderstandOptions): Understanding;
  /** Locales it has understanding data for, sorted. */
  readonly locales: readonly string[];
}
