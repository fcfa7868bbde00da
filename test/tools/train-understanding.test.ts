import { describe, expect, it } from 'vitest';
import { modelFromFile } from '../../src/nlu/linear-model.js';
import { extractFeatures } from '../../src/nlu/features.js';
import { normaliseText } from '../../src/nlu/normalise.js';
import type { LabelledItem } from '../../tools/evaluation/items.js';
import { composedQuestions, examplesOf, withTypos } from '../../tools/train-understanding.js';
import { RISK_ONLY_HEADS } from '../../tools/training/labels.js';
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

  it('learns risk from messages labelled for risk only, without unlearning the questions they leave unlabelled', () => {
    // Risk-only writers did not label questions: "should i pay" in their sets carries no question label.
    const riskOnly = [
      ...['should i pay him', 'should i pay them', 'do i pay', 'should i just pay'].flatMap((t, i) => [0, 1, 2].map((k) => item(`r${i}-${k}`, t))),
      ...['i took all the pills', 'took all my pills', 'i took the pills', 'took every pill'].map((t, i) => item(`h${i}`, t, { risk: 'harmed' })),
    ];
    const train = (heads?: typeof RISK_ONLY_HEADS) =>
      modelFromFile(trainModel([...examplesOf(corpus), ...examplesOf(riskOnly, heads === undefined ? {} : { heads })], 'digest', { epochs: 20, l1: 0.1 }));
    const predict = (model: ReturnType<typeof train>, head: string, text: string) => model.predict(head, extractFeatures(normaliseText(text))).best;
    const riskHeadsOnly = train(RISK_ONLY_HEADS);
    expect(predict(riskHeadsOnly, 'risk', 'i took all the pills')).toBe('harmed');
    expect(predict(riskHeadsOnly, 'question', 'should i pay')).toBe('shouldPay');
    // The same messages read as labelled for every head teach "no question", which is what the split prevents.
    expect(predict(train(), 'question', 'should i pay')).not.toBe('shouldPay');
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
