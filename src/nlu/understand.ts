import type { Topic } from '../../flows/support-events.js';
import { LexiconError, categoryMatches, type Lexicon, type LexiconCategory } from './lexicon.js';
import { MAX_INPUT_LENGTH, normaliseText } from './normalise.js';
import type { Command, Understanding } from './understanding.js';

/** The locale whose lexicon is used when the conversation's locale has none. */
export const FALLBACK_LOCALE = 'en-GB';

/** Turns one message's text into an {@link Understanding}; built once, called for every text message. */
export interface Understander {
  /**
   * Understands `text` in the conversation's `locale`. Crisis and danger are
   * looked for in every loaded language; everything else in `locale` (or the
   * fallback locale when `locale` has no lexicon).
   */
  understand(text: string, locale: string): Understanding;
  /** Locales that have a lexicon, sorted. */
  readonly locales: readonly string[];
}

/** Options for {@link createUnderstander}. */
export interface UnderstanderOptions {
  /** Compiled lexicons (see `loadLexicons`); one must be for `fallbackLocale`. */
  readonly lexicons: readonly Lexicon[];
  readonly fallbackLocale?: string;
  /**
   * Stated ages outside this range are ignored: below it, "i am 5" is far more
   * often "5 minutes away" than an age; above it, a number is not an age.
   */
  readonly minAge?: number;
  readonly maxAge?: number;
  /** Characters of a message looked at (see `normaliseText`). */
  readonly maxLength?: number;
}

/** Ages below this are a child's; an "adult" phrase never overrides such an age. */
const ADULT_AGE = 18;

const NOTHING: Understanding = Object.freeze({
  crisis: false,
  danger: false,
  matched: Object.freeze([]),
  yes: false,
  no: false,
  knownPerson: false,
  topics: Object.freeze([]),
});

/**
 * Builds the understander from compiled lexicons. All regular expressions were
 * compiled by the loader; a call only normalises the text once, applies each
 * locale's replacement table (one regex each) and runs pre-built expressions.
 * Crisis and danger use every lexicon because a person may write in their own
 * language whatever language the conversation is in, and a missed crisis is
 * the one failure this layer must not have.
 */
export function createUnderstander({
  lexicons,
  fallbackLocale = FALLBACK_LOCALE,
  minAge = 10,
  maxAge = 99,
  maxLength = MAX_INPUT_LENGTH,
}: UnderstanderOptions): Understander {
  const fallback = lexicons.find((l) => l.locale === fallbackLocale);
  if (!fallback) throw new LexiconError(`no understanding data for the fallback locale ${fallbackLocale}`);
  const byCode = new Map<string, Lexicon>();
  for (const lexicon of lexicons) {
    if (byCode.has(lexicon.locale)) throw new LexiconError(`two lexicons for locale ${lexicon.locale}`);
    byCode.set(lexicon.locale, lexicon);
  }
  const byLower = new Map<string, Lexicon>();
  for (const lexicon of lexicons) {
    byLower.set(lexicon.locale.toLowerCase(), lexicon);
    const language = lexicon.locale.split('-')[0]?.toLowerCase();
    if (language && !byLower.has(language)) byLower.set(language, lexicon);
  }
  const locales = Object.freeze([...byCode.keys()].sort());

  const resolve = (locale: string): Lexicon => {
    const exact = byCode.get(locale);
    if (exact) return exact;
    const lower = locale.trim().toLowerCase().replace('_', '-');
    return byLower.get(lower) ?? byLower.get(lower.split('-')[0] ?? '') ?? fallback;
  };

  const age = (lexicon: Lexicon, text: string): number | undefined => {
    for (const entry of lexicon.age) {
      const found = entry.regex.exec(text)?.groups?.age;
      if (found === undefined) continue;
      const value = /^\d+$/.test(found) ? Number(found) : lexicon.numbers.get(found);
      if (value !== undefined && value >= minAge && value <= maxAge) return value;
    }
    return undefined;
  };

  return {
    locales,
    understand(text, locale) {
      const base = normaliseText(text, { maxLength });
      if (base === '') return NOTHING;
      const current = resolve(locale);
      const t = current.replacements.apply(base);

      let crisis = false;
      let danger = false;
      const matched: string[] = [];
      for (const lexicon of lexicons) {
        const own = lexicon === current;
        const lt = own ? t : lexicon.replacements.apply(base);
        const prefix = own ? '' : `${lexicon.locale}:`;
        if (collect(lexicon.crisis, lt, prefix, matched)) crisis = true;
        if (collect(lexicon.danger, lt, prefix, matched)) danger = true;
      }

      const understanding: {
        -readonly [K in keyof Understanding]: Understanding[K];
      } = {
        crisis,
        danger,
        matched,
        yes: categoryMatches(current.yes, t),
        no: categoryMatches(current.no, t),
        knownPerson: categoryMatches(current.knownPerson, t),
        topics: topics(current, t),
      };
      const command = first<Command>(current.commands, t);
      if (command) understanding.command = command;
      const language = first<string>(current.languages, t);
      if (language) understanding.language = language;
      const stated = age(current, t);
      if (stated !== undefined) understanding.age = stated;
      if (categoryMatches(current.ageGroup.under18, t)) understanding.ageGroup = 'under18';
      // A stated child age outweighs an adult phrase elsewhere in the message: the child routes are the safe side.
      else if (!(stated !== undefined && stated < ADULT_AGE) && categoryMatches(current.ageGroup.adult, t)) understanding.ageGroup = 'adult';
      if (categoryMatches(current.paid, t)) understanding.paid = true;
      else if (categoryMatches(current.notPaid, t)) understanding.paid = false;
      return understanding;
    },
  };
}

/** Adds the ids of matching entries; the combined expression makes the usual miss one test. */
function collect(category: LexiconCategory, text: string, prefix: string, into: string[]): boolean {
  if (!categoryMatches(category, text)) return false;
  for (const entry of category.entries) {
    if (entry.regex.test(text)) into.push(prefix + entry.id);
  }
  return true;
}

/** The first key whose category matches. */
function first<K>(categories: readonly (readonly [K, LexiconCategory])[], text: string): K | undefined {
  for (const [key, category] of categories) {
    if (categoryMatches(category, text)) return key;
  }
  return undefined;
}

/** Topics mentioned, in the order they appear in the message (ties in file order). */
function topics(lexicon: Lexicon, text: string): Topic[] {
  let found: { topic: Topic; at: number }[] | undefined;
  for (const [topic, category] of lexicon.topics) {
    const at = category.any?.exec(text)?.index;
    if (at !== undefined) (found ??= []).push({ topic, at });
  }
  if (!found) return [];
  return found.sort((a, b) => a.at - b.at).map((f) => f.topic);
}
