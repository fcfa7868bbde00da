import { MODEL_HEADS, NONE, type ModelHead } from '../../src/nlu/model-heads.js';
import type { LabelledItem } from '../evaluation/items.js';
import { UNLABELLED } from './train-model.js';

/** The class a labelled message has in one head of the model. */
export function labelOf(item: LabelledItem, head: ModelHead): string {
  const f = item.facts;
  const flag = (value: boolean | undefined) => (value ? 'yes' : NONE);
  switch (head) {
    case 'language':
      return item.lang;
    case 'risk':
      return item.risk;
    case 'answer':
      return item.answer ?? NONE;
    case 'question':
      return item.question ?? NONE;
    case 'command':
      return item.command ?? NONE;
    case 'social':
      return item.social ?? NONE;
    case 'switchTo':
      return item.switchTo ?? NONE;
    case 'paid':
      return f.paid === undefined ? NONE : f.paid ? 'yes' : 'no';
    case 'payMethod':
      return f.payMethod ?? NONE;
    case 'demand':
      return f.demand ?? NONE;
    case 'who':
      return f.who ?? NONE;
    case 'images':
      return f.images ?? NONE;
    case 'writer':
      // "self" is rarely said and never acted on differently from saying nothing.
      return f.writer === undefined || f.writer === 'self' ? NONE : f.writer;
    case 'deadline':
      return flag(f.deadline);
    case 'outing':
      return flag(f.outing);
    case 'takenUnder18':
      return flag(f.takenUnder18);
  }
}

/** The heads a message labelled for risk only trains (see `RISK_CORPUS_FILE`). */
export const RISK_ONLY_HEADS: readonly ModelHead[] = ['language', 'risk', 'answer'];

/** Every head's class index for a message; heads outside `heads` are {@link UNLABELLED}. */
export function labelIndexes(item: LabelledItem, heads: readonly ModelHead[] = Object.keys(MODEL_HEADS) as ModelHead[]): Record<ModelHead, number> {
  const indexes = {} as Record<ModelHead, number>;
  for (const head of Object.keys(MODEL_HEADS) as ModelHead[]) {
    if (!heads.includes(head)) {
      indexes[head] = UNLABELLED;
      continue;
    }
    const classes: readonly string[] = MODEL_HEADS[head];
    const index = classes.indexOf(labelOf(item, head));
    if (index < 0) throw new Error(`${item.id}: label ${labelOf(item, head)} is not a class of head ${head}`);
    indexes[head] = index;
  }
  return indexes;
}
