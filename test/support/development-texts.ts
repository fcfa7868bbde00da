import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ITEM_LANGUAGES, readItems } from '../../tools/evaluation/items.js';
import { isDevelopmentSplit, SPLITS_PATH } from '../../tools/evaluation/splits.js';
import { normaliseText } from '../../src/nlu/normalise.js';

/**
 * The text of every message of every development split, normalised for
 * matching, in a fixed order. A split need not hold every language: a round
 * written in Welsh and Polish only has no `en.json`.
 */
export function developmentTexts(): string[] {
  const splits = join(import.meta.dirname, '..', '..', ...SPLITS_PATH);
  return readdirSync(splits)
    .filter(isDevelopmentSplit)
    .sort()
    .flatMap((split) =>
      Object.keys(ITEM_LANGUAGES)
        .map((lang) => join(splits, split, `${lang}.json`))
        .filter((file) => existsSync(file))
        .flatMap((file) => readItems(file).map((item) => normaliseText(item.text))),
    );
}
