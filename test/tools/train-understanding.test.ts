import { describe, expect, it } from 'vitest';
import { modelFromFile } from '../../src/nlu/linear-model.js';
import { extractFeatures } from '../../src/nlu/features.js';
import { normaliseText } from '../../src/nlu/normalise.js';
import type { LabelledItem } from '../../tools/evaluation/items.js';
import { composedQuestions, examplesOf, withTypos } from '../../tools/train-understanding.js';
import { seededRandom, trainModel } from '../../tools/training/train-model.js';

const item = (id: string, text: string, extra: Partial<LabelledItem> = {}): LabelledItem =>
  ({ id, lang: 'en', context: 'any', text, risk: 'none', facts: {}, understood: true, ...extra }) as LabelledItem;

const corpus: LabelledItem[] = [
  ...['i want to die', 'i want to die so much', 'i just want to die', 'honestly i want to die'].map((t, i) => item(`t${i}`, t, { risk: 'thoughts' })),
  ...['should i pay him', 'should i pay them', 'do i pay', 'should i just pay'].map((t, i) => item(`q${i}`, t, { question: 'shouldPay' })),
  ...['he has my pics', 'they have my photos', 'she has my pics now', 'he has my photos'].map((t, i) => item(`n${i}`, t)),
];

describe('npm run train', () => {
  it('learns the corpus it is given', () => {
    const model = modelFromFile(trainModel(examplesOf(corpus), 'digest', { epochs: 20, l1: 0.1 }));
    const predict = (head: string, text: string) => model.predict(head, extractFeatures(normaliseText(text))).best;
    expect(predict('risk', 'i want to die')).toBe('thoughts');
    expect(predict('risk', 'he has my pics')).toBe('none');
    expect(predict('question', 'should i pay')).toBe('shouldPay');
  });

  it('writes the same model from the same corpus, byte for byte', () => {
    const once = JSON.stringify(trainModel(examplesOf(corpus), 'digest', { epochs: 5 }));
    const twice = JSON.stringify(trainModel(examplesOf(corpus), 'digest', { epochs: 5 }));
    expect(twice).toBe(once);
  });

  it('puts each question after a statement in the same language, keeping the statement\'s risk and facts', () => {
    const composed = composedQuestions([item('s', 'he is 25', { facts: { age: 25 } }), item('q', 'should i pay', { question: 'shouldPay' })], seededRandom(1), 1);
    expect(composed).toEqual([expect.objectContaining({ text: 'he is 25. should i pay', question: 'shouldPay', facts: { age: 25 } })]);
  });

  it('makes typing slips that keep the word recognisable', () => {
    const slipped = withTypos('threatening everyone tonight', seededRandom(3));
    expect(slipped).not.toBe('');
    expect(slipped.split(' ')).toHaveLength(3);
  });
});
