import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNDERSTANDING_FILE, compileLexicon } from '../../src/nlu/lexicon.js';
import { createUnderstander } from '../../src/nlu/understand.js';
import { ROOT, expectEnoughPhrasings, itCatchesEveryRiskPhrasing, itKeepsFalsePositivesLow, loadRiskSet } from '../support/risk-evaluation.js';

/**
 * The independent crisis/danger hold-out for English. The evaluation set was
 * written by the person who tuned the lexicon, so it cannot show what that
 * person did not think of; this set was written without reading either. Only
 * the en-GB lexicon is loaded: another language's patterns must not hide a gap
 * in the English ones (in production every language is checked as well, which
 * can only catch more).
 */
describe('crisis/danger hold-out en-GB', () => {
  const holdOut = loadRiskSet('en-GB.holdout.json');
  const file = join(ROOT, 'locales', holdOut.locale, UNDERSTANDING_FILE);
  const lexicon = compileLexicon(holdOut.locale, JSON.parse(readFileSync(file, 'utf8')), file);
  const understander = createUnderstander({ lexicons: [lexicon], fallbackLocale: holdOut.locale });

  it('has enough phrasings to mean something, none in two lists', () => {
    expectEnoughPhrasings(holdOut, { crisis: 80, danger: 40, ordinary: 100 });
    const all = [...holdOut.crisis, ...holdOut.danger, ...holdOut.ordinary];
    expect(new Set(all).size).toBe(all.length);
  });

  itCatchesEveryRiskPhrasing(holdOut, understander, holdOut.locale);

  itKeepsFalsePositivesLow(holdOut, understander, { label: 'hold-out', missesNone: true });
});
