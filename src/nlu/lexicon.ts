import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ANSWERS, type Answer, COMMANDS, type Command, QUESTIONS, type Question, SOCIAL_KINDS, type SocialKind } from '../../flows/intents.js';
import {
  DEMANDS,
  type Demand,
  IMAGE_STATUSES,
  type ImageStatus,
  PAY_METHODS,
  type PayMethod,
  PERPETRATORS,
  type Perpetrator,
  PLATFORMS,
  type Platform,
  WRITERS,
  type Writer,
} from '../../flows/safeguarding.js';
import { ConfigError } from '../core/errors.js';
import { LiteralPrefilter } from './literal-prefilter.js';
import { lookbehindLast } from './pattern-order.js';
import { requiredLiterals } from './required-literals.js';
import { compileReplacements, escapeRegExp, normalise, squeezePatternSource, type Replacements } from './normalise.js';

/** The file in each `locales/<code>/` folder that holds a language's understanding data. */
export const UNDERSTANDING_FILE = 'understanding.json';

/** The placeholder an `age` pattern uses where the number goes ("\\bi am <age>\\b"). */
export const AGE_PLACEHOLDER = '<age>';

/** The placeholder an amount pattern uses where the sum goes ("£<amount>"). */
export const AMOUNT_PLACEHOLDER = '<amount>';

/**
 * What `<amount>` stands for: digits with thousands commas or a decimal
 * point, and an optional "thousand" ("2k", "2 grand", "2 tys", "2 mil").
 */
const AMOUNT_SOURCE = '(?<amount>(?:\\d{1,3}(?:,\\d{3})+|\\d+(?:\\.\\d+)?)(?: ?(?:k|grand|tys|tysiace|tysiecy|tysiac|mil)(?![\\p{L}\\p{N}]))?)';

/** The sum an `amount` match names: "2,300" is 2300, "1.5k" is 1500. */
export function amountOf(found: string): number {
  const thousands = /[a-z]/.test(found);
  const value = Number(found.replace(/[^\d.]/g, ''));
  return Math.round(thousands ? value * 1000 : value);
}

/**
 * An understanding file is missing, not JSON, or has a malformed entry. It is
 * a configuration error (the bot must not start with a broken crisis list),
 * and the message names the file and the entry so the author can fix it.
 */
export class LexiconError extends ConfigError {}

/**
 * One compiled lexicon entry: its audit id and its regular expression over
 * matching-form text. Test it with {@link entryMatches} or {@link entryExec},
 * which first ask the lexicon's prefilter whether it can match at all.
 */
export interface LexiconEntry {
  readonly id: string;
  readonly regex: RegExp;
  /** The same expression with the `g` flag, for blanking out every match. */
  readonly everywhere: RegExp;
  /** The lexicon's prefilter, and this entry's slot in it. */
  readonly prefilter: LiteralPrefilter;
  readonly slot: number;
}

/**
 * A category's entries. They are tested one by one: each expression on its
 * own keeps V8's fast scan for where a match can start, which one
 * alternation of them all loses (measured: slower, not faster).
 */
export interface LexiconCategory {
  readonly entries: readonly LexiconEntry[];
}

/** Named categories in file order: the order a tie is broken in. */
export type Categories<K extends string> = readonly (readonly [K, LexiconCategory])[];

/**
 * One language's understanding data, compiled once at start-up: every regular
 * expression is built here and never on the hot path.
 */
