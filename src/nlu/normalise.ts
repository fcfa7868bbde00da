/**
 * Text normalisation for understanding free text. Frightened people type fast,
 * on phones, in text-speak, with typos, emoji, repeated letters and no
 * apostrophes; the lexicon should be written once in plain spelling and still
 * match all of that. Everything here is language-neutral: the words a locale
 * rewrites ("u" → "you") come from its `understanding.json`.
 *
 * The matching form of a text is:
 * 1. at most `maxLength` characters (huge messages stay cheap);
 * 2. Unicode NFKD with diacritics removed, lower case, and a few letters that
 *    have no decomposition folded to ASCII (ł → l, ß → ss), so `\b` works;
 * 3. invisible characters removed (control, zero-width, bidi marks, soft
 *    hyphens), so "k\u200Bms" cannot hide a phrase; `!`, `1` or `|` written
 *    between two letters for an i ("su!c!dal", "k1ll") become that i;
 * 4. the few emoji that stand for a means of harm become a word (💊 → "pills",
 *    🔪 → "knife", 🩸 → "blood", 🪢 → "rope", 🌉 → "bridge", ⚰ → "coffin",
 *    🪦 → "grave"), so "💊💊💊 bye" can be read like the words;
 *    apostrophes and masking asterisks deleted ("don't" → "dont",
 *    "sh*t" → "sht"); every other symbol, emoji and punctuation becomes a
 *    space, except currency signs (money is not an age) and `:`, `.` or `,`
 *    between two digits (times and amounts are not ages);
 * 5. every run of two or more identical LETTERS squeezed to one ("killlll",
 *    "kill" and "kil" all become "kil"; digits are never squeezed). The lexicon
 *    loader squeezes phrases, patterns, replacement words and number words the
 *    same way, so authors write ordinary spelling and repeated or dropped
 *    doubled letters match alike. Squeezing to one rather than two is what
 *    makes the common typo of a missing double letter match too;
 * 6. whitespace collapsed and trimmed;
 * 7. then the locale's word replacements, whole words only (`compileReplacements`).
 */

/** Messages longer than this are cut before any work: a crisis is stated early, and cost stays bounded. */
export const MAX_INPUT_LENGTH = 20_000;

/** Letters that NFKD leaves alone but people read as a plain ASCII letter. */
const FOLD: Readonly<Record<string, string>> = {
  ł: 'l', ø: 'o', ß: 'ss', æ: 'ae', œ: 'oe', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h', ŧ: 't',
};

/** Emoji that people use in place of the words for a means of harm, and the word each stands for. */
const EMOJI_WORDS: Readonly<Record<string, string>> = {
  '💊': 'pills', '🔪': 'knife', '🗡': 'knife', '🩸': 'blood', '🪢': 'rope', '🌉': 'bridge', '⚰': 'coffin', '🪦': 'grave',
};
const WORD_EMOJI = new RegExp(`[${Object.keys(EMOJI_WORDS).join('')}]`, 'gu');

