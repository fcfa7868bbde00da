import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { extractFeatures, focusSentence, type Expecting } from '../src/nlu/features.js';
import { normaliseText } from '../src/nlu/normalise.js';
import { MODEL_FILE } from '../src/nlu/model-file.js';
import type { ModelHead } from '../src/nlu/model-heads.js';
import { packModel } from '../src/nlu/model-packing.js';
import type { LabelledItem } from './evaluation/items.js';
import { corpusDigest, readCorpus, RISK_CORPUS_FILE } from './training/corpus.js';
import { labelIndexes, RISK_ONLY_HEADS } from './training/labels.js';
import { seededRandom, trainModel, type Example } from './training/train-model.js';

/**
 * `npm run train`: retrains the understanding model from the labelled corpus
 * (`locales/<code>/training.json`, and `training-risk.json` for the risk,
 * answer and language heads) and writes `locales/understanding-model.bin`.
 * Deterministic: the same corpus gives the same file, byte for byte.
 */
const ROOT = join(import.meta.dirname, '..');

/** Typing slips a phone keyboard makes, applied to a copy of each message so the model sees misspellings. */
export function withTypos(text: string, random: () => number): string {
  return text
    .split(' ')
    .map((word) => {
      if (word.length < 4 || random() > 0.3) return word;
      const at = 1 + Math.floor(random() * (word.length - 2));
      const kind = random();
      if (kind < 0.4) return word.slice(0, at) + word.slice(at + 1);
      if (kind < 0.7) return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
      return word.slice(0, at) + word[at] + word.slice(at);
    })
    .join(' ');
}

/**
 * A question asked after something else ("hes my ex and he posted them.
 * will my parents find out?"), made by putting a question from the corpus
 * after a statement from the corpus in the same language: people often ask
 * at the end of a long message, and most questions in the corpus stand
 * alone. The statement's risk and facts are kept; the question is the one asked.
 */
export function composedQuestions(items: readonly LabelledItem[], random: () => number, perQuestion = 2): LabelledItem[] {
  const statements = new Map<string, LabelledItem[]>();
  for (const item of items) {
    if (item.question || item.command || item.social || item.switchTo || item.context !== 'any' || !item.understood) continue;
    (statements.get(item.lang) ?? statements.set(item.lang, []).get(item.lang)!).push(item);
  }
  const composed: LabelledItem[] = [];
  for (const item of items) {
    const pool = statements.get(item.lang);
    if (!item.question || item.context !== 'any' || !pool?.length) continue;
    for (let i = 0; i < perQuestion; i++) {
      const first = pool[Math.floor(random() * pool.length)]!;
      const risk = first.risk !== 'none' ? first.risk : item.risk;
      composed.push({
        ...item,
        id: `${item.id}+${first.id}`,
        text: `${first.text.replace(/[.!?\s]*$/u, '')}. ${item.text}`,
        risk,
        facts: { ...first.facts, ...item.facts },
      });
    }
  }
  return composed;
}

/**
 * The examples for a corpus: each message once as written and `copies` more
 * times with slips, plus composed questions. Given `heads`, the messages
 * train those heads only, and no questions are composed from them (their
 * facts are unknown, so a statement taken from them would teach none).
 */
export function examplesOf(
  items: readonly LabelledItem[],
  { copies = 1, seed = 7, heads }: { copies?: number; seed?: number; heads?: readonly ModelHead[] } = {},
): Example[] {
  const random = seededRandom(seed);
  const examples: Example[] = [];
  for (const item of heads === undefined ? [...items, ...composedQuestions(items, random)] : items) {
    const labels = labelIndexes(item, heads);
    const expecting = item.context as Expecting;
    const normalised = normaliseText(item.text);
    const sentence = focusSentence(item.text);
    const focus = sentence === undefined ? undefined : normaliseText(sentence);
    examples.push({ features: extractFeatures(normalised, expecting, focus), labels });
    for (let i = 0; i < copies; i++) examples.push({ features: extractFeatures(withTypos(normalised, random), expecting, focus), labels });
  }
  return examples;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      locales: { type: 'string' },
      out: { type: 'string' },
      // For experiments only: the shipped model is trained with the defaults.
      l1: { type: 'string' },
      l2: { type: 'string' },
      'min-count': { type: 'string' },
      epochs: { type: 'string' },
    },
  });
  const localesDir = values.locales ?? join(ROOT, 'locales');
  const items = readCorpus(localesDir);
  const riskOnly = readCorpus(localesDir, RISK_CORPUS_FILE);
  const started = performance.now();
  const examples = [...examplesOf(items), ...examplesOf(riskOnly, { heads: RISK_ONLY_HEADS })];
  const model = trainModel(examples, corpusDigest(localesDir), {
    ...(values.l1 !== undefined && { l1: Number(values.l1) }),
    ...(values.l2 !== undefined && { l2: Number(values.l2) }),
    ...(values['min-count'] !== undefined && { minCount: Number(values['min-count']) }),
    ...(values.epochs !== undefined && { epochs: Number(values.epochs) }),
  });
  const out = values.out ?? join(localesDir, MODEL_FILE);
  const bytes = packModel(model);
  // Written beside and renamed, so a server or evaluation reading the model never sees half a file.
  writeFileSync(`${out}.tmp`, bytes);
  renameSync(`${out}.tmp`, out);
  process.stdout.write(
    `trained on ${items.length} messages and ${riskOnly.length} labelled for risk only in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
      `${model.features.length} features, ${(bytes.length / 1024).toFixed(0)} KiB → ${out}\n`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) main();
