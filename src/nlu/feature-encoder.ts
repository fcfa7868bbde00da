import { type Expecting, visitFeatures, wordFeatures } from './features.js';
import type { LinearModel } from './linear-model.js';

/**
 * Turns a normalised message into the ids of the model's features, the
 * same set `model.encode(extractFeatures(…))` gives, without building most
 * of the feature names: a word's letter sequences are most of a message's
 * features, and the same few thousand words come back in message after
 * message, so each word's ids are looked up once and kept.
 */
export type FeatureEncoder = (normalised: string, expecting: Expecting, focus?: string) => Int32Array;

/** Options for {@link createFeatureEncoder}. */
export interface FeatureEncoderOptions {
  /** Words whose ids are kept; when full, the store is emptied and fills again with the words in use. */
  readonly cachedWords?: number;
}

/**
 * Builds an encoder for one model. It keeps its own word store and a
 * scratch array the size of the model's vocabulary (to count each feature
 * once), so one encoder serves one understander; calls are synchronous and
 * never overlap.
 */
export function createFeatureEncoder(model: Pick<LinearModel, 'featureId' | 'featureCount' | 'encode'>, { cachedWords = 20_000 }: FeatureEncoderOptions = {}): FeatureEncoder {
  const words = new Map<string, Int32Array>();
  const seen = new Uint32Array(model.featureCount);
  const ids: number[] = [];
  let stamp = 0;
  const add = (id: number) => {
    if (id < 0 || seen[id] === stamp) return;
    seen[id] = stamp;
    ids.push(id);
  };
  const sink = {
    feature: (name: string) => add(model.featureId(name)),
    word: (word: string) => {
      let known = words.get(word);
      if (known === undefined) {
        if (words.size >= cachedWords) words.clear();
        known = model.encode(wordFeatures(word));
        words.set(word, known);
      }
      for (const id of known) add(id);
    },
  };
  return (normalised, expecting, focus) => {
    if (++stamp === 0xffffffff) {
      seen.fill(0);
      stamp = 1;
    }
    ids.length = 0;
    visitFeatures(normalised, expecting, focus, sink);
    return Int32Array.from(ids);
  };
}
