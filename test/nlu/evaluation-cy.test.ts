import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLexicons } from '../../src/nlu/lexicon.js';
import { createUnderstander } from '../../src/nlu/understand.js';
import { ROOT, expectEnoughPhrasings, itCatchesEveryRiskPhrasing, itKeepsFalsePositivesLow, loadRiskSet } from '../support/risk-evaluation.js';

/**
 * The Welsh crisis/danger evaluation: phrasings a frightened young person
 * would really type in Welsh (north and south forms, mutations, no
 * diacritics, text-speak, English mixed in). Every risk phrasing must be
 * caught whether the conversation is in Welsh or in English, because a person
 * may write in their own language whatever language the bot is using.
 */
const evaluation = loadRiskSet('cy.evaluation.json');
const understander = createUnderstander({ lexicons: loadLexicons(join(ROOT, 'locales')) });

describe('crisis/danger evaluation cy', () => {
  it('is a Welsh evaluation with enough phrasings to mean something', () => {
    expect(evaluation.locale).toBe('cy');
    expect(understander.locales).toContain('cy');
    expectEnoughPhrasings(evaluation, { crisis: 60, danger: 45, ordinary: 80 });
  });

  itCatchesEveryRiskPhrasing(evaluation, understander, ['cy', 'en-GB']);

  it('catches the Welsh risk phrasings with the Welsh lexicon itself, not only through English words', () => {
    const risk = [...evaluation.crisis, ...evaluation.danger];
    const byWelsh = risk.filter((text) => understander.understand(text, 'en-GB').matched.some((id) => id.startsWith('cy:')));
    // A few phrasings are English slang inside Welsh ("dwi isio kms"); the English lexicon owns those.
    expect(byWelsh.length / risk.length).toBeGreaterThanOrEqual(0.97);
  });

  itKeepsFalsePositivesLow(evaluation, understander, { label: 'evaluation' });

  it('never fires a Welsh crisis or danger entry on an ordinary English message', () => {
    const english = loadRiskSet('en-GB.evaluation.json');
    const fired = english.ordinary.filter((text) => understander.understand(text, 'en-GB').matched.some((id) => id.startsWith('cy:')));
    expect(fired).toEqual([]);
  });
});
