import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadLexicons } from './lexicon.js';
import { loadLinearModel } from './linear-model.js';
import { MODEL_FILE } from './model-file.js';
import { createUnderstander, type Thresholds } from './understand.js';
import type { Understander } from './understanding.js';

/**
 * The understander for a locales folder: every language's rules and, when
 * the folder holds one, the trained classifier. Loaded once at start-up;
 * anything malformed is a configuration error naming the file.
 */
export function loadUnderstander(
  localesDir: string,
  { thresholds, modelPath = join(localesDir, MODEL_FILE) }: { thresholds?: Thresholds; modelPath?: string } = {},
): Understander {
  return createUnderstander({
    lexicons: loadLexicons(localesDir),
    ...(existsSync(modelPath) && { model: loadLinearModel(modelPath) }),
    ...(thresholds && { thresholds }),
  });
}