export interface Lexicon {
  readonly locale: string;
  /** The file it came from, for error messages and audit. */
  readonly source: string;
  readonly replacements: Replacements;
  /** Which of its entries could match a text at all: shared by every entry below. */
  readonly prefilter: LiteralPrefilter;
  /**
   * Risk to their own life. `thoughts` and above are each a disclosure on
   * their own; `imminenceCues` (a time, the means, a place) lift a thoughts
   * disclosure in the same message to imminent; `unclear` are hints that need
   * a direct question.
   */
  readonly risk: {
    readonly harmed: LexiconCategory;
    readonly imminent: LexiconCategory;
    readonly thoughts: LexiconCategory;
    readonly unclear: LexiconCategory;
    readonly imminenceCues: LexiconCategory;
  };
  readonly danger: LexiconCategory;
  /**
   * Statements that they are safe ("im safe", "nobody is going to hurt me", "im not suicidal"): not risk, whatever
   * words they use, and the one thing that answers "are you safe?" with yes and the direct question with no.
   */
  readonly reassurances: LexiconCategory;
  /**
   * Idioms and asides that are not risk ("dead tired", "my mum will kill me", a nurse's patient who overdosed): set
   * aside like a reassurance before risk is read, but they answer nothing.
   */
  readonly safe: LexiconCategory;
  /** Words that set what follows against what came before ("but", "though"): "yes but im fine" is still a yes. */
  readonly contrast: LexiconCategory;
  readonly answers: Categories<Answer>;
  readonly facts: {
    readonly paid: LexiconCategory;
    readonly notPaid: LexiconCategory;
    readonly payMethod: Categories<PayMethod>;
    readonly demand: Categories<Demand>;
    readonly who: Categories<Perpetrator>;
    readonly images: Categories<ImageStatus>;
    readonly writer: Categories<Exclude<Writer, 'self'>>;
    readonly platform: Categories<Platform>;
    readonly takenUnder18: LexiconCategory;
    readonly deadline: LexiconCategory;
    readonly outing: LexiconCategory;
    /** Sums of money, asked or paid; each has one `<amount>` (named group `amount`). */
    readonly amount: readonly LexiconEntry[];
  };
  readonly questions: Categories<Question>;
  readonly commands: Categories<Command>;
  readonly social: Categories<SocialKind>;
  /** Language names, as [locale code, category]. */
  readonly languages: Categories<string>;
  /** Age patterns; each has one named group `age` holding digits or a number word. */
  readonly age: readonly LexiconEntry[];
  /** Patterns naming the age they are about to turn ("nearly 18", "16 next month"): their age is one less. */
  readonly ageNext: readonly LexiconEntry[];
  /** Number words in matching form ("seventen" for "seventeen") and their value. */
  readonly numbers: ReadonlyMap<string, number>;
  readonly ageGroup: { readonly under18: LexiconCategory; readonly adult: LexiconCategory; readonly declined: LexiconCategory };
}

const ID = z.string().regex(/^[\p{L}\p{N}_]+(?:[.-][\p{L}\p{N}_]+)*$/u, 'ids are words joined by "." or "-"');
const entrySchema = z.union([
  z.string().trim().min(1),
  z.strictObject({ id: ID, pattern: z.string().min(1) }),
  z.strictObject({ id: ID, phrases: z.array(z.string().trim().min(1)).min(1) }),
]);
type RawEntry = z.infer<typeof entrySchema>;
const category = z.array(entrySchema).default([]);
const named = <const K extends string>(keys: readonly K[]) => z.partialRecord(z.enum(keys as unknown as [K, ...K[]]), z.array(entrySchema)).default({});
const fileSchema = z.strictObject({
  $comment: z.union([z.string(), z.array(z.string())]).optional(),
  replacements: z.record(z.string().min(1), z.string()).default({}),
  numbers: z.record(z.string().min(1), z.number().int().min(0).max(150)).default({}),
  risk: z.strictObject({
    harmed: z.array(entrySchema).min(1, 'every language needs "already harmed" entries'),
    imminent: z.array(entrySchema).min(1, 'every language needs imminent-risk entries'),
    thoughts: z.array(entrySchema).min(1, 'every language needs entries for thoughts of suicide and self-harm'),
    unclear: category,
    imminenceCues: category,
  }),
  danger: z.array(entrySchema).min(1, 'every language needs danger entries'),
  reassurances: category,
  safe: category,
  contrast: category,
  answers: named(ANSWERS),
  facts: z
    .strictObject({
      paid: category,
      notPaid: category,
      payMethod: named(PAY_METHODS),
      demand: named(DEMANDS),
      who: named(PERPETRATORS),
      images: named(IMAGE_STATUSES),
      writer: named(WRITERS.filter((w): w is Exclude<Writer, 'self'> => w !== 'self')),
      platform: named(PLATFORMS),
      takenUnder18: category,
      deadline: category,
      outing: category,
      amount: category,
    })
    .default({ paid: [], notPaid: [], payMethod: {}, demand: {}, who: {}, images: {}, writer: {}, platform: {}, takenUnder18: [], deadline: [], outing: [], amount: [] }),
  questions: named(QUESTIONS),
  commands: named(COMMANDS),
  social: named(SOCIAL_KINDS),
  languages: z.record(z.string().regex(/^[a-z]{2,3}(?:-[A-Z]{2})?$/, 'a locale code such as "cy" or "en-GB"'), z.array(entrySchema)).default({}),
  age: category,
  ageNext: category,
  ageGroup: z
    .strictObject({ under18: category, adult: category, declined: category })
    .default({ under18: [], adult: [], declined: [] }),
});
type RawFile = z.infer<typeof fileSchema>;

