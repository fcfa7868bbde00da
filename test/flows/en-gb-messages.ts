import { readFileSync } from 'node:fs';
import i18next from 'i18next';

/** The English messages file as written, for key and wording checks. */
export function loadEnglishMessages(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('../../locales/en-GB/messages.json', import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** The national contacts every message may use, from the project's own file. */
export function loadNationalContacts(): Record<string, string> {
  return JSON.parse(readFileSync(new URL('../../locales/national-contacts.json', import.meta.url), 'utf8')) as Record<string, string>;
}

/**
 * Renders English messages with i18next set up like the engine's catalogue
 * (nested keys, `{{var}}`, no HTML escaping), quietly and without other locales.
 */
export function englishRenderer(): (key: string, vars: Record<string, unknown>) => string {
  const instance = i18next.createInstance();
  void instance.init({
    resources: { 'en-GB': { translation: loadEnglishMessages() } },
    lng: 'en-GB',
    initAsync: false,
    nsSeparator: false,
    showSupportNotice: false,
    interpolation: { escapeValue: false },
  });
  return (key, vars) => instance.t(key, vars) as string;
}

/** The string at a dotted key, or undefined when the key is missing or not a string. */
export function lookup(messages: Record<string, unknown>, key: string): string | undefined {
  let node: unknown = messages;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** Every dotted key with a string value. */
export function allKeys(messages: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : typeof v === 'object' && v !== null ? allKeys(v as Record<string, unknown>, `${prefix}${k}.`) : []);
}
