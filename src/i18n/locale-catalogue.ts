import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n, type TFunction } from 'i18next';
import { ConfigError } from '../core/errors.js';

/** The language every other locale is checked against and falls back to. */
export const BASE_LOCALE = 'en-GB';

/** The file in each `locales/<code>/` folder that holds what the bot says. */
export const MESSAGES_FILE = 'messages.json';

/**
 * All the bot's wording, one i18next instance per process (not a module
 * singleton: created here and passed in). A locale exists when its folder has
 * a messages file, so adding a language is adding files, not code.
 */
export interface LocaleCatalogue {
  /** Available locale codes, the base locale first. */
  readonly locales: readonly string[];
  /** Renders a key in a locale with variables. Missing keys fall back to the base locale. */
  t(locale: string, key: string, vars?: Record<string, unknown>): string;
  /** True when the locale itself (not its fallback) has the key. */
  has(locale: string, key: string): boolean;
  /** Picks the supported locale for a platform hint ("en-US", "cy", "pl-PL"), else the base locale. */
  resolve(hint: string | undefined): string;
  /** The locale code a supported code or hint names exactly, or undefined if it is not supported. */
  match(code: string): string | undefined;
}

/** Reads every `locales/<code>/messages.json` under `dir`. */
export function loadLocaleCatalogue(dir: string): LocaleCatalogue {
  const resources: Record<string, { translation: Record<string, unknown> }> = {};
  for (const entry of readdirSync(dir)) {
    const file = join(dir, entry, MESSAGES_FILE);
    if (!statSync(join(dir, entry)).isDirectory() || !existsSync(file)) continue;
    try {
      resources[entry] = { translation: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> };
    } catch (error) {
      throw new ConfigError(`locale file ${file} is not valid JSON`, { cause: error });
    }
  }
  if (!resources[BASE_LOCALE]) throw new ConfigError(`no ${BASE_LOCALE} messages in ${dir}`);
  return createLocaleCatalogue(resources);
}

/** Builds a catalogue from in-memory resources (used by the loader and by tests). */
export function createLocaleCatalogue(resources: Record<string, { translation: Record<string, unknown> }>): LocaleCatalogue {
  const instance: i18n = i18next.createInstance();
  void instance.init({
    resources,
    lng: BASE_LOCALE,
    fallbackLng: BASE_LOCALE,
    supportedLngs: Object.keys(resources),
    nonExplicitSupportedLngs: false,
    load: 'currentOnly',
    initAsync: false,
    nsSeparator: false,
    returnNull: false,
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  const fixed = new Map<string, TFunction>();
  const locales = [BASE_LOCALE, ...Object.keys(resources).filter((l) => l !== BASE_LOCALE).sort()];
  const byLower = new Map(locales.map((l) => [l.toLowerCase(), l]));
  for (const locale of locales) fixed.set(locale, instance.getFixedT(locale));

  const match = (code: string) => byLower.get(code.trim().toLowerCase().replace('_', '-'));
  return {
    locales,
    t(locale, key, vars) {
      const t = fixed.get(locale) ?? (fixed.get(BASE_LOCALE) as TFunction);
      return t(key, vars ?? {}) as string;
    },
    has(locale, key) {
      return instance.exists(key, { lng: locale, fallbackLng: false });
    },
    match,
    resolve(hint) {
      if (!hint) return BASE_LOCALE;
      const exact = match(hint);
      if (exact) return exact;
      const language = hint.trim().toLowerCase().split(/[-_]/)[0] ?? '';
      return locales.find((l) => l.toLowerCase().split('-')[0] === language) ?? BASE_LOCALE;
    },
  };
}
