import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURES_VERSION } from '../../src/nlu/features.js';
import { readItems, type LabelledItem } from '../evaluation/items.js';

/** The training corpus file in each `locales/<code>/` folder. */
export const CORPUS_FILE = 'training.json';

/** The corpus files under a locales folder, in a fixed order. */
export function corpusFiles(localesDir: string): string[] {
  return readdirSync(localesDir)
    .sort()
    .map((name) => join(localesDir, name, CORPUS_FILE))
    .filter((file) => existsSync(file) && statSync(file).isFile());
}

/** Every labelled training message under a locales folder. */
export function readCorpus(localesDir: string): LabelledItem[] {
  return corpusFiles(localesDir).flatMap((file) => readItems(file));
}

/**
 * A digest of what a model is trained from: the feature version and every
 * corpus file's name and bytes. The model stores it; a test recomputes it,
 * so a corpus edited without retraining fails the build.
 */
export function corpusDigest(localesDir: string): string {
  const hash = createHash('sha256').update(`features:${FEATURES_VERSION}\n`);
  for (const file of corpusFiles(localesDir)) {
    const relative = file.slice(localesDir.length).replaceAll('\\', '/');
    hash.update(`${relative}\n`).update(readFileSync(file));
  }
  return hash.digest('hex');
}
