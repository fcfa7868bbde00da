import { join } from 'node:path';
import { describe, it } from 'vitest';
import { loadLexicons } from '../../src/nlu/lexicon.js';
import { createUnderstander } from '../../src/nlu/understand.js';
import { ROOT, expectEnoughPhrasings, itCatchesEveryRiskPhrasing, itKeepsFalsePositivesLow, loadRiskSet } from '../support/risk-evaluation.js';

/**
 * The crisis/danger evaluation: real-shaped phrasings people in crisis, in
 * danger, or just being blackmailed would type. Misses are failures; false
 * positives are allowed up to a small rate, because a crisis reply to someone
 * who is not in crisis does far less harm than silence to someone who is.
 */
describe('crisis/danger evaluation en-GB', () => {
  const evaluation = loadRiskSet('en-GB.evaluation.json');
  const understander = createUnderstander({ lexicons: loadLexicons(join(ROOT, 'locales')) });

  it('has enough phrasings to mean something', () => {
    expectEnoughPhrasings(evaluation, { crisis: 90, danger: 40, ordinary: 100 });
  });

  itCatchesEveryRiskPhrasing(evaluation, understander, evaluation.locale);

  itKeepsFalsePositivesLow(evaluation, understander, { label: 'evaluation' });
});
