import { type AST, RegExpParser } from '@eslint-community/regexpp';

/**
 * Works out, from a regular expression's source, a set of literal strings
 * of which at least one must appear in any text the expression matches
 * (`\bkil myself\b` needs "kil myself"; `\b(?:tabletk\w*|pigul\w*)` needs
 * "tabletk" or "pigul"). The understander skips an expression whose
 * literals are all absent from a message (see `LiteralPrefilter`) instead of
 * running it: most of the hundreds of rules are then never run on a message.
 *
 * The analysis only ever answers with strings that are truly necessary, or
 * with `undefined` (nothing known, so the expression is always run):
 * - a single character, a small character class of single characters and an
 *   alternation of such pieces are expanded to every string they can match;
 * - consecutive pieces are joined into longer strings (zero-width assertions
 *   such as `\b` and lookarounds consume nothing, so they do not break a run);
 * - a piece that may match nothing (`x?`, `(?:\w+ )?`, `.{0,20}`) or matches
 *   an unbounded set (`\w`, `.`, `[^ ]`) ends a run;
 * - a piece repeated at least once (`x+`, `x{2,}`) needs what one copy needs;
 * - of all the runs and pieces of a sequence, the most selective set is used
 *   (its shortest string longest, then the fewest strings); an alternation
 *   needs one of its branches' sets, and has none if any branch has none.
 */
export function requiredLiterals(source: string, flags = 'u'): readonly string[] | undefined {
  if (flags.includes('i') || flags.includes('v')) return undefined;
  let pattern: AST.Pattern;
  try {
    pattern = new RegExpParser({ ecmaVersion: 2025 }).parsePattern(source, 0, source.length, { unicode: true });
  } catch {
    return undefined;
  }
  const required = disjunction(pattern.alternatives).required;
  return required && required.every((s) => s.length > 0) ? [...new Set(required)] : undefined;
}

/** Most strings a finite piece is expanded to before it is treated as unbounded. */
const EXPANSION_LIMIT = 64;

/** What the analysis knows of a piece: every string it can match (when few), and strings one of which it needs. */
interface Reading {
  readonly exact: readonly string[] | undefined;
  readonly required: readonly string[] | undefined;
}

const UNKNOWN: Reading = { exact: undefined, required: undefined };
const ZERO_WIDTH: Reading = { exact: [''], required: undefined };

function disjunction(alternatives: readonly AST.Alternative[]): Reading {
  let exact: Set<string> | undefined = new Set();
  let required: Set<string> | undefined = new Set();
  for (const alternative of alternatives) {
    const reading = sequence(alternative);
    if (exact && reading.exact) for (const s of reading.exact) exact.add(s);
    if (!reading.exact || (exact && exact.size > EXPANSION_LIMIT)) exact = undefined;
    if (required && reading.required) for (const s of reading.required) required.add(s);
    else required = undefined;
    if (!exact && !required) return UNKNOWN;
  }
  const finite = exact ? [...exact] : undefined;
  return { exact: finite, required: required ? [...required] : finite };
}

function sequence(alternative: AST.Alternative): Reading {
  const candidates: (readonly string[])[] = [];
  let run: readonly string[] = [''];
  let whole: readonly string[] | undefined = [''];
  for (const element of alternative.elements) {
    const reading = piece(element);
    if (reading.required) candidates.push(reading.required);
    const joined = reading.exact ? cross(run, reading.exact) : undefined;
    if (joined && joined.length <= EXPANSION_LIMIT) {
      run = joined;
    } else {
      candidates.push(run);
      run = reading.exact && reading.exact.length <= EXPANSION_LIMIT ? reading.exact : [''];
    }
    whole = whole && reading.exact ? cross(whole, reading.exact) : undefined;
    if (whole && whole.length > EXPANSION_LIMIT) whole = undefined;
  }
  candidates.push(run);
  return { exact: whole, required: mostSelective(candidates) };
}

function piece(node: AST.Element): Reading {
  switch (node.type) {
    case 'Character':
      return literal(String.fromCodePoint(node.value));
    case 'CharacterClass':
      return characterClass(node);
    case 'Assertion':
      return ZERO_WIDTH;
    case 'Group':
    case 'CapturingGroup':
      return disjunction(node.alternatives);
    case 'Quantifier':
      return quantified(node);
    default:
      return UNKNOWN;
  }
}

function literal(text: string): Reading {
  return { exact: [text], required: [text] };
}

function characterClass(node: AST.CharacterClass): Reading {
  if (node.negate || node.unicodeSets) return UNKNOWN;
  const chars: string[] = [];
  for (const element of node.elements) {
    if (element.type === 'Character') chars.push(String.fromCodePoint(element.value));
    else if (element.type === 'CharacterClassRange' && element.max.value - element.min.value < EXPANSION_LIMIT) {
      for (let c = element.min.value; c <= element.max.value; c++) chars.push(String.fromCodePoint(c));
    } else return UNKNOWN;
  }
  const exact = unique(chars);
  return exact.length > 0 && exact.length <= EXPANSION_LIMIT ? { exact, required: exact } : UNKNOWN;
}

function quantified(node: AST.Quantifier): Reading {
  const inner = piece(node.element);
  if (node.min === 1 && node.max === 1) return inner;
  if (node.min === 0) return { exact: node.max === 1 && inner.exact ? unique(['', ...inner.exact]) : undefined, required: undefined };
  return { exact: undefined, required: inner.required };
}

/** Every string of `left` followed by every string of `right`. */
function cross(left: readonly string[], right: readonly string[]): readonly string[] {
  if (left.length === 1 && left[0] === '') return right;
  if (right.length === 1 && right[0] === '') return left;
  const out: string[] = [];
  for (const a of left) for (const b of right) out.push(a + b);
  return unique(out);
}

/** The candidate set that lets the fewest texts through: its shortest string longest, then the fewest strings. */
function mostSelective(candidates: readonly (readonly string[])[]): readonly string[] | undefined {
  let best: readonly string[] | undefined;
  let bestShortest = 0;
  for (const set of candidates) {
    if (set.length === 0) continue;
    const shortest = Math.min(...set.map((s) => s.length));
    if (shortest === 0) continue;
    if (!best || shortest > bestShortest || (shortest === bestShortest && set.length < best.length)) {
      best = set;
      bestShortest = shortest;
    }
  }
  return best;
}

function unique(strings: readonly string[]): readonly string[] {
  return [...new Set(strings)];
}
