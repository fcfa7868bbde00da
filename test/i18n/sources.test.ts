import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES_DIR, readMessages } from '../support/locale-messages.js';

/**
 * Every number and address the bot states has a source: the organisation's
 * page it came from and the day it was checked (`locales/sources.json`).
 * Messages never write a number or address out; they name a contact
 * (`{{contacts.samaritansPhone}}`) or the force's profile (`{{force.reportUrl}}`),
 * so checking the contacts and the profile checks every message.
 */
interface Source {
  readonly id: string;
  readonly contacts?: readonly string[];
  readonly value: string;
  readonly claim: string;
  readonly organisation: string;
  readonly url: string;
  readonly checked: string;
}

const ROOT = join(LOCALES_DIR, '..');
const sources = (JSON.parse(readFileSync(join(LOCALES_DIR, 'sources.json'), 'utf8')) as { sources: Source[] }).sources;
const contacts = JSON.parse(readFileSync(join(LOCALES_DIR, 'national-contacts.json'), 'utf8')) as Record<string, string>;
const locales = readdirSync(LOCALES_DIR).filter((d) => statSync(join(LOCALES_DIR, d)).isDirectory());
const profiles = readdirSync(join(ROOT, 'profiles')).filter((f) => f.endsWith('.json'));

/** A phone number (three or more digits, spaces allowed) or a web or email address written out. */
const LITERAL = /(?<![\w{.])(?:\d[\d ]{3,}\d|[\w.-]+@[\w-]+\.[\w.]+|(?:https?:\/\/)?(?:www\.)?[\w-]+\.(?:org|co\.uk|org\.uk|police\.uk|gov\.uk|com|cymru|uk)\b)/i;

describe('sources of what the bot states', () => {
  it('has a well-formed entry for every source: the organisation, its page, what it says and the day it was checked', () => {
    for (const source of sources) {
      expect(source.id, JSON.stringify(source)).toMatch(/^[a-z0-9-]+$/);
      expect(source.organisation.trim(), source.id).not.toBe('');
      expect(source.claim.trim(), source.id).not.toBe('');
      expect(source.url, source.id).toMatch(/^https?:\/\/\S+$/);
      expect(source.checked, source.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Date.parse(source.checked), source.id).toBeLessThanOrEqual(Date.now());
    }
    expect(new Set(sources.map((s) => s.id)).size).toBe(sources.length);
  });

  it.each(Object.keys(contacts))('has a source for the contact %s', (name) => {
    const covering = sources.filter((s) => s.contacts?.includes(name));
    expect(covering.map((s) => s.id), `no source lists "${name}" in its contacts`).not.toEqual([]);
    // The source states the same number or address the bot gives (a web address: its page is on that site).
    const bare = (text: string) => text.replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/$/, '').toLowerCase();
    const stated = bare(contacts[name] as string);
    expect(covering.some((s) => bare(s.value).includes(stated) || bare(s.url).startsWith(stated)), `${name}: ${contacts[name]}`).toBe(true);
  });

  it.each(profiles)('has a source for every address in the force profile %s', (file) => {
    const profile = JSON.parse(readFileSync(join(ROOT, 'profiles', file), 'utf8')) as Record<string, unknown>;
    for (const field of ['reportUrl', 'website', 'verifyUrl'] as const) {
      const value = profile[field];
      if (typeof value !== 'string') continue;
      expect(sources.some((s) => s.value.includes(value) || value.includes(s.value.replace(/^https?:\/\/(www\.)?/, ''))), `${file} ${field}: ${value}`).toBe(true);
    }
  });

  it.each(locales)('%s names every contact it uses from the contacts file, and writes no number or address out', (locale) => {
    for (const [key, text] of readMessages(locale)) {
      // The call handlers' console is staff-facing and states nothing to the person.
      if (key.startsWith('console.')) continue;
      for (const [, name] of text.matchAll(/\{\{\s*contacts\.(\w+)\s*\}\}/g)) expect(Object.keys(contacts), `${locale} ${key}`).toContain(name);
      expect(text.replace(/\{\{[^}]*\}\}/g, ''), `${locale} ${key}`).not.toMatch(LITERAL);
    }
  });
});
