import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLexicons, type LexiconEntry } from '../../src/nlu/lexicon.js';
import { lookbehindLast, topLevelAlternatives } from '../../src/nlu/pattern-order.js';
import { developmentTexts } from '../support/development-texts.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** An alternative as written, from its reordered form `(?=rest)lookbehinds rest`. */
function unreordered(alternative: string): string {
  if (!alternative.startsWith('(?=')) return alternative;
  for (let k = alternative.length - 1; k > 0; k--) {
    const rest = alternative.slice(k);
    const lookahead = `(?=${rest.replace(/\(\?<(?=[\p{L}_$])[\p{L}\p{N}_$]+>/gu, '(?:')})`;
    if (alternative.startsWith(lookahead) && /^\(\?<[!=]/.test(alternative.slice(lookahead.length))) return alternative.slice(lookahead.length);
  }
  throw new Error(`not a reordered alternative: ${alternative}`);
}

describe('topLevelAlternatives', () => {
  it('splits only at bars outside groups, classes and escapes', () => {
    expect(topLevelAlternatives('a|(b|c)|[|]|\\||d')).toEqual(['a', '(b|c)', '[|]', '\\|', 'd']);
  });
});

describe('lookbehindLast', () => {
  it('checks the words first and the lookbehind after, for each alternative that starts with one', () => {
    expect(lookbehindLast('(?<!\\bmum\\b.{0,40})\\band kill me\\b|\\bor kill me\\b')).toBe('(?=\\band kill me\\b)(?<!\\bmum\\b.{0,40})\\band kill me\\b|\\bor kill me\\b');
    expect(lookbehindLast('\\bno lookbehind\\b')).toBe('\\bno lookbehind\\b');
  });

  it('keeps a named group only once, outside the lookahead', () => {
    const source = lookbehindLast('(?<=\\bson\\b.{0,20})\\bis (?<age>\\d+)');
    expect(source).toBe('(?=\\bis (?:\\d+))(?<=\\bson\\b.{0,20})\\bis (?<age>\\d+)');
    expect(new RegExp(source, 'u').exec('my son is 14')?.groups?.age).toBe('14');
  });

  it('gives every shipped rule the same matches, at the same places, on every development message', () => {
    const texts = developmentTexts();
    const entries: LexiconEntry[] = [];
    const walk = (node: unknown): void => {
      if (node instanceof RegExp || node instanceof Map || node === null || typeof node !== 'object') return;
      if ('regex' in node && 'id' in node) entries.push(node as LexiconEntry);
      else for (const value of Object.values(node)) walk(value);
    };
    for (const lexicon of loadLexicons(join(ROOT, 'locales'))) walk({ ...lexicon, replacements: undefined, prefilter: undefined });
    const reordered = entries.filter((entry) => /(?:^|\|)\(\?=/.test(entry.regex.source));
    expect(reordered.length).toBeGreaterThan(20);
    let differences = 0;
    for (const entry of reordered) {
      const original = new RegExp(topLevelAlternatives(entry.regex.source).map(unreordered).join('|'), 'u');
      for (const text of texts) if (entry.regex.exec(text)?.index !== original.exec(text)?.index) differences++;
    }
    expect(differences).toBe(0);
    // Every rule on every development message: about twenty seconds alone, longer beside other test files.
  }, 120_000);
});
