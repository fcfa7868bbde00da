import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Understander } from '../../src/nlu/understand.js';

/**
 * Shared pieces of the crisis/danger evaluations (`test/nlu/evaluation*.test.ts`)
 * and the hold-out (`test/nlu/holdout.test.ts`): loading a set of phrasings,
 * the "every crisis/danger phrasing is caught" tests, and the false-positive
 * test that prints the one-line summary other tooling reads:
 *
 *     crisis/danger <label> <locale>: N risk phrasings, M missed; K ordinary, F false positives (P%)
 *
 * Misses are failures; false positives are allowed up to
 * {@link MAX_FALSE_POSITIVE_RATE}, because a crisis reply to someone who is
 * not in crisis does far less harm than silence to someone who is.
 */

/** A set of phrasings from `test/fixtures/nlu/`, as written for one locale. */
export interface RiskSet {
  readonly locale: string;
  /** Each must be read as crisis. */
  readonly crisis: readonly string[];
  /** Each must be read as danger (or crisis). */
  readonly danger: readonly string[];
  /** Each should be read as neither, bar a few (see {@link MAX_FALSE_POSITIVE_RATE}). */
  readonly ordinary: readonly string[];
}

/** The share of ordinary messages that may raise crisis or danger. */
export const MAX_FALSE_POSITIVE_RATE = 0.05;

/** The repository's root folder. */
export const ROOT = join(import.meta.dirname, '..', '..');

/** Reads `test/fixtures/nlu/<file>`, e.g. `loadRiskSet('cy.evaluation.json')`. */
export function loadRiskSet(file: string): RiskSet {
  return JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'nlu', file), 'utf8')) as RiskSet;
}

/** Expects `set` to hold at least the given number of phrasings in each list. */
export function expectEnoughPhrasings(set: RiskSet, minimum: { crisis: number; danger: number; ordinary: number }): void {
  expect(set.crisis.length).toBeGreaterThanOrEqual(minimum.crisis);
  expect(set.danger.length).toBeGreaterThanOrEqual(minimum.danger);
  expect(set.ordinary.length).toBeGreaterThanOrEqual(minimum.ordinary);
}

type Understand = (text: string) => { readonly crisis: boolean; readonly danger: boolean };

/** The crisis phrasings not read as crisis. */
function missedCrisis(set: RiskSet, understand: Understand): string[] {
  return set.crisis.filter((text) => !understand(text).crisis);
}

/** The danger phrasings read as neither danger nor crisis. */
function missedDanger(set: RiskSet, understand: Understand): string[] {
  return set.danger.filter((text) => {
    const u = understand(text);
    return !u.danger && !u.crisis;
  });
}

/**
 * Declares "recognises every crisis phrasing as crisis" and "recognises every
 * danger phrasing as danger or crisis" for `set`, failing with the list of
 * misses. With one locale the two tests are declared where this is called;
 * with several, once per locale inside `describe('with the conversation in <locale>')`.
 */
export function itCatchesEveryRiskPhrasing(set: RiskSet, understander: Understander, locales: string | readonly string[]): void {
  const declare = (locale: string) => {
    const understand = (text: string) => understander.understand(text, locale);

    it('recognises every crisis phrasing as crisis', () => {
      const missed = missedCrisis(set, understand);
      expect(missed, `crisis phrasings missed:\n${missed.join('\n')}`).toEqual([]);
    });

    it('recognises every danger phrasing as danger or crisis', () => {
      const missed = missedDanger(set, understand);
      expect(missed, `danger phrasings missed:\n${missed.join('\n')}`).toEqual([]);
    });
  };
  if (typeof locales === 'string') declare(locales);
  else describe.each(locales)('with the conversation in %s', declare);
}

/** How {@link itKeepsFalsePositivesLow} names, counts and judges. */
export interface FalsePositiveOptions {
  /** The word after "crisis/danger" in the summary line: `evaluation` or `hold-out`. */
  readonly label: 'evaluation' | 'hold-out';
  /** What the ordinary messages are called in the test's name (default `ordinary messages`). */
  readonly ordinary?: string;
  /**
   * Also fail on any missed risk phrasing, counting a crisis phrasing as missed
   * unless read as crisis, and a danger one unless read as danger or crisis;
   * the test's name then begins "misses no risk phrasing and". Without it
   * (default) the summary counts as missed only the risk phrasings read as
   * neither crisis nor danger, and misses do not fail this test (the tests of
   * {@link itCatchesEveryRiskPhrasing} do).
   */
  readonly missesNone?: boolean;
}

/**
 * Declares the test that understands every phrasing of `set` in `set.locale`,
 * prints the one-line summary (see the module's comment) and fails when more
 * than {@link MAX_FALSE_POSITIVE_RATE} of the ordinary messages raise crisis
 * or danger, listing them.
 */
export function itKeepsFalsePositivesLow(set: RiskSet, understander: Understander, options: FalsePositiveOptions): void {
  const { label, ordinary = 'ordinary messages', missesNone = false } = options;
  const prefix = missesNone ? 'misses no risk phrasing and ' : '';
  it(`${prefix}keeps false positives on ${ordinary} at or below ${MAX_FALSE_POSITIVE_RATE * 100}%`, () => {
    const understand = (text: string) => understander.understand(text, set.locale);
    const risk = [...set.crisis, ...set.danger];
    const missed = missesNone
      ? [...missedCrisis(set, understand), ...missedDanger(set, understand)]
      : risk.filter((text) => {
          const u = understand(text);
          return !u.crisis && !u.danger;
        });
    const falsePositives = set.ordinary.filter((text) => {
      const u = understand(text);
      return u.crisis || u.danger;
    });
    const rate = falsePositives.length / set.ordinary.length;
    console.log(
      `crisis/danger ${label} ${set.locale}: ${risk.length} risk phrasings, ${missed.length} missed; ` +
        `${set.ordinary.length} ordinary, ${falsePositives.length} false positives (${(rate * 100).toFixed(1)}%)`,
    );
    if (missesNone) expect(missed, `risk phrasings missed:\n${missed.join('\n')}`).toEqual([]);
    expect(rate, `false positives:\n${falsePositives.join('\n')}`).toBeLessThanOrEqual(MAX_FALSE_POSITIVE_RATE);
  });
}