/**
 * Loads every `<dir>/<locale>/understanding.json`. Folders without one are
 * skipped (a locale may have messages before it has understanding data).
 * Throws {@link LexiconError} naming the file and entry on the first problem.
 */
export function loadLexicons(dir: string): Lexicon[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (error) {
    throw new LexiconError(`cannot read locales folder ${dir}`, { cause: error });
  }
  const lexicons: Lexicon[] = [];
  for (const name of names) {
    const file = join(dir, name, UNDERSTANDING_FILE);
    if (!statSync(join(dir, name)).isDirectory() || !existsSync(file)) continue;
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new LexiconError(`${file}: not readable JSON`, { cause: error });
    }
    lexicons.push(compileLexicon(name, data, file));
  }
  return lexicons;
}

/** Validates and compiles one locale's data (the loader's work, usable on in-memory data in tests). */
export function compileLexicon(locale: string, data: unknown, source = `${locale}/${UNDERSTANDING_FILE}`): Lexicon {
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? describePath(data, issue.path) : '';
    throw new LexiconError(`${source}: ${where}: ${issue?.message ?? 'invalid'}`, { cause: parsed.error });
  }
  return new Compiler(locale, source, parsed.data).lexicon();
}

class Compiler {
  private readonly ids = new Set<string>();
  private readonly prefilter = new LiteralPrefilter();
  private readonly replacements: Replacements;
  private readonly numbers: Map<string, number>;

  constructor(
    private readonly locale: string,
    private readonly source: string,
    private readonly raw: RawFile,
  ) {
    this.replacements = compileReplacements(raw.replacements);
    this.numbers = new Map(Object.entries(raw.numbers).map(([word, value]) => [normalise(word, this.replacements), value]));
  }

  lexicon(): Lexicon {
    const { raw } = this;
    const facts = raw.facts;
    return {
      locale: this.locale,
      source: this.source,
      replacements: this.replacements,
      prefilter: this.prefilter,
      risk: {
        harmed: this.category('risk.harmed', raw.risk.harmed),
        imminent: this.category('risk.imminent', raw.risk.imminent),
        thoughts: this.category('risk.thoughts', raw.risk.thoughts),
        unclear: this.category('risk.unclear', raw.risk.unclear),
        imminenceCues: this.category('risk.imminenceCues', raw.risk.imminenceCues),
      },
      danger: this.category('danger', raw.danger),
      reassurances: this.category('reassurances', raw.reassurances),
      safe: this.category('safe', raw.safe),
      contrast: this.category('contrast', raw.contrast),
      answers: this.named('answers', ANSWERS, raw.answers),
      facts: {
        paid: this.category('facts.paid', facts.paid),
        notPaid: this.category('facts.notPaid', facts.notPaid),
        payMethod: this.named('facts.payMethod', PAY_METHODS, facts.payMethod),
        demand: this.named('facts.demand', DEMANDS, facts.demand),
        who: this.named('facts.who', PERPETRATORS, facts.who),
        images: this.named('facts.images', IMAGE_STATUSES, facts.images),
        writer: this.named('facts.writer', ['parent', 'friend', 'teacher'] as const, facts.writer),
        platform: this.named('facts.platform', PLATFORMS, facts.platform),
        takenUnder18: this.category('facts.takenUnder18', facts.takenUnder18),
        deadline: this.category('facts.deadline', facts.deadline),
        outing: this.category('facts.outing', facts.outing),
        amount: facts.amount.map((entry, i) => this.entry('facts.amount', i, entry, 'amount')),
      },
      questions: this.named('questions', QUESTIONS, raw.questions),
      commands: this.named('commands', COMMANDS, raw.commands),
      social: this.named('social', SOCIAL_KINDS, raw.social),
      languages: Object.entries(raw.languages).map(([code, entries]) => [code, this.category(`languages.${code}`, entries)] as const),
      age: raw.age.map((entry, i) => this.entry('age', i, entry, 'age')),
      ageNext: raw.ageNext.map((entry, i) => this.entry('ageNext', i, entry, 'age')),
      numbers: this.numbers,
      ageGroup: {
        under18: this.category('ageGroup.under18', raw.ageGroup.under18),
        adult: this.category('ageGroup.adult', raw.ageGroup.adult),
        declined: this.category('ageGroup.declined', raw.ageGroup.declined),
      },
    };
  }

