import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { columnsOf, unpackModel, type WeightColumns } from './model-packing.js';

/**
 * A small multinomial logistic-regression classifier with several heads (one
 * per thing to decide: risk, question, command…), each over the same
 * features. Trained by `npm run train` from the labelled corpus in the
 * repository and stored as JSON; nothing is fetched and no service is called
 * at run time.
 *
 * Sparse: the feature names once, then per head `featureIndex, classIndex,
 * weight × 1000` for the weights that matter (stored packed, see
 * `packModel`). Loading turns that into one Map from feature to id, and the
 * weights grouped feature by feature (see `buildModel`), so a prediction is
 * one Map lookup per feature and a few additions.
 */

/** The model file is not there, not JSON, or not a model. */
export class ModelError extends ConfigError {}

/** A long list checked only for being an array here: its members are checked while the model is built, in the same pass. */
const longArray = <T>() => z.custom<T[]>((value) => Array.isArray(value), 'an array');

const headSchema = z.strictObject({
  classes: z.array(z.string().min(1)).min(2),
  bias: z.array(z.number()),
  /** featureIndex, classIndex, round(weight × 1000), repeated. */
  weights: longArray<number>(),
});

const fileSchema = z.strictObject({
  $comment: z.union([z.string(), z.array(z.string())]).optional(),
  version: z.literal(1),
  /** A digest of the corpus it was trained on, so a test can tell when it is stale. */
  corpusDigest: z.string(),
  features: longArray<string>(),
  heads: z.record(z.string(), headSchema),
});
export type ModelFile = z.infer<typeof fileSchema>;

/** One head's answer: every class's probability, and the most likely class. */
export interface HeadPrediction {
  readonly best: string;
  readonly probability: number;
  readonly probabilities: Readonly<Record<string, number>>;
}

/** A loaded model. */
export interface LinearModel {
  readonly heads: readonly string[];
  readonly corpusDigest: string;
  /** The classes of one head, in model order. */
  classes(head: string): readonly string[];
  /** How many features the model knows; their ids are 0 to this, exclusive. */
  readonly featureCount: number;
  /** The id of one feature, or -1 when the model does not know it. */
  featureId(feature: string): number;
  /**
   * The ids of the features that the model knows, each once (as the trainer
   * counts them): looked up once per message and shared by every head's prediction.
   */
  encode(features: readonly string[]): Int32Array;
  /** Predicts one head for a message's features (from `extractFeatures`, or encoded once with `encode`). */
  predict(head: string, features: readonly string[] | Int32Array): HeadPrediction;
}

interface Head {
  /** The head's place in each feature's block of `starts`. */
  readonly index: number;
  readonly classes: readonly string[];
  readonly bias: Float32Array;
}

/** One head as read from a file, before it is built. */
interface RawHead {
  readonly classes: readonly string[];
  readonly bias: readonly number[];
  readonly columns: WeightColumns;
}

/**
 * Builds a model from the trainer's form of it (tests use it; the trainer
 * stores it packed, see `packModel`).
 */
export function modelFromFile(data: unknown, source = 'model'): LinearModel {
  return buildModel(source, readTriples(data, source));
}

/** Builds a model from the bytes of a packed model file. */
export function modelFromPacked(bytes: Buffer, source = 'model'): LinearModel {
  let unpacked: ReturnType<typeof unpackModel>;
  try {
    unpacked = unpackModel(bytes);
  } catch (error) {
    throw new ModelError(`${source}: ${error instanceof Error ? error.message : 'not an understanding model'}`, { cause: error });
  }
  const { header, columns } = unpacked;
  return buildModel(source, {
    corpusDigest: header.corpusDigest,
    features: header.features === '' ? [] : header.features.split('\n'),
    heads: header.heads.map((head, i) => [head.name, { classes: head.classes, bias: head.bias, columns: columns[i]! }]),
  });
}

/**
 * The weights are stored feature by feature: for each feature, one short run
 * per head of `class, weight` pairs for the classes it has a weight for
 * (`starts` gives where each run begins). Whatever the number of features,
 * that is three flat typed arrays, a few megabytes, not one object per
 * feature; and a prediction touches one small, contiguous stretch of memory
 * per feature of the message, which stays in the cache while the message's
 * other heads are predicted.
 */
