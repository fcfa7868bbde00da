import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMERGENCY_LEVELS } from '../../flows/safeguarding.js';
import { loadUnderstander } from '../../src/nlu/load-understander.js';

/**
 * The crisis and danger phrasings collected while the bot was built (one
 * file per language under test/fixtures/nlu/, plus an English hold-out
 * written without reading the rules), run through the understanding in
 * every language the conversation could be in: no risk phrasing may go
 * unanswered, and ordinary messages may raise a risk reply only rarely. The
 * table is the files: a new language's set is picked up by itself.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const DIR = join(ROOT, 'test', 'fixtures', 'nlu');
const understander = loadUnderstander(join(ROOT, 'locales'));

/** The share of ordinary messages that may get a crisis or danger reply (a kind question is not counted). */
const MAX_FALSE_POSITIVE_RATE = 0.05;

interface RiskSet {
  readonly locale: string;
  readonly crisis: readonly string[];
  readonly danger: readonly string[];
  readonly ordinary: readonly string[];
}

const sets = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, set: JSON.parse(readFileSync(join(DIR, file), 'utf8')) as RiskSet }));

describe.each(sets)('$file', ({ set }) => {
  describe.each(understander.locales)('with the conversation in %s', (locale) => {
    const understand = (text: string) => understander.understand(text, { locale });

    it('answers every crisis phrasing: a crisis reply, or a direct question about their life', () => {
      const missed = set.crisis.filter((text) => understand(text).risk === undefined);
      expect(missed, `crisis phrasings missed:\n${missed.join('\n')}`).toEqual([]);
    });

    it('answers every danger phrasing with 999', () => {
      const missed = set.danger.filter((text) => {
        const u = understand(text);
        return !u.danger && !(u.risk !== undefined && EMERGENCY_LEVELS.includes(u.risk));
      });
      expect(missed, `danger phrasings missed:\n${missed.join('\n')}`).toEqual([]);
    });
  });

  it(`keeps crisis and danger replies to ordinary messages at or below ${MAX_FALSE_POSITIVE_RATE * 100}%`, () => {
    const falsePositives = set.ordinary.filter((text) => {
      const u = understander.understand(text, { locale: set.locale });
      return u.danger || (u.risk !== undefined && u.risk !== 'unclear');
    });
    const rate = falsePositives.length / set.ordinary.length;
    const levels = new Map<string, number>();
    for (const text of set.crisis) {
      const level = understander.understand(text, { locale: set.locale }).risk ?? 'none';
      levels.set(level, (levels.get(level) ?? 0) + 1);
    }
    console.log(
      `risk set ${set.locale}: ${set.crisis.length} crisis phrasings (${[...levels].map(([l, n]) => `${l} ${n}`).join(', ')}), ` +
        `${set.danger.length} danger; ${set.ordinary.length} ordinary, ${falsePositives.length} false positives (${(rate * 100).toFixed(1)}%)`,
    );
    expect(rate, `false positives:\n${falsePositives.join('\n')}`).toBeLessThanOrEqual(MAX_FALSE_POSITIVE_RATE);
  });
});
