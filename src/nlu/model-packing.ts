import { z } from 'zod';
import type { ModelFile } from './linear-model.js';

/**
 * How the classifier is stored on disk: one binary file, so loading is one
 * read and the weights are used where they lie. As JSON the model's millions
 * of numbers would take longer to read, decode and parse than the model may
 * take to load (well under a second); packed, it is a third smaller and loads
 * in a fraction of the time.
 *
 * Layout (all integers little-endian):
 * - the 4 bytes `SSBM`, then the header's length in bytes (uint32);
 * - the header: ASCII JSON (`PackedHeader`), padded with spaces to a
 *   multiple of 4 bytes;
 * - per head, in the header's order, its `count` weights as three columns:
 *   feature ids (int32), weights × 1000 (int16), class ids (uint8), then
 *   zero bytes up to a multiple of 4.
 */

/** One head's weights as columns: the i-th weight is `weights[i] / 1000` for class `classIds[i]` of feature `featureIds[i]`. */
export interface WeightColumns {
  readonly featureIds: Int32Array;
  readonly classIds: Uint8Array;
  readonly weights: Int16Array;
}

/**
 * One head's `feature, class, weight × 1000` triples as columns, checked to fit
 * them (whole numbers; a class id in 8 bits, a weight in 16); or why they do not.
 */
export function columnsOf(triples: readonly number[]): WeightColumns | string {
  if (triples.length % 3 !== 0) return 'has a broken weight list';
  const count = triples.length / 3;
  const columns = { featureIds: new Int32Array(count), classIds: new Uint8Array(count), weights: new Int16Array(count) };
  for (let i = 0; i < count; i++) {
    const feature = triples[i * 3]!;
    const cls = triples[i * 3 + 1]!;
    const weight = triples[i * 3 + 2]!;
    if (!Number.isInteger(feature) || !Number.isInteger(cls) || !Number.isInteger(weight)) return 'has a weight that is not a whole number';
    if (feature < 0 || cls < 0 || cls > 255 || weight < -32768 || weight > 32767) return `has a weight out of range (${weight} for class ${cls} of feature ${feature})`;
    columns.featureIds[i] = feature;
    columns.classIds[i] = cls;
    columns.weights[i] = weight;
  }
  return columns;
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
export function packModel(model: ModelFile): Buffer {
  if (model.features.some((feature) => feature.includes('\n'))) throw new ModelPackingError('a feature contains a line break');
  const heads = Object.entries(model.heads).map(([name, head]) => {
    const columns = columnsOf(head.weights);
    if (typeof columns === 'string') throw new ModelPackingError(`head ${name} ${columns}`);
    return { name, head, columns };
  });
  const header: PackedHeader = {
    ...(model.$comment !== undefined && { $comment: model.$comment }),
    version: 2,
    corpusDigest: model.corpusDigest,
    features: model.features.join('\n'),
    heads: heads.map(({ name, head, columns }) => ({ name, classes: head.classes, bias: head.bias, count: columns.featureIds.length })),
  };
  const json = JSON.stringify(header).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const headerBytes = padded(Buffer.from(json, 'ascii'), 0x20);
  const parts: Buffer[] = [Buffer.from(MAGIC, 'ascii'), uint32(headerBytes.length), headerBytes];
  for (const { columns } of heads) {
    const count = columns.featureIds.length;
    parts.push(littleEndian(columns.featureIds), littleEndian(columns.weights), Buffer.from(columns.classIds.buffer), Buffer.alloc(headPadding(count)));
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
      featureIds: new Int32Array(nativeOrder(body, at, count * 4, 4), at, count),
      weights: new Int16Array(nativeOrder(body, at + count * 4, count * 2, 2), at + count * 4, count),
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

/** A typed array's bytes in little-endian order (a copy, swapped, on a big-endian machine). */
function littleEndian(array: Int32Array | Int16Array): Buffer {
  const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  if (LITTLE_ENDIAN) return bytes;
  const copy = Buffer.from(bytes);
  return array.BYTES_PER_ELEMENT === 4 ? copy.swap32() : copy.swap16();
}

/** `body`, with the little-endian numbers at `at` put in this machine's order: untouched on a little-endian machine. */
function nativeOrder(body: ArrayBuffer, at: number, length: number, size: 2 | 4): ArrayBuffer {
  if (!LITTLE_ENDIAN) {
    const bytes = Buffer.from(body, at, length);
    if (size === 4) bytes.swap32();
    else bytes.swap16();
  }
  return body;
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
