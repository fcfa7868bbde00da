import { join } from 'node:path';
import { loadUnderstander } from '../../src/nlu/load-understander.js';
import type { Thresholds } from '../../src/nlu/understand.js';
import type { LabelledItem } from './items.js';
import type { Prediction } from './score.js';

/** The language codes of the labelled sets, by locale. */
const LANGUAGE_OF: Readonly<Record<string, string>> = { 'en-GB': 'en', cy: 'cy', pl: 'pl' };

/** Builds the function the scorer calls for each labelled message, from a locales folder (the shipped one by default). */
export async function createPredictor(
  localesDir = join(import.meta.dirname, '..', '..', 'locales'),
  options: { thresholds?: Thresholds; modelPath?: string } = {},
) {
  const understander = loadUnderstander(localesDir, options);
  return (item: LabelledItem, locale: string): Prediction => {
    const u = understander.understand(item.text, { locale, expecting: item.context });
    // Sent to "have you paid?", a plain yes or no is the fact, as the flow records it.
    const paid = u.facts.paid ?? (item.context === 'paid' && (u.answer === 'yes' || u.answer === 'no') ? u.answer === 'yes' : undefined);
    return {
      ...(u.risk !== undefined && { level: u.risk }),
      danger: u.danger,
      ...(u.answer !== undefined && { answer: u.answer }),
      facts: { ...u.facts, ...(paid !== undefined && { paid }) },
      ...(u.question !== undefined && { question: u.question }),
      ...(u.command !== undefined && { command: u.command }),
      ...(u.switchTo !== undefined && { switchTo: LANGUAGE_OF[u.switchTo] ?? u.switchTo }),
      ...(u.social !== undefined && { social: u.social }),
      ...(u.language !== undefined && { language: LANGUAGE_OF[u.language] ?? u.language }),
    };
  };
}
