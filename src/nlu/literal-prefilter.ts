/**
 * Decides, for one language's hundreds of rules, which could match a text at
 * all, in one pass over the text: each rule that needs one of a few literal
 * strings (see `requiredLiterals`) is only run when one of them is in the
 * text. Most rules need words most messages do not contain, so most are
 * never run; a rule with no known literal is always run.
 *
 * The literals (tens of thousands, sharing long beginnings such as "i am
 * going to") are kept as a trie in flat typed arrays. The pass walks the trie
 * from every position of the text for as long as the text follows it, and
 * lets through the rules of every literal it completes, so each position
 * costs a few steps whatever the number of literals. The result is kept for
 * the text last scanned, so the many rules asked about one text share one
 * pass; the understander reads one text per language at a time, and never
 * from two callers at once (it is synchronous).
 */
export class LiteralPrefilter {
  /** The rule slots each literal lets through. */
  private readonly slotsOf = new Map<string, number[]>();
  private readonly always: boolean[] = [];
  private trie: LiteralTrie | undefined;
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
        const slots = this.slotsOf.get(literal);
        if (slots) slots.push(slot);
        else this.slotsOf.set(literal, [slot]);
      }
    }
    this.trie = undefined;
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
    if (this.trie === undefined) {
      this.trie = buildTrie(this.slotsOf);
      this.marks = new Uint32Array(this.always.length);
      this.stamp = 0;
    }
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.marks.fill(0);
      this.stamp = 1;
    }
    const { marks, stamp } = this;
    const { root, char, firstChild, nextSibling, slotStart, slotEnd, slots } = this.trie;
    const length = text.length;
    for (let at = 0; at < length; at++) {
      let node = root[text.charCodeAt(at)]!;
      let i = at + 1;
      while (node !== 0) {
        for (let s = slotStart[node]!, end = slotEnd[node]!; s < end; s++) marks[slots[s]!] = stamp;
        if (i >= length) break;
        const c = text.charCodeAt(i++);
        let child = firstChild[node]!;
        while (child !== 0 && char[child]! < c) child = nextSibling[child]!;
        node = child !== 0 && char[child] === c ? child : 0;
      }
    }
    this.scanned = text;
  }
}

/**
 * A trie of literals as flat arrays. Node 0 stands for "none"; `root` maps a
 * UTF-16 unit to the node of the one-unit beginning. Children are linked
 * from `firstChild` through `nextSibling` in rising order of `char`; the
 * slots of the literals that end at a node are `slots[slotStart..slotEnd)`.
 */
interface LiteralTrie {
  readonly root: Int32Array;
  readonly char: Uint16Array;
  readonly firstChild: Int32Array;
  readonly nextSibling: Int32Array;
  readonly slotStart: Int32Array;
  readonly slotEnd: Int32Array;
  readonly slots: Int32Array;
}

/** Builds the trie from the literals in sorted order, so each node's children arrive in rising order. */
function buildTrie(slotsOf: ReadonlyMap<string, readonly number[]>): LiteralTrie {
  const literals = [...slotsOf.keys()].sort();
  let size = 1;
  let slotCount = 0;
  for (const literal of literals) {
    size += literal.length;
    slotCount += slotsOf.get(literal)!.length;
  }
  const root = new Int32Array(65536);
  const char = new Uint16Array(size);
  const firstChild = new Int32Array(size);
  const nextSibling = new Int32Array(size);
  const lastChild = new Int32Array(size);
  const slotStart = new Int32Array(size);
  const slotEnd = new Int32Array(size);
  const slots = new Int32Array(slotCount);
  /** path[d]: the node of the current literal's first d units (path[0] is no node: the root table). */
  const path: number[] = [0];
  let nodes = 1;
  let filled = 0;
  let previous = '';
  for (const literal of literals) {
    let common = 0;
    while (common < previous.length && common < literal.length && previous.charCodeAt(common) === literal.charCodeAt(common)) common++;
    path.length = common + 1;
    for (let d = common; d < literal.length; d++) {
      const node = nodes++;
      const c = literal.charCodeAt(d);
      char[node] = c;
      const parent = path[d]!;
      if (parent === 0) root[c] = node;
      else if (lastChild[parent] === 0) firstChild[parent] = node;
      else nextSibling[lastChild[parent]!] = node;
      if (parent !== 0) lastChild[parent] = node;
      path.push(node);
    }
    const end = path[literal.length]!;
    slotStart[end] = filled;
    for (const slot of slotsOf.get(literal)!) slots[filled++] = slot;
    slotEnd[end] = filled;
    previous = literal;
  }
  return { root, char: char.slice(0, nodes), firstChild: firstChild.slice(0, nodes), nextSibling: nextSibling.slice(0, nodes), slotStart: slotStart.slice(0, nodes), slotEnd: slotEnd.slice(0, nodes), slots };
}
