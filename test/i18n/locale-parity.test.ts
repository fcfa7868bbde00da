import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config/package-root.js';
import { BASE_LOCALE, MESSAGES_FILE } from '../../src/i18n/locale-catalogue.js';

const localesDir = join(packageRoot(), 'locales');

function leaves(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}

const read = (locale: string) => leaves(JSON.parse(readFileSync(join(localesDir, locale, MESSAGES_FILE), 'utf8')));
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
      (k) => messages.has(k) && placeholders(messages.get(k) as string).join() !== placeholders(base.get(k) as string).join(),
    );
    expect({ missing, extra, differing }).toEqual({ missing: [], extra: [], differing: [] });
  });

  it.each(others.length > 0 ? others : [BASE_LOCALE])('%s leaves no message empty', (locale) => {
    const empty = [...read(locale)].filter(([, text]) => text.trim() === '').map(([k]) => k);
    expect(empty).toEqual([]);
  });
});
