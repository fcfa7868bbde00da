import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLexicons } from '../../src/nlu/lexicon.js';
import { createUnderstander } from '../../src/nlu/understand.js';

/**
 * The crisis/danger evaluation: real-shaped phrasings people in crisis, in
 * danger, or just being blackmailed would type. Misses are failures; false
 * positives are allowed up to a small rate, because a crisis reply to someone
 * who is not in crisis does far less harm than silence to someone who is.
 */
interface Evaluation {
  readonly locale: string;
  readonly crisis: readonly string[];
  readonly danger: readonly string[];
  readonly ordinary: readonly string[];
}

const ROOT = join(import.meta.dirname, '..', '..');
const MAX_FALSE_POSITIVE_RATE = 0.05;

describe('crisis/danger evaluation en-GB', () => {
  const evaluation = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'nlu', 'en-GB.evaluation.json'), 'utf8')) as Evaluation;
  const understander = createUnderstander({ lexicons: loadLexicons(join(ROOT, 'locales')) });
  const understand = (text: string) => understander.understand(text, evaluation.locale);

  it('has enough phrasings to mean something', () => {
    expect(evaluation.crisis.length).toBeGreaterThanOrEqual(90);
    expect(evaluation.danger.length).toBeGreaterThanOrEqual(40);
    expect(evaluation.ordinary.length).toBeGreaterThanOrEqual(100);
  });

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

  it(`keeps false positives on ordinary messages at or below ${MAX_FALSE_POSITIVE_RATE * 100}%`, () => {
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
});
