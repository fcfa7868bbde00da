import { readdirSync, readFileSync } from 'node:fs';

/** What a person writing in one language types at each step the whole-app tests walk through. */
export interface LocalePerson {
  /** The language's own name, as the person picks it. */
  readonly language: string;
  readonly hello: string;
  /** A plain crisis message. */
  readonly crisis: string;
  /** Saying they are 15. */
  readonly age: string;
  /** Asking for a person. */
  readonly human: string;
  /** Asking for their data to be deleted. */
  readonly erase: string;
}

const DIR = new URL('../fixtures/people/', import.meta.url);

/**
 * One row per file in `test/fixtures/people/` (`<locale>.json`), sorted by
 * locale: the tests that walk a conversation in every language take their
 * table from here, so a new language is a new file.
 */
export function localePeople(): [string, LocalePerson][] {
  return readdirSync(DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => [file.slice(0, -'.json'.length), JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as LocalePerson]);
}
