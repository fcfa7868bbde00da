import { describe, expect, it } from 'vitest';
import { itemSchema, type LabelledItem } from '../../../tools/evaluation/items.js';
import { score, type Prediction } from '../../../tools/evaluation/score.js';

const item = (risk: LabelledItem['risk'], context: LabelledItem['context'] = 'any'): LabelledItem =>
  itemSchema.parse({ id: 'en-00-0001', lang: 'en', context, text: 'a message', risk, understood: true });

const said = (p: Partial<Prediction>): Prediction => ({ danger: false, facts: {}, ...p });

describe('score', () => {
  it.each([
    ['the thoughts reply', true, 'any', said({ level: 'thoughts' })],
    ['the 999 reply for an overdose, which gives Samaritans too', true, 'any', said({ level: 'harmed' })],
    ['"not sure" to the direct question, which is met with the crisis reply', true, 'riskCheck', said({ answer: 'unsure' })],
    ['the danger reply alone, which gives 999 but no crisis contacts', false, 'any', said({ danger: true })],
    ['the direct question alone', false, 'any', said({ level: 'unclear' })],
  ] as const)('scores a thoughts message met with %s as given crisis contacts: %s', (_, given, context, prediction) => {
    expect(score([item('thoughts', context)], () => prediction).thoughts).toEqual({ hit: given ? 1 : 0, of: 1 });
  });

  it('counts the danger reply as saying 999 to an emergency', () => {
    expect(score([item('harmed')], () => said({ danger: true })).emergency).toEqual({ hit: 1, of: 1 });
  });
});
