/**
 * The features the understanding classifier reads from a message: words,
 * word pairs, and the letter sequences inside words (fastText's subwords),
 * so "unaliving", "unalive" and "unalivee" share most of their features and
 * a misspelling still looks like the word it misspells. The same function
 * serves training and run time, so the two can never disagree.
 *
 * The input is the language-neutral matching form (`normaliseText`): no
 * locale's rewrites are applied, so one model serves every language.
 */

/** Changes whenever {@link extractFeatures} changes, so a model trained on other features is known to be stale. */
export const FEATURES_VERSION = 2;

/** What the bot had just asked, as the classifier sees it. */
export type Expecting = 'any' | 'safety' | 'riskCheck' | 'age' | 'paid';

/** Shortest and longest letter sequence taken from inside a word (with `<` and `>` marking its ends). */
const MIN_GRAM = 3;
const MAX_GRAM = 5;
/** Words longer than this add no more letter sequences: long words are rare and would dominate the cost. */
const MAX_GRAM_WORD = 24;
/** Words looked at; a long message's first part says what it is about. */
export const MAX_FEATURE_WORDS = 120;

/** A word's length class, so short answers ("no", "idk") differ from the same words in a long message. */
function lengthFeature(words: number): string {
  if (words <= 1) return 'len:1';
  if (words <= 3) return 'len:2';
  if (words <= 7) return 'len:4';
  if (words <= 20) return 'len:8';
  return 'len:21';
}

/**
 * Where a message's features go: each feature on its own, and each word,
 * which stands for the word's own features ({@link wordFeatures}) so an
 * encoder can look those up once per word instead of once per message.
 */
export interface FeatureSink {
  feature(name: string): void;
  word(word: string): void;
}

/**
 * Walks the features of one normalised message. Words and pairs are also
 * paired with what the bot asked when the message is short, so "no" to "are
 * you safe?" and "no" to "have you paid?" are different evidence.
 */
export function visitFeatures(normalised: string, expecting: Expecting, focus: string | undefined, sink: FeatureSink): void {
  const words = normalised === '' ? [] : normalised.split(' ', MAX_FEATURE_WORDS);
  sink.feature(lengthFeature(words.length));
  sink.feature(`ask:${expecting}`);
  const short = words.length <= 6 && expecting !== 'any';
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    sink.word(word);
    if (short) sink.feature(`aw:${expecting}:${word}`);
    if (i > 0) {
      const pair = `b:${words[i - 1]} ${word}`;
      sink.feature(pair);
      if (short) sink.feature(`a${pair}:${expecting}`);
    }
  }
  if (words.length > 0) {
    sink.feature(`first:${words[0]}`);
    if (/^\d+$/.test(words[0]!) && words.length <= 2) sink.feature('number-only');
  }
  // The sentence that asks (or ends) a long message, again on its own: its question is what it wants answered.
  if (focus !== undefined && focus !== '' && focus !== normalised) {
    const focused = focus.split(' ', MAX_FEATURE_WORDS);
    for (let i = 0; i < focused.length; i++) {
      sink.feature(`f:${focused[i]}`);
      if (i > 0) sink.feature(`fb:${focused[i - 1]} ${focused[i]}`);
    }
  }
}

/** A word's own features: the word, and the letter sequences inside it (none for numbers and very long words). */
export function wordFeatures(word: string): string[] {
  const features = [`w:${word}`];
  if (word.length > MAX_GRAM_WORD || /^\d+$/.test(word)) return features;
  const padded = `<${word}>`;
  for (let n = MIN_GRAM; n <= MAX_GRAM; n++) {
    for (let start = 0; start + n <= padded.length; start++) features.push(`g:${padded.slice(start, start + n)}`);
  }
  return features;
}

/** The features of one normalised message, as names (what the trainer counts and learns). */
export function extractFeatures(normalised: string, expecting: Expecting = 'any', focus?: string): string[] {
  const features: string[] = [];
  visitFeatures(normalised, expecting, focus, {
    feature: (name) => features.push(name),
    word: (word) => {
      for (const name of wordFeatures(word)) features.push(name);
    },
  });
  return features;
}

/** Ends of sentences in a message as typed (before normalisation removes them). */
const SENTENCE_END = /(?<=[?？!.…\n])\s*/u;

/** The sentences of a message as typed, each with at least one letter or digit. */
export function sentencesOf(text: string): string[] {
  return text.split(SENTENCE_END).map((s) => s.trim()).filter((s) => /[\p{L}\p{N}]/u.test(s));
}

/**
 * The sentence a long message's question is in: the last one with a question
 * mark, else the last one. Undefined for a message of one sentence.
 */
export function focusSentence(text: string): string | undefined {
  return focusOf(sentencesOf(text));
}

/** {@link focusSentence} of a message already split into its sentences. */
export function focusOf(sentences: readonly string[]): string | undefined {
  if (sentences.length < 2) return undefined;
  for (let i = sentences.length - 1; i >= 0; i--) if (/[?？]/.test(sentences[i]!)) return sentences[i];
  return sentences.at(-1);
}
