import type { OutboundMessage } from '../../core/index.js';

/**
 * The line under a numbered list saying what to reply ("Reply 1, 2 or 3."),
 * in the message's language. `numbers` are in order, at least one.
 */
export type ChoicePrompt = (numbers: readonly number[], locale: string | undefined) => string;

/** The prompt's two sentences in a language: for one number, and for several ("1, 2" and "3"). */
export interface ChoicePromptWords {
  one(number: string, locale: string | undefined): string;
  several(first: string, last: string, locale: string | undefined): string;
}

/** Builds a {@link ChoicePrompt} from the language's sentences: "1" alone, or "1, 2" and "3" in its "… or …". */
export function choicePromptFrom(words: ChoicePromptWords): ChoicePrompt {
  return (numbers, locale) => {
    const [only] = numbers;
    if (numbers.length === 1 && only !== undefined) return words.one(String(only), locale);
    return words.several(numbers.slice(0, -1).join(', '), String(numbers.at(-1)), locale);
  };
}

/**
 * A message's choices as a numbered list with the prompt under it, numbered
 * from `firstNumber`; undefined when it offers none. The label is shown whole:
 * a DM's text has room for it, unlike a button.
 */
export function numberedChoices(message: OutboundMessage, prompt: ChoicePrompt, firstNumber = 1): string | undefined {
  if (message.choices.length === 0) return undefined;
  const numbers = message.choices.map((_, index) => firstNumber + index);
  const lines = message.choices.map((choice, index) => `${numbers[index]}. ${choice.label}`);
  return `${lines.join('\n')}\n\n${prompt(numbers, message.locale)}`;
}
