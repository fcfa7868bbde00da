import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** A day of the week as written in a force profile. */
export type Day = (typeof DAYS)[number];

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a 24-hour time like "08:00"');

const hoursRange = z.object({
  days: z.array(z.enum(DAYS)).min(1),
  from: time,
  to: time,
});

const profileObject = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and hyphens'),
    name: z.string().min(3),
    /** The force's name in other languages, e.g. `{ "cy": "Heddlu Dyfed-Powys" }`. */
    localisedNames: z.record(z.string(), z.string().min(3)).default({}),
    website: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'a bare host name like "staffordshire.police.uk"'),
    reportUrl: z.url({ protocol: /^https$/ }),
    /**
     * The force's own page that links this bot's accounts, so a person can
     * check the account is real ("is this really the police?"). The site's
     * home page when not given.
     */
    verifyUrl: z.url({ protocol: /^https$/ }).optional(),
    timeZone: z.literal('Europe/London'),
    callHandlerHours: z.union([z.literal('always'), z.array(hoursRange).min(1)]),
    /**
     * Keep the opening of every message (what a locked phone shows) free of
     * words that reveal what the chat is about; on unless the force turns it off.
     */
    discreet: z.boolean().default(true),
  })
  .strict();

/** Every field a force profile may have, for the documentation check. */
export const FORCE_PROFILE_FIELDS: readonly string[] = Object.keys(profileObject.shape);

const profileSchema = profileObject.transform((profile) => ({ ...profile, verifyUrl: profile.verifyUrl ?? `https://${profile.website}/` }));

/** One contiguous span of call-handler cover on the given days, in the force's time zone. */
export type HoursRange = z.infer<typeof hoursRange>;

/**
 * The details that differ between forces: name, website, online report form
 * and when call handlers work. Everything else the bot says is national and
 * lives in `locales/`.
 */
export type ForceProfile = z.output<typeof profileSchema>;

/** Validates an already-parsed profile; throws a {@link ConfigError} naming every problem. */
export function parseForceProfile(value: unknown, source = 'force profile'): ForceProfile {
  const result = profileSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ConfigError(`${source} is invalid: ${problems}`, { cause: result.error });
  }
  return result.data;
}

/** Reads and validates a force profile file, so a bad profile stops start-up with a clear message. */
export async function loadForceProfile(path: string): Promise<ForceProfile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read force profile ${path}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`force profile ${path} is not valid JSON`, { cause: error });
  }
  return parseForceProfile(json, `force profile ${path}`);
}

/** The force's name in a locale, falling back to its main name. */
export function forceName(profile: ForceProfile, locale: string): string {
  return profile.localisedNames[locale] ?? profile.name;
}

export { DAYS };
