import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectFlowKeys } from '../../flows/reply-keys.js';
import { REPLY_TABLES } from '../../flows/replies.js';
import { supportFlow } from '../../flows/support-flow.js';
import { CONSOLE_KEYS } from '../../src/console/console-strings.js';
import { ENGINE_KEYS } from '../../src/engine/engine-keys.js';
import { LOCALES_DIR, readMessages } from '../support/locale-messages.js';
import { BASE_LOCALE } from '../../src/i18n/locale-catalogue.js';
import { choiceLabelKey, LANGUAGE_CHOICE_PREFIX, LANGUAGES_CHOICE, RENDERER_KEYS } from '../../src/i18n/reply-renderer.js';

const messages = readMessages(BASE_LOCALE);
const { replyKeys, choiceIds } = collectFlowKeys(supportFlow, REPLY_TABLES);
const choiceKeys = [...choiceIds]
  .filter((id) => id !== LANGUAGES_CHOICE && !id.startsWith(LANGUAGE_CHOICE_PREFIX))
  .map(choiceLabelKey);
const used = new Set([...replyKeys, ...choiceKeys, ...RENDERER_KEYS, ...Object.values(ENGINE_KEYS), ...CONSOLE_KEYS]);

describe(`locales/${BASE_LOCALE}/messages.json`, () => {
  it('has every key the flow, the renderer and the engine use', () => {
    const missing = [...used].filter((k) => !messages.has(k));
    expect(missing, `missing keys: ${missing.join(', ')}`).toEqual([]);
  });

  it('has no key that nothing uses', () => {
    const unused = [...messages.keys()].filter((k) => !used.has(k));
    expect(unused, `unused keys: ${unused.join(', ')}`).toEqual([]);
  });

  it('uses only placeholders the renderer supplies', () => {
    const contacts = Object.keys(JSON.parse(readFileSync(join(LOCALES_DIR, 'national-contacts.json'), 'utf8')) as object);
    const known = new Set([
      ...contacts.map((c) => `contacts.${c}`),
      'force.name', 'force.website', 'force.reportUrl', 'force.verifyUrl', 'handlerHours', 'text', 'platform',
      // The call-handler hours phrase is built from these.
      'days', 'from', 'to', 'first', 'rest',
      // X's line under a numbered list of choices ("Reply 1, 2 or 3").
      'number', 'last',
    ]);
    const unknown: string[] = [];
    for (const [key, text] of messages) {
      for (const [, name] of text.matchAll(/\{\{\s*([^}\s,]+)[^}]*\}\}/g)) if (!known.has(name as string)) unknown.push(`${key}: ${name}`);
    }
    expect(unknown).toEqual([]);
  });

  it('never writes a national number or address literally, so they stay exact in every language', () => {
    const literals = Object.values(JSON.parse(readFileSync(join(LOCALES_DIR, 'national-contacts.json'), 'utf8')) as Record<string, string>).filter((v) => v.length > 2);
    const offenders = [...messages].filter(([, text]) => literals.some((l) => text.includes(l))).map(([k]) => k);
    expect(offenders).toEqual([]);
  });

  it('keeps button labels short enough for every platform (36 characters)', () => {
    const long = choiceKeys.filter((k) => (messages.get(k) ?? '').length > 36);
    expect(long).toEqual([]);
  });
});
