import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';

const contactsSchema = z
  .object({
    emergency: z.literal('999'),
    nonEmergency: z.literal('101'),
    silentSolution: z.literal('55'),
    samaritansPhone: z.literal('116 123'),
    samaritansWeb: z.literal('samaritans.org'),
    samaritansWelshPhone: z.literal('0808 164 0123'),
    childlinePhone: z.literal('0800 1111'),
    childlineWeb: z.literal('childline.org.uk'),
    shoutText: z.literal('85258'),
    ceopWeb: z.literal('ceop.police.uk'),
    reportRemoveWeb: z.literal('https://www.childline.org.uk/info-advice/bullying-abuse-safety/online-mobile-safety/report-remove/'),
    takeItDownWeb: z.literal('takeitdown.ncmec.org'),
    iwfWeb: z.literal('iwf.org.uk'),
    stopnciiWeb: z.literal('stopncii.org'),
    rphPhone: z.literal('0345 6000 459'),
    rphWeb: z.literal('revengepornhelpline.org.uk'),
    nspccPhone: z.literal('0808 800 5000'),
    domesticAbusePhone: z.literal('0808 2000 247'),
    galopPhone: z.literal('0800 999 5428'),
    crimestoppersPhone: z.literal('0800 555 111'),
    phishingEmail: z.literal('report@phishing.gov.uk'),
    haveIBeenPwnedWeb: z.literal('haveibeenpwned.com'),
    getSafeOnlineWeb: z.literal('getsafeonline.org'),
    thinkuknowWeb: z.literal('thinkuknow.co.uk'),
    meicPhone: z.literal('080880 23456'),
    meicText: z.literal('84001'),
    meicWeb: z.literal('meic.cymru'),
    reportFraudWeb: z.literal('reportfraud.police.uk'),
    reportFraudPhone: z.literal('0300 123 2040'),
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
