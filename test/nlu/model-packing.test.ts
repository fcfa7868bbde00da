import { describe, expect, it } from 'vitest';
import { ModelError, type ModelFile, modelFromFile, modelFromPacked } from '../../src/nlu/linear-model.js';
import { ModelPackingError, packModel } from '../../src/nlu/model-packing.js';

const model: ModelFile = {
  $comment: 'test',
  version: 1,
  corpusDigest: 'digest',
  features: ['w:die', 'w:pay', 'w:zł', 'g:<una'],
  heads: {
    // An odd number of weights, so the next head only lines up if padding is right.
    risk: { classes: ['none', 'thoughts', 'harmed'], bias: [1, -1, -2], weights: [0, 1, 3000, 3, 1, 1500, 3, 2, -700] },
    question: { classes: ['none', 'shouldPay'], bias: [0, 0], weights: [1, 1, 2000, 2, 1, 32767] },
  },
};

describe('packModel', () => {
  it('stores a model that loads back predicting exactly what the trainer made', () => {
    const packed = modelFromPacked(packModel(model));
    const plain = modelFromFile(model);
    expect(packed.heads).toEqual(plain.heads);
    expect(packed.corpusDigest).toBe('digest');
    for (const features of [['w:die'], ['w:pay', 'w:zł'], ['g:<una', 'w:die'], ['w:hello'], []]) {
      for (const head of plain.heads) expect(packed.predict(head, features)).toEqual(plain.predict(head, features));
    }
    expect(packed.featureId('w:zł')).toBe(2);
  });

  it('starts every column where a typed array can read it, in place', () => {
    const bytes = packModel(model);
    expect(bytes.length % 4).toBe(0);
    // A copy at an odd offset must still load (the columns are then copied to aligned memory).
    const shifted = Buffer.concat([Buffer.alloc(1), bytes]).subarray(1);
    expect(modelFromPacked(shifted).predict('risk', ['w:die']).best).toBe('thoughts');
  });

  it('refuses a weight that does not fit in 16 bits, and a feature with a line break', () => {
    expect(() => packModel({ ...model, heads: { risk: { classes: ['a', 'b'], bias: [0, 0], weights: [0, 1, 40000] } } })).toThrow(ModelPackingError);
    expect(() => packModel({ ...model, features: ['w:a\nb'] })).toThrow(ModelPackingError);
  });

  it('refuses bytes that are not a whole packed model, with an error that says which file', () => {
    const bytes = packModel(model);
    expect(() => modelFromPacked(Buffer.from('{"version":1}'), 'model.bin')).toThrow(/model\.bin: not a packed understanding model/);
    expect(() => modelFromPacked(bytes.subarray(0, bytes.length - 8))).toThrow(ModelError);
    expect(() => modelFromPacked(Buffer.concat([bytes, Buffer.alloc(4)]))).toThrow(/longer than its heads/);
    const wrongIds = Buffer.from(bytes);
    wrongIds.fill(0xff, bytes.length - 40, bytes.length - 20);
    expect(() => modelFromPacked(wrongIds)).toThrow(ModelError);
  });
});
