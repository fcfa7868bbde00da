import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLexicons, type LexiconEntry } from '../../src/nlu/lexicon.js';
import { requiredLiterals } from '../../src/nlu/required-literals.js';
import { developmentTexts } from '../support/development-texts.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('requiredLiterals', () => {
  it.each([
    ['\\bkil myself\\b', ['kil myself']],
    ['(?<![\\p{L}\\p{N}])(?:took pils|overdosed)(?![\\p{L}\\p{N}])', ['took pils', 'overdosed']],
    ['\\b(?:tabletk\\w*|pigul\\w*) (?:\\w+ )?(?:kil|die)', ['tabletk', 'pigul']],
    ['\\b(?:tabletk\\w*|pigul\\w*) (?:\\w+ )?starczy', ['starczy']],
    ['\\btook (?:al )?(?:my|the) pils\\b', ['took my pils', 'took the pils', 'took al my pils', 'took al the pils']],
    ['\\bon the [bt]rain\\b', ['on the brain', 'on the train']],
    ['(?=\\band kil me\\b)(?<!\\bmum\\b.{0,40})\\band kil me\\b', ['and kil me']],
    ['\\bi am (?<age>\\d{1,3})\\b', ['i am ']],
    ['x+yz', ['yz']],
  ])('finds what %s needs', (source, expected) => {
    expect(new Set(requiredLiterals(source))).toEqual(new Set(expected));
  });

  it.each([
    ['a branch with no literal', '\\bkil myself\\b|\\d+'],
    ['an optional piece alone', '(?:pils)?'],
    ['only classes and wildcards', '\\w+.{0,20}\\d'],
    ['a negated class', '[^a]b?'],
  ])('answers nothing for %s, so the rule is always run', (_what, source) => {
    expect(requiredLiterals(source)).toBeUndefined();
  });

  it('answers nothing for a case-insensitive expression', () => {
    expect(requiredLiterals('kil myself', 'iu')).toBeUndefined();
  });
});

describe('the prefilter on the shipped rules', () => {
  // Every third message of every development split (every message would take about half a minute).
  it('lets through every rule that matches, on development messages in every language form', () => {
    const texts = developmentTexts()
      .filter((_text, i) => i % 3 === 0);
    let checked = 0;
    let skipped = 0;
    const wrong: string[] = [];
    for (const lexicon of loadLexicons(join(ROOT, 'locales'))) {
      const entries: LexiconEntry[] = [];
      const walk = (node: unknown): void => {
        if (node instanceof RegExp || node instanceof Map || node === null || typeof node !== 'object') return;
        if ('regex' in node && 'id' in node) entries.push(node as LexiconEntry);
        else for (const value of Object.values(node)) walk(value);
      };
      walk({ ...lexicon, replacements: undefined, prefilter: undefined });
      expect(entries.length).toBeGreaterThan(100);
      for (const raw of texts) {
        const text = lexicon.replacements.apply(raw);
        for (const entry of entries) {
          const allowed = entry.prefilter.mayMatch(entry.slot, text);
          if (!allowed) skipped++;
          if (!allowed && entry.regex.test(text)) wrong.push(`${lexicon.locale} ${entry.id}: ${text}`);
          checked++;
        }
      }
    }
    expect(wrong).toEqual([]);
    // Most rules are skipped on most messages: that is the point of it.
    expect(skipped / checked).toBeGreaterThan(0.8);
  }, 120_000);
});
