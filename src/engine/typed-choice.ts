import type { InboundEvent, InboundPayload } from '../core/inbound-event.js';

/** Largest number read as a choice: X v1.1 allowed 20 options, and no flow step offers more. */
const MAX_CHOICES = 20;

/** "2", " 2. ", "2)", "#2": just a number, as someone answers a numbered list. */
const NUMBER_REPLY = /^#?\s*(\d{1,2})\s*[.)]?$/;

/**
 * Case, spacing, accents and end punctuation aside, so "under 18", "Under 18!"
 * and a Welsh label typed without its circumflex all match.
 */
function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase()
    .replace(/[\s\p{P}]+/gu, ' ')
    .trim();
}

/**
 * On a channel that writes choices as a numbered list (see
 * {@link InboundEvent.numberedChoices}), a typed reply that is just the number
 * of a choice last offered, or that choice's label in any language, is read as
 * pressing it; anything else stays text. `offered` is what the conversation
 * remembers (one snapshot, read once per turn); `labelsOf` gives a choice's
 * labels in every language.
 */
export function typedChoice(
  event: InboundEvent,
  offered: readonly string[] | undefined,
  labelsOf: (choiceId: string) => readonly string[],
): Extract<InboundPayload, { type: 'choice' }> | undefined {
  if (!event.numberedChoices || event.payload.type !== 'text' || offered === undefined || offered.length === 0) return undefined;
  const text = event.payload.text.trim();
  if (text.length === 0 || text.length > 200) return undefined;
  const number = NUMBER_REPLY.exec(text);
  if (number !== null) {
    const n = Number(number[1]);
    const id = n >= 1 && n <= Math.min(offered.length, MAX_CHOICES) ? offered[n - 1] : undefined;
    return id === undefined ? undefined : { type: 'choice', choiceId: id };
  }
  const folded = fold(text);
  const id = offered.find((choiceId) => labelsOf(choiceId).some((label) => fold(label) === folded));
  return id === undefined ? undefined : { type: 'choice', choiceId: id };
}
