import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/config/package-root.js';
import { MESSAGES_FILE } from '../../src/i18n/locale-catalogue.js';

/** The repository's locales folder. */
export const LOCALES_DIR = join(packageRoot(), 'locales');

/** Every leaf key of a nested messages object, dotted, with its text. */
export function leaves(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}

/** A locale's messages as dotted keys and texts. */
export function readMessages(locale: string): Map<string, string> {
  return leaves(JSON.parse(readFileSync(join(LOCALES_DIR, locale, MESSAGES_FILE), 'utf8')));
}
