import { join } from 'node:path';
import { loadLexicons } from '../../src/nlu/lexicon.js';
import { createUnderstander } from '../../src/nlu/understand.js';
import type { LabelledItem } from './items.js';
import type { Prediction } from './score.js';

/** Builds the function the scorer calls for each labelled message, from the shipped locales. */
export async function createPredictor(localesDir = join(import.meta.dirname, '..', '..', 'locales')) {
  const understander = createUnderstander({ lexicons: loadLexicons(localesDir) });
  return (item: LabelledItem, locale: string): Prediction => {
    const u = understander.understand(item.text, locale);
    const facts: Record<string, unknown> = {};
    if (u.age !== undefined) facts.age = u.age;
    if (u.ageGroup !== undefined) facts.ageGroup = u.ageGroup;
    if (u.paid !== undefined) facts.paid = u.paid;
    if (u.knownPerson) facts.who = 'known';
    const answer = u.yes ? 'yes' : u.no ? 'no' : undefined;
    return {
      ...(u.crisis && { level: 'thoughts' as const }),
      danger: u.danger,
      ...(answer && { answer }),
      facts,
      ...(u.topics[0] && { question: u.topics[0] === 'paying' ? 'shouldPay' : u.topics[0] }),
      ...(u.command && { command: u.command === 'delete' ? 'deleteData' : u.command }),
      ...(u.language && { switchTo: u.language === 'en-GB' ? 'en' : u.language }),
    };
  };
}
