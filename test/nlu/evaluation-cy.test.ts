import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLexicons } from '../../src/nlu/lexicon.js';
import { createUnderstander } from '../../src/nlu/understand.js';

/**
 * The Welsh crisis/danger evaluation: phrasings a frightened young person
 * would really type in Welsh (north and south forms, mutations, no
 * diacritics, text-speak, English mixed in). Every risk phrasing must be
 * caught whether the conversation is in Welsh or in English, because a person
 * may write in their own language whatever language the bot is using.
 */
interface Evaluation {
  readonly locale: string;
  readonly crisis: readonly string[];
  readonly danger: readonly string[];
  readonly ordinary: readonly string[];
}

const ROOT = join(import.meta.dirname, '..', '..');
const MAX_FALSE_POSITIVE_RATE = 0.05;
const evaluation = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'nlu', 'cy.evaluation.json'), 'utf8')) as Evaluation;
const understander = createUnderstander({ lexicons: loadLexicons(join(ROOT, 'locales')) });

describe('crisis/danger evaluation cy', () => {
  it('is a Welsh evaluation with enough phrasings to mean something', () => {
    expect(evaluation.locale).toBe('cy');
    expect(understander.locales).toContain('cy');
    expect(evaluation.crisis.length).toBeGreaterThanOrEqual(60);
    expect(evaluation.danger.length).toBeGreaterThanOrEqual(45);
    expect(evaluation.ordinary.length).toBeGreaterThanOrEqual(80);
  });

  describe.each(['cy', 'en-GB'])('with the conversation in %s', (locale) => {
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

  it('catches the Welsh risk phrasings with the Welsh lexicon itself, not only through English words', () => {
    const risk = [...evaluation.crisis, ...evaluation.danger];
    const byWelsh = risk.filter((text) => understander.understand(text, 'en-GB').matched.some((id) => id.startsWith('cy:')));
    // A few phrasings are English slang inside Welsh ("dwi isio kms"); the English lexicon owns those.
    expect(byWelsh.length / risk.length).toBeGreaterThanOrEqual(0.97);
  });

  it(`keeps false positives on ordinary messages at or below ${MAX_FALSE_POSITIVE_RATE * 100}%`, () => {
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

  it('never fires a Welsh crisis or danger entry on an ordinary English message', () => {
    const english = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'nlu', 'en-GB.evaluation.json'), 'utf8')) as Evaluation;
    const fired = english.ordinary.filter((text) => understander.understand(text, 'en-GB').matched.some((id) => id.startsWith('cy:')));
    expect(fired).toEqual([]);
  });
});
