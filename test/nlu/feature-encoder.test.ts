import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFeatureEncoder } from '../../src/nlu/feature-encoder.js';
import { type Expecting, extractFeatures, focusSentence } from '../../src/nlu/features.js';
import { loadLinearModel, modelFromFile } from '../../src/nlu/linear-model.js';
import { MODEL_FILE } from '../../src/nlu/model-file.js';
import { normaliseText } from '../../src/nlu/normalise.js';

const ROOT = join(import.meta.dirname, '..', '..');
const sorted = (ids: Int32Array) => [...ids].sort((a, b) => a - b);

describe('createFeatureEncoder', () => {
  it('gives the ids the model gives for the message\'s feature names, each once, for every development message', () => {
    const model = loadLinearModel(join(ROOT, 'locales', MODEL_FILE));
    const encode = createFeatureEncoder(model, { cachedWords: 500 });
    const items = ['en', 'cy', 'pl'].flatMap(
      (lang) => JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'understanding', 'dev', `${lang}.json`), 'utf8')) as { text: string; context: Expecting }[],
    );
    // Twice, so the second pass reads words from the store (and the store has been emptied on the way).
    for (const pass of [1, 2]) {
      for (const item of items) {
        const base = normaliseText(item.text);
        const sentence = focusSentence(item.text);
        const focus = sentence === undefined ? undefined : normaliseText(sentence);
        const ids = encode(base, item.context, focus);
        expect(new Set(ids).size, `${pass}: ${item.text}`).toBe(ids.length);
        expect(sorted(ids), `${pass}: ${item.text}`).toEqual(sorted(model.encode(extractFeatures(base, item.context, focus))));
      }
    }
  });

  it('counts a repeated word once, as the trainer does', () => {
    const model = modelFromFile({ version: 1, corpusDigest: 'x', features: ['w:no', 'g:<no>'], heads: { risk: { classes: ['none', 'x'], bias: [0, 0], weights: [0, 1, 1000] } } });
    expect(sorted(createFeatureEncoder(model)('no no no', 'any'))).toEqual([0, 1]);
  });
});
