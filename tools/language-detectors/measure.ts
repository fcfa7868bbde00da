import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModule } from 'cld3-asm';
import { eld } from 'eld';
import { franc } from 'franc';
import { franc as francAll } from 'franc-all';
import { detect as tinyld } from 'tinyld';
import { extractFeatures } from '../../src/nlu/features.js';
import { loadLinearModel } from '../../src/nlu/linear-model.js';
import { MODEL_FILE } from '../../src/nlu/model-file.js';
import { normaliseText } from '../../src/nlu/normalise.js';
import { splitDir } from '../evaluation/splits.js';

/**
 * Which language detector the bot should use, by the figures: every
 * message of a labelled split (`--split <name>`, default `dev`; English, Welsh and Polish, as people
 * type them) through four maintained detectors and the language head of the
 * bot's own classifier, by message length. Each detector is limited to the
 * three languages where it allows it.
 *
 *   npm --prefix tools/language-detectors ci
 *   npm --prefix tools/language-detectors run measure [-- --split test2]
 */
const ROOT = join(import.meta.dirname, '..', '..');
type Lang = 'en' | 'cy' | 'pl';
const splitAt = process.argv.indexOf('--split');
const split = splitAt === -1 ? 'dev' : (process.argv[splitAt + 1] ?? '');
const items = (['en', 'cy', 'pl'] as const).flatMap((lang) =>
  (JSON.parse(readFileSync(join(splitDir(ROOT, split), `${lang}.json`), 'utf8')) as { text: string; lang: Lang }[]),
);

const ISO3: Record<string, Lang> = { eng: 'en', cym: 'cy', pol: 'pl' };
await eld.load('large');
eld.setLanguageSubset(['en', 'cy', 'pl']);
const cld = (await loadModule()).create(0, 1000);
const model = loadLinearModel(join(ROOT, 'locales', MODEL_FILE));

const detectors: Record<string, (text: string) => string | undefined> = {
  'franc 6 (eng/cym/pol only)': (t) => ISO3[franc(t, { only: ['eng', 'cym', 'pol'], minLength: 1 })],
  'franc-all 7 (eng/cym/pol only)': (t) => ISO3[francAll(t, { only: ['eng', 'cym', 'pol'], minLength: 1 })],
  'eld 2 large (en/cy/pl subset)': (t) => eld.detect(t).language,
  'cld3-asm 4': (t) => cld.findLanguage(t).language,
  'tinyld 1 (en/cy/pl only)': (t) => tinyld(t, { only: ['en', 'cy', 'pl'] }),
  "the bot's classifier": (t) => model.predict('language', extractFeatures(normaliseText(t), 'any')).best,
};

const bucketOf = (text: string) => {
  const words = text.trim().split(/\s+/).length;
  return words <= 2 ? '1-2 words' : words <= 5 ? '3-5 words' : words <= 10 ? '6-10 words' : '11+ words';
};
const buckets = ['1-2 words', '3-5 words', '6-10 words', '11+ words'];
process.stdout.write(`${items.length} messages of the ${split} split\n\n| detector | all | ${buckets.join(' | ')} | µs per message |\n|---|---|${buckets.map(() => '---').join('|')}|---|\n`);
for (const [name, detect] of Object.entries(detectors)) {
  const hits = new Map<string, [number, number]>();
  let right = 0;
  const started = performance.now();
  for (const item of items) {
    let got: string | undefined;
    try {
      got = detect(item.text);
    } catch {
      got = undefined;
    }
    const bucket = hits.get(bucketOf(item.text)) ?? [0, 0];
    bucket[1]++;
    if (got === item.lang) {
      right++;
      bucket[0]++;
    }
    hits.set(bucketOf(item.text), bucket);
  }
  const us = ((performance.now() - started) * 1000) / items.length;
  const cells = buckets.map((b) => {
    const [h, n] = hits.get(b) ?? [0, 0];
    return n === 0 ? '-' : `${((100 * h) / n).toFixed(0)}% (${n})`;
  });
  process.stdout.write(`| ${name} | ${((100 * right) / items.length).toFixed(1)}% | ${cells.join(' | ')} | ${us.toFixed(0)} |\n`);
}
