import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readItems } from '../../tools/evaluation/items.js';
import { normaliseText } from '../../src/nlu/normalise.js';

/** Where the labelled splits live. */
const SPLITS = join(import.meta.dirname, '..', 'fixtures', 'understanding');

/**
 * The text of every message of every development split, normalised for
 * matching, in a fixed order. A split need not hold every language: a round
 * written in Welsh and Polish only has no `en.json`.
 */
export function developmentTexts(): string[] {
  return readdirSync(SPLITS)
    .filter((name) => name.startsWith('dev'))
    .sort()
    .flatMap((split) =>
      ['en', 'cy', 'pl']
        .map((lang) => join(SPLITS, split, `${lang}.json`))
        .filter((file) => existsSync(file))
        .flatMap((file) => readItems(file).map((item) => normaliseText(item.text))),
    );
}