const COMBINING_MARKS = /\p{M}+/gu;
const FOLDABLE = /[łøßæœđðþıħŧ]/g;
const LETTER_I_STANDINS = /(?<=\p{L})[!1|](?=\p{L})/gu;
const INVISIBLE = /(?:[\p{Cf}\p{Co}\p{Cn}]|(?![\t\n\v\f\r\u0085])\p{Cc})+/gu;
const DELETED = /['‘’‚‛`´ʹʻʼʽˈ′＇*]+/g;
const SEPARATORS = /[^\p{L}\p{N}\p{Sc}:.,]+/gu;
const LONE_NUMBER_PUNCTUATION = /(?<!\d)[:.,]+|[:.,]+(?!\d)/g;
const REPEATED_LETTERS = /(\p{L})\1+/gu;
const SPACES = / {2,}/g;

/** Options for {@link normaliseText}. */
export interface NormaliseOptions {
  /** Characters kept from the start of the message. */
  readonly maxLength?: number;
}

/**
 * The language-neutral matching form of a message (steps 1 to 6 above). Used
 * once per message; the result is then given each locale's replacements.
 */
export function normaliseText(text: string, { maxLength = MAX_INPUT_LENGTH }: NormaliseOptions = {}): string {
  const capped = text.length > maxLength ? text.slice(0, maxLength) : text;
  return capped
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(FOLDABLE, (c) => FOLD[c] ?? c)
    .replace(INVISIBLE, '')
    .replace(LETTER_I_STANDINS, 'i')
    .replace(WORD_EMOJI, (e) => ` ${EMOJI_WORDS[e]} `)
    .replace(DELETED, '')
    .replace(SEPARATORS, ' ')
    .replace(LONE_NUMBER_PUNCTUATION, ' ')
    .replace(REPEATED_LETTERS, '$1')
    .replace(SPACES, ' ')
    .trim();
}

/** A locale's whole-word rewrites, compiled once into a single regular expression. */
export interface Replacements {
  /** Rewrites whole words and phrases of already-normalised text in one pass. */
  apply(normalised: string): string;
  /** How many rewrites there are (0: `apply` returns its input). */
  readonly size: number;
}

/**
 * Compiles a locale's `{ "u": "you", "kms": "kill myself" }` table. Keys and
 * values are normalised like message text, so a key written "don't" or "dont"
 * is the same key, and a value is already in matching form. Keys may be
 * several words ("y o"); the longest key wins where keys overlap. One pass:
 * a replacement's output is not rewritten again.
 */
export function compileReplacements(table: Readonly<Record<string, string>>): Replacements {
  const map = new Map<string, string>();
  for (const [from, to] of Object.entries(table)) {
    const key = normaliseText(from);
    if (key) map.set(key, normaliseText(to));
  }
  if (map.size === 0) return { apply: (normalised) => normalised, size: 0 };
  const keys = [...map.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const regex = new RegExp(`(?<![\\p{L}\\p{N}])(?:${keys.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
  const replace = (word: string): string => map.get(word) ?? word;
  return {
    size: map.size,
    apply(normalised) {
      regex.lastIndex = 0;
      return regex.test(normalised) ? normalised.replace(regex, replace).replace(SPACES, ' ').trim() : normalised;
    },
  };
}

/** The full matching form of a message for one locale. */
export function normalise(text: string, replacements?: Replacements, options: NormaliseOptions = {}): string {
  const base = normaliseText(text, options);
  return replacements ? replacements.apply(base) : base;
}

/** Escapes text for literal use inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Squeezes doubled letters in a regular expression's source the way
 * {@link normaliseText} squeezes them in text, so a pattern written "kill"
 * matches the squeezed "kil". Escapes (`\b`, `\p{L}`, `\u0041`), character
 * classes and group headers are copied untouched, and a letter is only merged
 * into an identical previous letter when neither carries a quantifier
 * ("l+", "l?" and "l{2}" keep their meaning).
 */
export function squeezePatternSource(source: string): string {
  let out = '';
  let previousLetter = '';
  for (let i = 0; i < source.length; ) {
    const unit = readUnit(source, i);
    i += unit.length;
    const isLetter = unit.length === 1 && /\p{L}/u.test(unit);
    if (!isLetter) {
      out += unit;
      previousLetter = '';
      continue;
    }
    const quantified = i < source.length && /[?*+{]/.test(source[i] ?? '');
    if (unit === previousLetter && !quantified) continue;
    out += unit;
    previousLetter = quantified ? '' : unit;
  }
  return out;
}

/** One indivisible piece of regex source starting at `i`. */
function readUnit(source: string, i: number): string {
  const c = source[i] ?? '';
  if (c === '\\') {
    const next = source[i + 1] ?? '';
    if ((next === 'p' || next === 'P' || next === 'u' || next === 'k') && /[{<]/.test(source[i + 2] ?? '')) {
      const close = source.indexOf(source[i + 2] === '{' ? '}' : '>', i + 2);
      return source.slice(i, close < 0 ? source.length : close + 1);
    }
    if (next === 'u') return source.slice(i, i + 6);
    if (next === 'x') return source.slice(i, i + 4);
    return source.slice(i, i + 2);
  }
  if (c === '[') {
    let j = i + 1;
    if (source[j] === '^') j++;
    if (source[j] === ']') j++;
    while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
    return source.slice(i, j + 1);
  }
  if (c === '(' && source[i + 1] === '?' && source[i + 2] === '<' && /[\p{L}_$]/u.test(source[i + 3] ?? '')) {
    const close = source.indexOf('>', i);
    return source.slice(i, close < 0 ? source.length : close + 1);
  }
  if (c === '{') {
    const close = source.indexOf('}', i);
    return close < 0 ? c : source.slice(i, close + 1);
  }
  return c;
}
