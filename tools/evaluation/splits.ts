import { join } from 'node:path';

/**
 * The labelled splits under `test/fixtures/understanding/<name>/`. Development
 * splits (`dev`, `dev2`, ...) may be looked into and tuned on; every other
 * split is a test split: only scored, and kept out of the training corpus.
 */
export const SPLITS_PATH = ['test', 'fixtures', 'understanding'] as const;

/** Whether a split may be tuned on (its misses listed, its messages learnt). */
export function isDevelopmentSplit(name: string): boolean {
  return name.startsWith('dev');
}

/** The folder of a split, refusing a name that is not a plain folder name. */
export function splitDir(root: string, name: string): string {
  if (!/^[\w-]+$/.test(name)) throw new Error(`--split is a folder name under ${SPLITS_PATH.join('/')}`);
  return join(root, ...SPLITS_PATH, name);
}
