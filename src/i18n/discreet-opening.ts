/**
 * How much of a message a locked phone or a notification shows: Telegram,
 * Messenger and X previews show about the first line, and 40 characters is
 * about what fits on a lock screen.
 */
export const OPENING_LENGTH = 40;

/**
 * Words that would tell anyone glancing at the person's phone what the chat
 * is about, in every language the bot speaks (sextortion, nude or naked,
 * suicide, police), as the beginnings of words on lower-case text without
 * accents. Every language's words are looked for in every message, since a
 * Welsh speaker's family may read English.
 */
export const REVEALING_WORDS: readonly string[] = [
  // English
  'sextort', 'nude', 'naked', 'suicid', 'police', 'policing', 'policem', 'policew',
  // Welsh: secstortio, noeth (noethlun), hunanladdiad, heddlu, heddwas and heddweision
  'secstort', 'noeth', 'hunanladd', 'heddlu', 'heddwas', 'heddweision',
  // Polish: sekstorsja, nagi/nagie/nagich/nago/nagość, samobójstwo, policja/policjant/policyjny
  'sekstor', 'nagi', 'nago', 'samoboj', 'policj', 'policyj',
];

/** Lower case, accents stripped, Polish ł as l: the form the words are written in. */
function plain(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l');
}

const REVEALING = new RegExp(`(?<![\\p{L}\\p{N}])(?:${REVEALING_WORDS.join('|')})`, 'u');

/**
 * The first revealing word that starts within the opening of `text` (what a
 * locked phone shows; a word cut off at its edge still shows), or undefined
 * when the opening is neutral.
 */
export function revealingWordIn(text: string, length = OPENING_LENGTH): string | undefined {
  const longest = Math.max(...REVEALING_WORDS.map((w) => w.length));
  const reach = plain(text.slice(0, length + longest));
  const found = REVEALING.exec(reach);
  if (!found || found.index >= length) return undefined;
  return reach.slice(found.index).match(/^[\p{L}\p{N}]+/u)?.[0];
}