  /** Named categories in the order of the file (the author's tie-break order), for the names the file uses. */
  private named<K extends string>(name: string, _known: readonly K[], raw: Partial<Record<K, readonly RawEntry[]>>): Categories<K> {
    return (Object.keys(raw) as K[]).map((key) => [key, this.category(`${name}.${key}`, raw[key] ?? [])] as const);
  }

  private category(name: string, raw: readonly RawEntry[]): LexiconCategory {
    return { entries: raw.map((entry, i) => this.entry(name, i, entry)) };
  }

  private entry(name: string, index: number, raw: RawEntry, placeholder?: 'age' | 'amount'): LexiconEntry {
    const where = `${name}[${index}]`;
    const id = typeof raw === 'string' ? `${name}.${raw.toLowerCase().replace(/\s+/g, '-')}` : raw.id;
    const fail = (problem: string, cause?: unknown): LexiconError =>
      new LexiconError(`${this.source}: ${where} (id "${id}"): ${problem}`, { cause });
    if (this.ids.has(id)) throw fail('duplicate id');
    this.ids.add(id);

    let source: string;
    if (typeof raw === 'string' || 'phrases' in raw) {
      const phrases = (typeof raw === 'string' ? [raw] : raw.phrases).map((p) => normalise(p, this.replacements));
      if (phrases.some((p) => p === '')) throw fail('a phrase is empty after normalisation');
      source = `(?<![\\p{L}\\p{N}])(?:${phrases.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`;
    } else {
      if (/\\[1-9]|\\k<|\(\?<[\p{L}_$]/u.test(raw.pattern)) throw fail('back-references and named groups are not allowed');
      source = squeezePatternSource(raw.pattern);
    }
    if (placeholder === 'age') {
      if (source.split(AGE_PLACEHOLDER).length !== 2) throw fail(`an age pattern needs exactly one ${AGE_PLACEHOLDER}`);
      source = source.replace(AGE_PLACEHOLDER, this.ageGroupSource());
    } else if (placeholder === 'amount') {
      if (source.split(AMOUNT_PLACEHOLDER).length !== 2) throw fail(`an amount pattern needs exactly one ${AMOUNT_PLACEHOLDER}`);
      source = source.replace(AMOUNT_PLACEHOLDER, AMOUNT_SOURCE);
    }
    let regex: RegExp;
    try {
      regex = new RegExp(lookbehindLast(source), 'u');
    } catch (error) {
      throw fail('not a valid regular expression', error);
    }
    // An expression that needs a literal cannot match empty text; the others are run once to be sure.
    const literals = requiredLiterals(regex.source, regex.flags);
    if (!literals && regex.test('')) throw fail('matches empty text, so it would match every message');
    const slot = this.prefilter.add(literals);
    return { id, regex, everywhere: new RegExp(regex.source, 'gu'), prefilter: this.prefilter, slot };
  }

  /** The named group an age pattern's placeholder becomes: a 1-3 digit number that is not money or a time, or a number word. */
  private ageGroupSource(): string {
    const digits = String.raw`(?<![\p{Sc}] ?)(?<![\d.,:])\d{1,3}(?![.,:]?\d)`;
    const words = [...this.numbers.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    const wordSource = words.length ? String.raw`|(?<![\p{L}])(?:${words.join('|')})(?![\p{L}])` : '';
    return `(?<age>${digits}${wordSource})`;
  }
}

/** Names where a validation issue is, with the entry's id when it has one. */
function describePath(data: unknown, path: readonly PropertyKey[]): string {
  let text = '';
  let node: unknown = data;
  let id: string | undefined;
  for (const key of path) {
    text += typeof key === 'number' ? `[${key}]` : `${text ? '.' : ''}${String(key)}`;
    node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (node && typeof node === 'object' && typeof (node as { id?: unknown }).id === 'string') id = (node as { id: string }).id;
  }
  return id ? `${text || '(root)'} (id "${id}")` : text || '(root)';
}

/** True when the entry matches matching-form text; its expression is only run when the prefilter lets it. */
export function entryMatches(entry: LexiconEntry, text: string): boolean {
  return entry.prefilter.mayMatch(entry.slot, text) && entry.regex.test(text);
}

/** The entry's first match in matching-form text, or null; like {@link entryMatches}, behind the prefilter. */
export function entryExec(entry: LexiconEntry, text: string): RegExpExecArray | null {
  return entry.prefilter.mayMatch(entry.slot, text) ? entry.regex.exec(text) : null;
}

/** True when any entry of the category matches matching-form text. */
export function categoryMatches(category: LexiconCategory, text: string): boolean {
  for (const entry of category.entries) if (entryMatches(entry, text)) return true;
  return false;
}
