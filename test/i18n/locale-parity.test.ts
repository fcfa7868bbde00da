import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES_DIR as localesDir, readMessages } from '../support/locale-messages.js';
import { BASE_LOCALE, MESSAGES_FILE } from '../../src/i18n/locale-catalogue.js';

const read = readMessages;

/**
 * Lines about help in the person's own language (`local.*`) are empty in
 * English and written for each language, so their placeholders are theirs.
 */
const ownToLocale = (key: string) => key.startsWith('local.');
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([^}\s,]+)[^}]*\}\}/g)].map((m) => m[1]).sort();

const base = read(BASE_LOCALE);
const others = readdirSync(localesDir).filter(
  (d) => d !== BASE_LOCALE && statSync(join(localesDir, d)).isDirectory() && existsSync(join(localesDir, d, MESSAGES_FILE)),
);

describe('every locale matches en-GB', () => {
  it.each(others.length > 0 ? others : [BASE_LOCALE])('%s has exactly the keys en-GB has, with the same placeholders', (locale) => {
    const messages = read(locale);
    const missing = [...base.keys()].filter((k) => !messages.has(k));
    const extra = [...messages.keys()].filter((k) => !base.has(k));
    const differing = [...base.keys()].filter(
      (k) => messages.has(k) && !ownToLocale(k) && placeholders(messages.get(k) as string).join() !== placeholders(base.get(k) as string).join(),
    );
    expect({ missing, extra, differing }).toEqual({ missing: [], extra: [], differing: [] });
  });

  it.each(others.length > 0 ? others : [BASE_LOCALE])('%s leaves no message empty', (locale) => {
    const empty = [...read(locale)].filter(([, text]) => text.trim() === '').map(([k]) => k);
    expect(empty).toEqual([]);
  });
});
