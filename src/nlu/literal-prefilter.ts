/**
 * Decides, for one language's hundreds of rules, which could match a text at
 * all, in one pass over the text: each rule that needs one of a few literal
 * strings (see `requiredLiterals`) is only run when one of them is in the
 * text. Most rules need words most messages do not contain, so most are
 * never run; a rule with no known literal is always run.
 *
 * The pass looks, at every position of the text, for the first one to three
 * characters of any literal (one `Map` lookup per length, keyed by a number
 * so no string is made), then confirms the literal itself there. The result
 * is kept for the text last scanned, so the many rules asked about one text
 * share one pass; the understander reads one text per language at a time,
 * and never from two callers at once (it is synchronous).
 */
export class LiteralPrefilter {
  /** Literals by the key of their first characters, with the rule slots each one lets through. */
  private readonly byKey = new Map<number, { literal: string; slots: number[] }[]>();
  private readonly always: boolean[] = [];
  private readonly lengths = new Set<number>();
  private keyLengths: readonly number[] = [];
  private marks = new Uint32Array(0);
  private stamp = 0;
  private scanned: string | undefined;

  /**
   * Registers a rule; `literals` are strings of which the rule needs one
   * (`undefined`: it may match any text). Returns the rule's slot, the
   * number `mayMatch` is asked with.
   */
  add(literals: readonly string[] | undefined): number {
    const slot = this.always.length;
    const usable = literals && literals.length > 0 && literals.every((literal) => literal.length > 0);
    this.always.push(!usable);
    if (usable) {
      for (const literal of new Set(literals)) {
        const key = keyOf(literal, 0, Math.min(MAX_KEY_LENGTH, literal.length));
        const bucket = this.byKey.get(key) ?? [];
        const known = bucket.find((b) => b.literal === literal);
        if (known) known.slots.push(slot);
        else bucket.push({ literal, slots: [slot] });
        this.byKey.set(key, bucket);
        this.lengths.add(Math.min(MAX_KEY_LENGTH, literal.length));
      }
    }
    this.scanned = undefined;
    return slot;
  }

  /** False only when the rule in `slot` cannot match `text` (none of its literals is in it). */
  mayMatch(slot: number, text: string): boolean {
    if (this.always[slot]) return true;
    if (text !== this.scanned) this.scan(text);
    return this.marks[slot] === this.stamp;
  }

  /** How many rules are always run (have no literal), for tests and the bench. */
  get alwaysRun(): number {
    return this.always.filter(Boolean).length;
  }

  private scan(text: string): void {
    if (this.marks.length !== this.always.length) {
      this.marks = new Uint32Array(this.always.length);
      this.keyLengths = [...this.lengths].sort((a, b) => a - b);
    }
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.marks.fill(0);
      this.stamp = 1;
    }
    const { byKey, marks, stamp, keyLengths } = this;
    for (let at = 0; at < text.length; at++) {
      for (const length of keyLengths) {
        if (at + length > text.length) break;
        const bucket = byKey.get(keyOf(text, at, length));
        if (!bucket) continue;
        for (const { literal, slots } of bucket) {
          if (literal.length > length && !text.startsWith(literal, at)) continue;
          for (const slot of slots) marks[slot] = stamp;
        }
      }
    }
    this.scanned = text;
  }
}

/** Characters of a literal that key its lookup. */
const MAX_KEY_LENGTH = 3;

/** A number standing for `length` (1 to 3) UTF-16 units of `text` from `at`: distinct for distinct strings and lengths. */
function keyOf(text: string, at: number, length: number): number {
  let key = length;
  for (let i = 0; i < length; i++) key = key * 65536 + text.charCodeAt(at + i);
  return key;
}
