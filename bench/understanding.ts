import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadLexicons } from '../src/nlu/lexicon.js';
import { loadLinearModel } from '../src/nlu/linear-model.js';
import { MODEL_FILE } from '../src/nlu/model-file.js';
import { createUnderstander } from '../src/nlu/understand.js';
import { splitDir } from '../tools/evaluation/splits.js';

/** What reading typed messages costs: loading the rules and the classifier once, and each message after. */
export interface UnderstandingCost {
  readonly modelLoadMs: number;
  readonly rulesLoadMs: number;
  /** Mean over the development split's messages (English, Welsh and Polish, as people type them). */
  readonly microsecondsPerMessage: number;
  /** The same, for messages of five words or fewer (most of what people send). */
  readonly microsecondsPerShortMessage: number;
  readonly messages: number;
}

/**
 * Measures the understanding on its own, in this process: the cost every
 * typed message adds to a turn (button presses skip it). The development
 * split stands in for real messages; each is read a few times after a
 * warm-up, so the figure is the steady state, not the first call.
 */
export function measureUnderstanding(root: string, { rounds = 5 } = {}): UnderstandingCost {
  const locales = join(root, 'locales');
  let started = performance.now();
  const model = loadLinearModel(join(locales, MODEL_FILE));
  const modelLoadMs = performance.now() - started;
  started = performance.now();
  const lexicons = loadLexicons(locales);
  const rulesLoadMs = performance.now() - started;
  const understander = createUnderstander({ lexicons, model });
  const items = (['en', 'cy', 'pl'] as const).flatMap(
    (lang) =>
      JSON.parse(readFileSync(join(splitDir(root, 'dev'), `${lang}.json`), 'utf8')) as {
        text: string;
        context: 'any' | 'safety' | 'riskCheck' | 'age' | 'paid';
        lang: string;
      }[],
  );
  const locale = { en: 'en-GB', cy: 'cy', pl: 'pl' } as Record<string, string>;
  const read = (subset: typeof items) => {
    for (const item of subset) understander.understand(item.text, { locale: locale[item.lang] ?? 'en-GB', expecting: item.context });
  };
  read(items);
  const time = (subset: typeof items) => {
    const at = performance.now();
    for (let i = 0; i < rounds; i++) read(subset);
    return ((performance.now() - at) * 1000) / (rounds * subset.length);
  };
  const short = items.filter((item) => item.text.trim().split(/\s+/).length <= 5);
  return {
    modelLoadMs,
    rulesLoadMs,
    microsecondsPerMessage: time(items),
    microsecondsPerShortMessage: time(short),
    messages: items.length,
  };
}
