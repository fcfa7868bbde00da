import { z } from 'zod';

/**
 * How the classifier is stored on disk: one binary file, so loading is one
 * read and the weights are used where they lie. As JSON the model's millions
 * of numbers took longer to read, decode and parse than the issue allows a
 * model to load in; packed, the same model is a third smaller and loads in a
 * fraction of the time.
 *
 * Layout (all integers little-endian):
 * - the 4 bytes `SSBM`, then the header's length in bytes (uint32);
 * - the header: ASCII JSON (`PackedHeader`), padded with spaces to a
 *   multiple of 4 bytes;
 * - per head, in the header's order, its `count` weights as three columns:
 *   feature ids (int32), weights × 1000 (int16), class ids (uint8), then
 *   zero bytes up to a multiple of 4.
 */

/** A model as the trainer makes it and `modelFromFile` builds from: per head, `feature, class, weight × 1000` triples. */
export interface UnpackedModel {
  readonly $comment?: string | readonly string[] | undefined;
  readonly version: 1;
  readonly corpusDigest: string;
  readonly features: readonly string[];
  readonly heads: Readonly<Record<string, { readonly classes: readonly string[]; readonly bias: readonly number[]; readonly weights: readonly number[] }>>;
}

/** One head's weights as columns: the i-th weight is `weights[i] / 1000` for class `classIds[i]` of feature `featureIds[i]`. */
export interface WeightColumns {
  readonly featureIds: Int32Array;
  readonly classIds: Uint8Array;
  readonly weights: Int16Array;
}

const headerSchema = z.strictObject({
  $comment: z.union([z.string(), z.array(z.string())]).optional(),
  version: z.literal(2),
  /** A digest of the corpus it was trained on, so a test can tell when it is stale. */
  corpusDigest: z.string(),
  /** Feature names joined by "\n" (no feature contains a line break). */
  features: z.string(),
  heads: z.array(
    z.strictObject({
      name: z.string().min(1),
      classes: z.array(z.string().min(1)).min(2).max(256),
      bias: z.array(z.number()),
      count: z.number().int().min(0),
    }),
  ),
});

/** What a packed model says before its weights. */
export type PackedHeader = z.infer<typeof headerSchema>;

/** A packed model, read back: the header and every head's weight columns, in the header's order. */
export interface UnpackedColumns {
  readonly header: PackedHeader;
  readonly columns: readonly WeightColumns[];
}

const MAGIC = 'SSBM';

/** A model cannot be packed (a weight too large for 16 bits, a line break in a feature) or a file is not a packed model. */
export class ModelPackingError extends Error {}

/** The bytes of the stored form of a trained model. */
export function packModel(model: UnpackedModel): Buffer {
  if (model.features.some((feature) => feature.includes('\n'))) throw new ModelPackingError('a feature contains a line break');
  const heads = Object.entries(model.heads);
  const header: PackedHeader = {
    ...(model.$comment !== undefined && { $comment: typeof model.$comment === 'string' ? model.$comment : [...model.$comment] }),
    version: 2,
    corpusDigest: model.corpusDigest,
    features: model.features.join('\n'),
    heads: heads.map(([name, head]) => ({ name, classes: [...head.classes], bias: [...head.bias], count: head.weights.length / 3 })),
  };
  const json = JSON.stringify(header).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const headerBytes = padded(Buffer.from(json, 'ascii'), 0x20);
  const parts: Buffer[] = [Buffer.from(MAGIC, 'ascii'), uint32(headerBytes.length), headerBytes];
  for (const [name, head] of heads) {
    const count = head.weights.length / 3;
    const featureIds = Buffer.alloc(count * 4);
    const weights = Buffer.alloc(count * 2);
    const classIds = Buffer.alloc(count);
    for (let i = 0; i < count; i++) {
      const [feature, cls, weight] = [head.weights[i * 3]!, head.weights[i * 3 + 1]!, head.weights[i * 3 + 2]!];
      if (!Number.isInteger(weight) || weight < -32768 || weight > 32767) throw new ModelPackingError(`head ${name}: weight ${weight} does not fit in 16 bits`);
      featureIds.writeInt32LE(feature, i * 4);
      weights.writeInt16LE(weight, i * 2);
      classIds[i] = cls;
    }
    parts.push(featureIds, weights, classIds, Buffer.alloc(headPadding(count)));
  }
  return Buffer.concat(parts);
}

/** Reads a packed model's header and columns; on a little-endian machine the columns are views of `bytes`, not copies. */
export function unpackModel(bytes: Buffer): UnpackedColumns {
  if (bytes.length < 8 || bytes.toString('ascii', 0, 4) !== MAGIC) throw new ModelPackingError('not a packed understanding model');
  const headerLength = bytes.readUInt32LE(4);
  if (8 + headerLength > bytes.length) throw new ModelPackingError('the header runs past the end of the file');
  let header: PackedHeader;
  try {
    header = headerSchema.parse(JSON.parse(bytes.toString('ascii', 8, 8 + headerLength)));
  } catch (error) {
    throw new ModelPackingError('the header is not a model header', { cause: error });
  }
  const { body, start } = aligned(bytes, 8 + headerLength);
  const columns: WeightColumns[] = [];
  let at = start;
  for (const { name, count } of header.heads) {
    const end = at + count * 7 + headPadding(count);
    if (end > start + bytes.length - 8 - headerLength) throw new ModelPackingError(`head ${name} runs past the end of the file`);
    columns.push({
      featureIds: int32s(body, at, count),
      weights: int16s(body, at + count * 4, count),
      classIds: new Uint8Array(body, at + count * 6, count),
    });
    at = end;
  }
  if (at !== start + bytes.length - 8 - headerLength) throw new ModelPackingError('the file is longer than its heads');
  return { header, columns };
}

/** Whether typed arrays on this machine are little-endian, like the packed columns. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The memory holding `bytes` from `from` on, and where that is in it: the file's own memory when it is 4-byte aligned, else a copy. */
function aligned(bytes: Buffer, from: number): { body: ArrayBuffer; start: number } {
  const offset = bytes.byteOffset + from;
  if (offset % 4 === 0 && bytes.buffer instanceof ArrayBuffer) return { body: bytes.buffer, start: offset };
  const copy = new Uint8Array(bytes.length - from);
  copy.set(bytes.subarray(from));
  return { body: copy.buffer, start: 0 };
}

function int32s(body: ArrayBuffer, at: number, count: number): Int32Array {
  if (LITTLE_ENDIAN) return new Int32Array(body, at, count);
  const view = new DataView(body, at, count * 4);
  return Int32Array.from({ length: count }, (_, i) => view.getInt32(i * 4, true));
}

function int16s(body: ArrayBuffer, at: number, count: number): Int16Array {
  if (LITTLE_ENDIAN) return new Int16Array(body, at, count);
  const view = new DataView(body, at, count * 2);
  return Int16Array.from({ length: count }, (_, i) => view.getInt16(i * 2, true));
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}

/** Zero bytes after a head's columns, so the next head starts at a multiple of 4. */
function headPadding(count: number): number {
  return (4 - ((count * 7) % 4)) % 4;
}

/** The bytes, followed by `fill` bytes up to a multiple of 4. */
function padded(bytes: Buffer, fill: number): Buffer {
  const extra = (4 - (bytes.length % 4)) % 4;
  return extra === 0 ? bytes : Buffer.concat([bytes, Buffer.alloc(extra, fill)]);
}
