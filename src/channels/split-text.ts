/**
 * Splits a reply into parts that each fit a platform's message limit, breaking
 * at paragraph, then sentence, then word boundaries, so that no part ends in
 * the middle of a phone number or a web address. Limits are in UTF-16 code
 * units, as Telegram, Messenger and X count them.
 */
export function splitText(text: string, maxLength: number): string[] {
  if (maxLength < 1) throw new RangeError('maxLength must be at least 1');
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > maxLength) {
    const cut = findCut(rest, maxLength);
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/** The best place to cut `text` at or before `max`: paragraph, sentence, word, else hard. */
function findCut(text: string, max: number): number {
  const window = text.slice(0, max + 1);
  const minimum = Math.floor(max / 3);
  const paragraph = window.lastIndexOf('\n\n');
  if (paragraph >= minimum) return paragraph + 2;
  const line = window.lastIndexOf('\n');
  if (line >= minimum) return line + 1;
  const sentence = lastSentenceEnd(window);
  if (sentence >= minimum) return sentence;
  const space = window.lastIndexOf(' ');
  if (space >= minimum) return space + 1;
  return avoidSplittingSurrogate(text, max);
}

/** Index just after the last ". ", "! " or "? " in `text`, or -1. */
function lastSentenceEnd(text: string): number {
  for (let i = text.length - 2; i > 0; i--) {
    const c = text[i];
    if ((c === '.' || c === '!' || c === '?') && /\s/.test(text[i + 1] ?? '')) return i + 1;
  }
  return -1;
}

function avoidSplittingSurrogate(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/**
 * Shortens a button label to `max` characters, at a word boundary where it can,
 * with an ellipsis so the person can tell it was shortened.
 */
export function trimLabel(label: string, max: number): string {
  if (label.length <= max) return label;
  const room = label.slice(0, max - 1);
  const space = room.lastIndexOf(' ');
  return `${(space > max / 2 ? room.slice(0, space) : room).trimEnd()}…`;
}
