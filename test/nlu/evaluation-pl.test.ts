import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLexicons } from '../../src/nlu/lexicon.js';
import { createUnderstander } from '../../src/nlu/understand.js';
import { ROOT, expectEnoughPhrasings, itCatchesEveryRiskPhrasing, itKeepsFalsePositivesLow, loadRiskSet } from '../support/risk-evaluation.js';

/**
 * The Polish crisis/danger evaluation: phrasings a Polish-speaking young
 * person being blackmailed would really type (no diacritics, typos, slang,
 * English words mixed in). Crisis and danger are looked for in every language,
 * so each risk phrasing must be caught whether the conversation is in Polish
 * or still in English; ordinary messages may raise a false alarm only rarely.
 */
describe('crisis/danger evaluation pl', () => {
  const evaluation = loadRiskSet('pl.evaluation.json');
  const understander = createUnderstander({ lexicons: loadLexicons(join(ROOT, 'locales')) });

  it('is a Polish evaluation with enough phrasings to mean something', () => {
    expect(evaluation.locale).toBe('pl');
    expect(understander.locales).toContain('pl');
    expectEnoughPhrasings(evaluation, { crisis: 60, danger: 45, ordinary: 80 });
  });

  itCatchesEveryRiskPhrasing(evaluation, understander, ['pl', 'en-GB']);

  itKeepsFalsePositivesLow(evaluation, understander, { label: 'evaluation', ordinary: 'ordinary Polish messages' });

  it('does not raise crisis or danger on the button labels a person may type back', () => {
    const messages = JSON.parse(readFileSync(join(ROOT, 'locales', 'pl', 'messages.json'), 'utf8')) as { choice: Record<string, unknown> };
    const calm = ['safe', 'yes', 'no', 'paid', 'not_paid', 'known', 'menu', 'human', 'language', 'delete', 'next', 'continue'];
    const alarmed = calm.filter((key) => {
      const u = understander.understand(String(messages.choice[key]), 'pl');
      return u.crisis || u.danger;
    });
    expect(alarmed).toEqual([]);
    expect(understander.understand(String(messages.choice.crisis), 'pl').crisis).toBe(true);
    expect(understander.understand(String(messages.choice.danger), 'pl').danger).toBe(true);
  });
});
