import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFeatures, focusSentence } from '../../src/nlu/features.js';
import { loadLinearModel, ModelError, modelFromFile } from '../../src/nlu/linear-model.js';
import { MODEL_FILE } from '../../src/nlu/model-file.js';
import { MODEL_HEADS } from '../../src/nlu/model-heads.js';
import { corpusDigest } from '../../tools/training/corpus.js';

const LOCALES = join(import.meta.dirname, '..', '..', 'locales');

describe('extractFeatures', () => {
  it('takes words, word pairs and letter sequences inside words, so a misspelling shares most features', () => {
    const a = new Set(extractFeatures('i want to unalive'));
    const b = new Set(extractFeatures('i want to unalivee'));
    expect(a.has('w:unalive')).toBe(true);
    expect(a.has('b:to unalive')).toBe(true);
    expect(a.has('g:<una')).toBe(true);
    const shared = [...a].filter((f) => b.has(f)).length;
    expect(shared / a.size).toBeGreaterThan(0.7);
  });

  it('pairs the words of a short answer with what the bot asked', () => {
    expect(extractFeatures('no', 'safety')).toContain('aw:safety:no');
    expect(extractFeatures('no', 'paid')).toContain('aw:paid:no');
    expect(extractFeatures('no', 'any')).not.toContain('aw:any:no');
  });

  it('adds the sentence that asks a long message\'s question again, on its own', () => {
    expect(extractFeatures('long story', 'any', 'will i get in trouble')).toContain('f:trouble');
  });
});

describe('focusSentence', () => {
  it('is the last sentence with a question mark, else the last sentence, and nothing for one sentence', () => {
    expect(focusSentence('hi. im 15 and he wants money. will i get in trouble? pls help')).toBe('will i get in trouble?');
    expect(focusSentence('he has my pics. he wants 50 quid')).toBe('he wants 50 quid');
    expect(focusSentence('one sentence only')).toBeUndefined();
  });
});

describe('modelFromFile', () => {
  const file = {
    version: 1,
    corpusDigest: 'x',
    features: ['w:die', 'w:pay'],
    heads: {
      risk: { classes: ['none', 'thoughts'], bias: [1, -1], weights: [0, 1, 3000] },
      question: { classes: ['none', 'shouldPay'], bias: [0, 0], weights: [1, 1, 2000] },
    },
  };

  it('predicts each head from the sparse weights', () => {
    const model = modelFromFile(file);
    expect(model.heads).toEqual(['risk', 'question']);
    expect(model.predict('risk', ['w:die']).best).toBe('thoughts');
    expect(model.predict('risk', ['w:hello']).best).toBe('none');
    expect(model.predict('question', ['w:pay']).probabilities.shouldPay).toBeGreaterThan(0.8);
  });

  it('adds up the weights of every feature of a message, in each head on its own', () => {
    const model = modelFromFile({
      ...file,
      heads: {
        risk: { classes: ['none', 'thoughts', 'harmed'], bias: [0, 0, 0], weights: [0, 1, 1000, 1, 1, 500, 1, 2, 250] },
        question: { classes: ['none', 'shouldPay'], bias: [0, 0], weights: [1, 1, 4000] },
      },
    });
    const risk = model.predict('risk', ['w:die', 'w:pay']).probabilities;
    const e = [1, Math.exp(1.5), Math.exp(0.25)];
    const sum = e[0]! + e[1]! + e[2]!;
    expect(risk.thoughts).toBeCloseTo(e[1]! / sum, 6);
    expect(risk.harmed).toBeCloseTo(e[2]! / sum, 6);
    expect(model.predict('question', ['w:die']).probabilities.shouldPay).toBeCloseTo(0.5, 6);
  });

  it('refuses a file that is not a model, or whose weights point nowhere', () => {
    expect(() => modelFromFile({ version: 2 })).toThrow(ModelError);
    expect(() => modelFromFile({ ...file, heads: { risk: { classes: ['none', 'x'], bias: [0, 0], weights: [9, 0, 1] } } })).toThrow(/out of range/);
    expect(() => modelFromFile({ ...file, heads: { risk: { classes: ['none', 'x'], bias: [0], weights: [] } } })).toThrow(/biases/);
    expect(() => modelFromFile({ ...file, heads: { risk: { classes: ['none', 'x'], bias: [0, 0], weights: [0, 1, 5, 1, 1, 5, 0, 1, 7] } } })).toThrow(/two weights/);
  });
});

describe('the shipped model', () => {
  const model = loadLinearModel(join(LOCALES, MODEL_FILE));

  it('was trained on the corpus in the repository as it is now (retrain with `npm run train` after changing it)', () => {
    expect(model.corpusDigest).toBe(corpusDigest(LOCALES));
  });

  it('has every head with the classes the understanding expects', () => {
    for (const [head, classes] of Object.entries(MODEL_HEADS)) expect(model.classes(head), head).toEqual([...classes]);
  });
});
