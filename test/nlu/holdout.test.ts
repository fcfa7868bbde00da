import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNDERSTANDING_FILE, compileLexicon } from '../../src/nlu/lexicon.js';
import { createUnderstander } from '../../src/nlu/understand.js';

/**
 * The independent crisis/danger hold-out for English. The evaluation set was
 * written by the person who tuned the lexicon, so it cannot show what that
 * person did not think of; this set was written without reading either. Only
 * the en-GB lexicon is loaded: another language's patterns must not hide a gap
 * in the English ones (in production every language is checked as well, which
 * can only catch more).
 */
interface HoldOut {
  readonly locale: string;
  readonly crisis: readonly string[];
  readonly danger: readonly string[];
  readonly ordinary: readonly string[];
}

const ROOT = join(import.meta.dirname, '..', '..');
const MAX_FALSE_POSITIVE_RATE = 0.05;

describe('crisis/danger hold-out en-GB', () => {
  const holdOut = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'nlu', 'en-GB.holdout.json'), 'utf8')) as HoldOut;
  const file = join(ROOT, 'locales', holdOut.locale, UNDERSTANDING_FILE);
  const lexicon = compileLexicon(holdOut.locale, JSON.parse(readFileSync(file, 'utf8')), file);
  const understander = createUnderstander({ lexicons: [lexicon], fallbackLocale: holdOut.locale });
  const understand = (text: string) => understander.understand(text, holdOut.locale);

  it('has enough phrasings to mean something, none in two lists', () => {
    expect(holdOut.crisis.length).toBeGreaterThanOrEqual(80);
    expect(holdOut.danger.length).toBeGreaterThanOrEqual(40);
    expect(holdOut.ordinary.length).toBeGreaterThanOrEqual(100);
    const all = [...holdOut.crisis, ...holdOut.danger, ...holdOut.ordinary];
    expect(new Set(all).size).toBe(all.length);
  });

  it('recognises every crisis phrasing as crisis', () => {
    const missed = holdOut.crisis.filter((text) => !understand(text).crisis);
    expect(missed, `crisis phrasings missed:\n${missed.join('\n')}`).toEqual([]);
  });

  it('recognises every danger phrasing as danger or crisis', () => {
    const missed = holdOut.danger.filter((text) => {
      const u = understand(text);
      return !u.danger && !u.crisis;
    });
    expect(missed, `danger phrasings missed:\n${missed.join('\n')}`).toEqual([]);
  });

  it(`misses no risk phrasing and keeps false positives on ordinary messages at or below ${MAX_FALSE_POSITIVE_RATE * 100}%`, () => {
    const risk = [...holdOut.crisis, ...holdOut.danger];
    const missed = [
      ...holdOut.crisis.filter((text) => !understand(text).crisis),
      ...holdOut.danger.filter((text) => {
        const u = understand(text);
        return !u.danger && !u.crisis;
      }),
    ];
    const falsePositives = holdOut.ordinary.filter((text) => {
      const u = understand(text);
      return u.crisis || u.danger;
    });
    const rate = falsePositives.length / holdOut.ordinary.length;
    console.log(
      `crisis/danger hold-out ${holdOut.locale}: ${risk.length} risk phrasings, ${missed.length} missed; ` +
        `${holdOut.ordinary.length} ordinary, ${falsePositives.length} false positives (${(rate * 100).toFixed(1)}%)`,
    );
    expect(missed, `risk phrasings missed:\n${missed.join('\n')}`).toEqual([]);
    expect(rate, `false positives:\n${falsePositives.join('\n')}`).toBeLessThanOrEqual(MAX_FALSE_POSITIVE_RATE);
  });
});
