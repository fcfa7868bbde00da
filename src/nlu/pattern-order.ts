/**
 * Reorders a regular expression so it fails fast where it cannot match.
 * A pattern that starts with a lookbehind (`(?<!\b(?:mum|dad)\b.{0,40})\band
 * kill me\b`) makes the engine look backwards, over up to dozens of
 * characters and alternatives, at every position of every message before it
 * tries the words it is really looking for; on the rules' longest patterns
 * that was most of the time a message took to read. Checking the rest first,
 * as a lookahead, gives the same matches (every part is tested at the same
 * position) and leaves the backward look to the few positions where the
 * words are there.
 */

/**
 * The characters of a source that are syntax, from `from` on: each with its
 * index and the group depth before it. Escaped characters and the inside of
 * character classes are skipped.
 */
function* syntax(source: string, from = 0): Generator<readonly [index: number, char: string, depth: number]> {
  let depth = 0;
  let inClass = false;
  for (let i = from; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else {
      yield [i, c, depth];
      if (c === '(') depth++;
      else if (c === ')') depth--;
    }
  }
}

/** The top-level alternatives of a source (split at `|` outside groups and classes). */
export function topLevelAlternatives(source: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const [i, c, depth] of syntax(source)) {
    if (c === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

/** The index just after the group that opens at `open`. */
function groupEnd(source: string, open: number): number {
  for (const [i, c, depth] of syntax(source, open)) if (c === ')' && depth === 1) return i + 1;
  return source.length;
}

/** Named groups become plain groups in the copy used as a lookahead (a name may appear once). */
const NAMED_GROUP = /\(\?<(?=[\p{L}_$])[\p{L}\p{N}_$]+>/gu;

/**
 * The same pattern with each top-level alternative that starts with
 * lookbehinds rewritten as `(?=rest)lookbehinds rest`.
 */
export function lookbehindLast(source: string): string {
  const alternatives = topLevelAlternatives(source);
  let changed = false;
  const out = alternatives.map((alternative) => {
    let at = 0;
    while (alternative.startsWith('(?<!', at) || alternative.startsWith('(?<=', at)) at = groupEnd(alternative, at);
    const rest = alternative.slice(at);
    if (at === 0 || rest === '') return alternative;
    changed = true;
    return `(?=${rest.replace(NAMED_GROUP, '(?:')})${alternative.slice(0, at)}${rest}`;
  });
  return changed ? out.join('|') : source;
}
