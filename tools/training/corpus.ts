import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURES_VERSION } from '../../src/nlu/features.js';
import { readItems, type LabelledItem } from '../evaluation/items.js';

/** The training corpus file in each `locales/<code>/` folder: messages labelled for everything the model reads. */
export const CORPUS_FILE = 'training.json';

/**
 * The corpus file of messages labelled for risk only: written by people who
 * were asked for the risk, the answer to the bot's question and the language,
 * and not for facts, questions, commands or social turns. Those are unknown
 * for these messages, not absent ("how do i report him" carries no question
 * label here), so these messages train the risk, answer and language heads
 * alone; teaching the other heads "none" from them would unlearn questions.
 */
export const RISK_CORPUS_FILE = 'training-risk.json';

/** Both kinds of corpus file, in the order they are read and digested. */
export const CORPUS_FILES: readonly string[] = [CORPUS_FILE, RISK_CORPUS_FILE];

/** The corpus files under a locales folder, in a fixed order: both kinds by default. */
export function corpusFiles(localesDir: string, names: readonly string[] = CORPUS_FILES): string[] {
  return readdirSync(localesDir)
    .sort()
    .flatMap((name) => names.map((file) => join(localesDir, name, file)))
    .filter((file) => existsSync(file) && statSync(file).isFile());
}

/** Every labelled training message of one kind of corpus file under a locales folder. */
export function readCorpus(localesDir: string, file: string = CORPUS_FILE): LabelledItem[] {
  return corpusFiles(localesDir, [file]).flatMap((path) => readItems(path));
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
