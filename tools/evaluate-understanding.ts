import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ITEM_LANGUAGES, readConversations, readItems, type ItemLanguage, type LabelledItem } from './evaluation/items.js';
import { scoreConversations } from './evaluation/conversations.js';
import { formatReport } from './evaluation/report.js';
import { score, type Scores } from './evaluation/score.js';
import { createPredictor } from './evaluation/predictor.js';
import { isDevelopmentSplit, splitDir } from './evaluation/splits.js';

/**
 * `npm run eval -- --split dev|test [--misses]`: scores the understanding on
 * a labelled split (test/fixtures/understanding/<split>/<lang>.json), per
 * language and overall, against the targets. Misses are listed only on
 * request, and only for the development split: the test split is scored,
 * never tuned on.
 */
const ROOT = join(import.meta.dirname, '..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      split: { type: 'string', default: 'dev' },
      misses: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      // For experiments: score another trained model file (conversations always run the shipped one).
      model: { type: 'string' },
    },
  });
  const split = values.split ?? 'dev';
  const dir = splitDir(ROOT, split);
  if (!existsSync(dir)) throw new Error(`no split at ${dir}`);
  const predict = await createPredictor(undefined, values.model === undefined ? {} : { modelPath: values.model });
  const byLanguage = new Map<ItemLanguage, LabelledItem[]>();
  for (const file of readdirSync(dir).filter((f) => /^(en|cy|pl)\.json$/.test(f)).sort()) {
    const lang = file.slice(0, 2) as ItemLanguage;
    byLanguage.set(lang, readItems(join(dir, file)));
  }
  const all: LabelledItem[] = [...byLanguage.values()].flat();
  const results: Record<string, Scores> = {};
  const started = performance.now();
  for (const [lang, items] of byLanguage) results[lang] = score(items, (item) => predict(item, ITEM_LANGUAGES[item.lang]));
  results.all = score(all, (item) => predict(item, ITEM_LANGUAGES[item.lang]));
  const perMessageUs = ((performance.now() - started) * 1000) / (2 * all.length);

  if (values.json) {
    process.stdout.write(`${JSON.stringify({ split, results: Object.fromEntries(Object.entries(results).map(([k, s]) => [k, { ...s, misses: s.misses.length }])) })}\n`);
    return;
  }
  for (const [name, s] of Object.entries(results)) process.stdout.write(`${formatReport(`${split} ${name}`, s)}\n\n`);
  process.stdout.write(`about ${perMessageUs.toFixed(0)} µs per message (scoring included)\n`);
  const conversationsFile = join(dir, 'conversations.json');
  let conversationFailures: Awaited<ReturnType<typeof scoreConversations>>['failures'] = [];
  if (existsSync(conversationsFile)) {
    const c = await scoreConversations(readConversations(conversationsFile));
    conversationFailures = c.failures;
    process.stdout.write(
      `\n${split} conversations: ${c.conversationsPassed}/${c.conversations} passed whole; turns ${c.turnsPassed}/${c.turns} ` +
        `(${((100 * c.turnsPassed) / c.turns).toFixed(1)}%); turns that must say 999: ${c.emergencyTurns.hit}/${c.emergencyTurns.of}\n`,
    );
  }
  if (values.misses) {
    if (!isDevelopmentSplit(split)) throw new Error('misses are listed for development splits (dev, dev2, ...) only: the test split is never tuned on');
    for (const m of results.all!.misses) process.stdout.write(`${m.id}\t${m.what}\texpected ${m.expected}\tgot ${m.got}\t${JSON.stringify(m.text)}\n`);
    for (const f of conversationFailures) process.stdout.write(`${f.conversation}#${f.turn}\t${f.problem}\t[${f.keys.join(', ')}]\t${JSON.stringify(f.said.slice(0, 160))}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
