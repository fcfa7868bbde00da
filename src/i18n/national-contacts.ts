import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';

const contactsSchema = z
  .object({
    emergency: z.literal('999'),
    nonEmergency: z.literal('101'),
    samaritansPhone: z.literal('116 123'),
    samaritansWeb: z.literal('samaritans.org'),
    childlinePhone: z.literal('0800 1111'),
    childlineWeb: z.literal('childline.org.uk'),
    ceopWeb: z.literal('ceop.police.uk'),
    takeItDownWeb: z.literal('takeitdown.ncmec.org'),
    stopnciiWeb: z.literal('stopncii.org'),
    rphPhone: z.literal('0345 6000 459'),
    rphWeb: z.literal('revengepornhelpline.org.uk'),
  })
  .strict();

/**
 * The national numbers and web addresses the bot states. They are facts, the
 * same in every language: kept in one file, interpolated into every locale,
 * and checked here against the values the service was approved with, so that
 * an edit can never put a wrong crisis number in front of someone.
 */
export type NationalContacts = z.infer<typeof contactsSchema>;

/** Reads `locales/national-contacts.json` and checks every value exactly. */
export function loadNationalContacts(localesDir: string): NationalContacts {
  const file = join(localesDir, 'national-contacts.json');
  try {
    return contactsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new ConfigError(`${file} is missing, unreadable or changes a national number or address`, { cause: error });
  }
}
