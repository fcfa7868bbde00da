import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLexicons } from '../../src/nlu/lexicon.js';
import { createUnderstander } from '../../src/nlu/understand.js';

/**
 * The Polish crisis/danger evaluation: phrasings a Polish-speaking young
 * person being blackmailed would really type (no diacritics, typos, slang,
 * English words mixed in). Crisis and danger are looked for in every language,
 * so each risk phrasing must be caught whether the conversation is in Polish
 * or still in English; ordinary messages may raise a false alarm only rarely.
 */
interface Evaluation {
  readonly locale: string;
  readonly crisis: readonly string[];
  readonly danger: readonly string[];
  readonly ordinary: readonly string[];
}

const ROOT = join(import.meta.dirname, '..', '..');
const MAX_FALSE_POSITIVE_RATE = 0.05;

describe('crisis/danger evaluation pl', () => {
  const evaluation = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'nlu', 'pl.evaluation.json'), 'utf8')) as Evaluation;
  const understander = createUnderstander({ lexicons: loadLexicons(join(ROOT, 'locales')) });

  it('is a Polish evaluation with enough phrasings to mean something', () => {
    expect(evaluation.locale).toBe('pl');
    expect(understander.locales).toContain('pl');
    expect(evaluation.crisis.length).toBeGreaterThanOrEqual(60);
    expect(evaluation.danger.length).toBeGreaterThanOrEqual(45);
    expect(evaluation.ordinary.length).toBeGreaterThanOrEqual(80);
  });

  describe.each(['pl', 'en-GB'])('with the conversation in %s', (locale) => {
    const understand = (text: string) => understander.understand(text, locale);

    it('recognises every crisis phrasing as crisis', () => {
      const missed = evaluation.crisis.filter((text) => !understand(text).crisis);
      expect(missed, `crisis phrasings missed:\n${missed.join('\n')}`).toEqual([]);
    });

    it('recognises every danger phrasing as danger or crisis', () => {
      const missed = evaluation.danger.filter((text) => {
        const u = understand(text);
        return !u.danger && !u.crisis;
      });
      expect(missed, `danger phrasings missed:\n${missed.join('\n')}`).toEqual([]);
    });
  });

  it(`keeps false positives on ordinary Polish messages at or below ${MAX_FALSE_POSITIVE_RATE * 100}%`, () => {
    const understand = (text: string) => understander.understand(text, evaluation.locale);
    const risk = [...evaluation.crisis, ...evaluation.danger];
    const missed = risk.filter((text) => {
      const u = understand(text);
      return !u.crisis && !u.danger;
    });
    const falsePositives = evaluation.ordinary.filter((text) => {
      const u = understand(text);
      return u.crisis || u.danger;
    });
    const rate = falsePositives.length / evaluation.ordinary.length;
    console.log(
      `crisis/danger evaluation ${evaluation.locale}: ${risk.length} risk phrasings, ${missed.length} missed; ` +
        `${evaluation.ordinary.length} ordinary, ${falsePositives.length} false positives (${(rate * 100).toFixed(1)}%)`,
    );
    expect(rate, `false positives:\n${falsePositives.join('\n')}`).toBeLessThanOrEqual(MAX_FALSE_POSITIVE_RATE);
  });

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