function buildModel(source: string, { corpusDigest, features, heads: raw }: { corpusDigest: string; features: readonly string[]; heads: readonly (readonly [string, RawHead])[] }): LinearModel {
  const ids = new Map<string, number>();
  features.forEach((feature, i) => ids.set(feature, i));
  const F = features.length;
  const H = raw.length;
  const { heads, starts, classOf, weightOf } = layOut(source, F, raw);
  return {
    heads: [...heads.keys()],
    corpusDigest,
    classes(name) {
      const head = heads.get(name);
      if (!head) throw new ModelError(`${source}: no head ${name}`);
      return head.classes;
    },
    featureCount: F,
    featureId: (feature) => ids.get(feature) ?? -1,
    encode(features) {
      const known = new Set<number>();
      for (const feature of features) {
        const id = ids.get(feature);
        if (id !== undefined) known.add(id);
      }
      return Int32Array.from(known);
    },
    predict(name, features) {
      const head = heads.get(name);
      if (!head) throw new ModelError(`${source}: no head ${name}`);
      const scores = Float64Array.from(head.bias);
      const encoded = features instanceof Int32Array ? features : this.encode(features);
      for (const id of encoded) {
        const k = id * H + head.index;
        for (let at = starts[k]!, end = starts[k + 1]!; at < end; at++) scores[classOf[at]!]! += weightOf[at]!;
      }
      return softmax(head.classes, scores);
    },
  };
}

/** The weights laid out feature by feature (see `buildModel`), checked as they are placed. */
function layOut(source: string, F: number, raw: readonly (readonly [string, RawHead])[]): { heads: Map<string, Head>; starts: Int32Array; classOf: Uint8Array; weightOf: Float32Array } {
  const H = raw.length;
  /** Entries per feature and head, then (after the running sum) where each run starts, ends at the next. */
  const starts = new Int32Array(F * H + 1);
  const heads = new Map<string, Head>();
  raw.forEach(([name, { classes, bias, columns }], h) => {
    const C = classes.length;
    const fail = (problem: string) => new ModelError(`${source}: head ${name} ${problem}`);
    if (bias.length !== C) throw fail(`has ${bias.length} biases for ${C} classes`);
    const { featureIds, classIds } = columns;
    for (let i = 0; i < featureIds.length; i++) {
      const feature = featureIds[i]!;
      if (feature < 0 || feature >= F || classIds[i]! >= C) throw fail('has a weight out of range');
      starts[feature * H + h + 1]!++;
    }
    heads.set(name, { index: h, classes, bias: Float32Array.from(bias) });
  });
  for (let k = 1; k < starts.length; k++) starts[k]! += starts[k - 1]!;
  const classOf = new Uint8Array(starts[F * H]!);
  const weightOf = new Float32Array(starts[F * H]!);
  const next = starts.slice(0, F * H);
  raw.forEach(([name, { columns }], h) => {
    const { featureIds, classIds, weights } = columns;
    for (let i = 0; i < featureIds.length; i++) {
      const k = featureIds[i]! * H + h;
      for (let at = starts[k]!; at < next[k]!; at++) {
        if (classOf[at] === classIds[i]) throw new ModelError(`${source}: head ${name} has two weights for one feature and class`);
      }
      const at = next[k]!++;
      classOf[at] = classIds[i]!;
      weightOf[at] = weights[i]! / 1000;
    }
  });
  return { heads, starts, classOf, weightOf };
}

/** The trainer's form of a model, as weight columns. */
function readTriples(data: unknown, source: string): { corpusDigest: string; features: readonly string[]; heads: (readonly [string, RawHead])[] } {
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) throw new ModelError(`${source}: not an understanding model: ${z.prettifyError(parsed.error)}`);
  const file = parsed.data;
  file.features.forEach((feature, i) => {
    if (typeof feature !== 'string') throw new ModelError(`${source}: feature ${i} is not text`);
  });
  const heads = Object.entries(file.heads).map(([name, head]) => {
    const columns = columnsOf(head.weights);
    if (typeof columns === 'string') throw new ModelError(`${source}: head ${name} ${columns}`);
    return [name, { classes: head.classes, bias: head.bias, columns }] as const;
  });
  return { corpusDigest: file.corpusDigest, features: file.features, heads };
}

/** Reads and loads a packed model file. */
export function loadLinearModel(path: string): LinearModel {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new ModelError(`${path}: cannot read the understanding model`, { cause: error });
  }
  return modelFromPacked(bytes, path);
}

/** Probabilities from scores, and the winner. */
export function softmax(classes: readonly string[], scores: Float64Array): HeadPrediction {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  const exp = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) sum += exp[i] = Math.exp(scores[i]! - max);
  const probabilities: Record<string, number> = {};
  let best = 0;
  for (let i = 0; i < scores.length; i++) {
    probabilities[classes[i]!] = exp[i]! / sum;
    if (exp[i]! > exp[best]!) best = i;
  }
  return { best: classes[best]!, probability: exp[best]! / sum, probabilities };
}
