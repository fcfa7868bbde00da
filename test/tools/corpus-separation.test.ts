import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readItems } from '../../tools/evaluation/items.js';
import { isDevelopmentSplit, SPLITS_PATH } from '../../tools/evaluation/splits.js';
import { CORPUS_FILES, readCorpus } from '../../tools/training/corpus.js';
import { normaliseText } from '../../src/nlu/normalise.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SPLITS = join(ROOT, ...SPLITS_PATH);

/** The test splits: every split that is not a development split (dev, dev2, ...). */
const testSplits = readdirSync(SPLITS).filter((name) => !isDevelopmentSplit(name));

describe('the training corpus and the test splits', () => {
  const training = new Set(CORPUS_FILES.flatMap((file) => readCorpus(join(ROOT, 'locales'), file)).map((item) => normaliseText(item.text)));

  it('has test splits to keep apart', () => {
    expect(testSplits.length).toBeGreaterThan(0);
  });

  it.each(testSplits)('keeps every message of the %s split out of the corpus, so its figures measure what was never learnt', (split) => {
    const leaked: string[] = [];
    for (const file of ['en.json', 'cy.json', 'pl.json'].map((name) => join(SPLITS, split, name)).filter((f) => existsSync(f))) {
      for (const item of readItems(file)) {
        const text = normaliseText(item.text);
        // Answers of a word or two ("no", "15") are bound to be in both: only sentences count as learnt.
        if (text.split(' ').length >= 4 && training.has(text)) leaked.push(item.id);
      }
    }
    expect(leaked).toEqual([]);
  });
});
