import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotError } from '../../src/core/errors.js';
import { LexiconError, UNDERSTANDING_FILE, categoryMatches, compileLexicon, loadLexicons } from '../../src/nlu/lexicon.js';
import { normalise } from '../../src/nlu/normalise.js';

const LOCALES = join(import.meta.dirname, '..', '..', 'locales');
const risk = { harmed: ['took all the pills'], imminent: ['on the bridge'], thoughts: ['want to die'] };
const minimal = { risk, danger: [{ id: 'danger.outside', pattern: '\\boutside my house\\b' }] };

function errorOf(fn: () => unknown): LexiconError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LexiconError) return error;
    throw error;
  }
  throw new Error('expected a LexiconError');
}

describe('loadLexicons', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nlu-lexicon-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the real en-GB data with every category compiled', () => {
    const [en] = loadLexicons(LOCALES).filter((l) => l.locale === 'en-GB');
    expect(en).toBeDefined();
    expect(en?.risk.thoughts.entries.length).toBeGreaterThan(20);
    expect(en?.risk.harmed.entries.length).toBeGreaterThan(2);
    expect(en?.risk.imminent.entries.length).toBeGreaterThan(2);
    expect(en?.danger.entries.length).toBeGreaterThan(5);
    expect(en?.commands.map(([c]) => c).sort()).toEqual(['cancel', 'clearChat', 'deleteData', 'help', 'human', 'language', 'menu']);
    expect(en?.languages.map(([code]) => code).sort()).toEqual(['cy', 'en-GB', 'pl']);
    expect(en?.questions.length).toBe(23);
    expect(en?.facts.payMethod.map(([m]) => m).sort()).toEqual(['crypto', 'giftCard', 'other', 'transfer']);
    expect(en?.numbers.get(normalise('seventeen'))).toBe(17);
  });

  it('skips folders without an understanding file and plain files', () => {
    mkdirSync(join(dir, 'cy'));
    writeFileSync(join(dir, 'cy', 'messages.json'), '{}');
    writeFileSync(join(dir, 'national-contacts.json'), '{}');
    mkdirSync(join(dir, 'en-GB'));
    writeFileSync(join(dir, 'en-GB', UNDERSTANDING_FILE), JSON.stringify(minimal));
    expect(loadLexicons(dir).map((l) => l.locale)).toEqual(['en-GB']);
  });

  it('names the file when it is not JSON', () => {
    mkdirSync(join(dir, 'en-GB'));
    const file = join(dir, 'en-GB', UNDERSTANDING_FILE);
    writeFileSync(file, '{ "risk": [');
    const error = errorOf(() => loadLexicons(dir));
    expect(error.message).toContain(file);
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(error).toBeInstanceOf(BotError);
  });

  it('fails clearly when the folder does not exist', () => {
    const error = errorOf(() => loadLexicons(join(dir, 'missing')));
    expect(error.message).toContain('missing');
    expect(error.cause).toBeDefined();
  });
});

describe('compileLexicon', () => {
  it('names the file, entry and id of an invalid regular expression', () => {
    const data = { ...minimal, danger: [{ id: 'danger.broken', pattern: '\\boutside (my' }] };
    const error = errorOf(() => compileLexicon('en-GB', data, 'locales/en-GB/understanding.json'));
    expect(error.message).toContain('locales/en-GB/understanding.json');
    expect(error.message).toContain('danger[0]');
    expect(error.message).toContain('danger.broken');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('names the path and id of an entry that fails the schema', () => {
    const data = { ...minimal, risk: { ...risk, thoughts: ['want to die', { id: 'crisis.bad', pattern: '' }] } };
    const error = errorOf(() => compileLexicon('en-GB', data, 'file.json'));
    expect(error.message).toMatch(/file\.json: risk\.thoughts\[1\]/);
    expect(error.message).toContain('crisis.bad');
  });

  it('rejects unknown categories, questions, commands and facts so a typo cannot silently drop data', () => {
    expect(errorOf(() => compileLexicon('en-GB', { ...minimal, crysis: [] })).message).toContain('crysis');
    expect(errorOf(() => compileLexicon('en-GB', { ...minimal, questions: { payment: ['pay'] } })).message).toContain('questions');
    expect(errorOf(() => compileLexicon('en-GB', { ...minimal, commands: { quit: ['quit'] } })).message).toContain('commands');
    expect(errorOf(() => compileLexicon('en-GB', { ...minimal, facts: { who: { alien: ['ufo'] } } })).message).toContain('facts');
    expect(errorOf(() => compileLexicon('en-GB', { ...minimal, risk: { ...risk, panic: ['x'] } })).message).toContain('panic');
  });

  it('requires entries for every risk level that gets its own reply, and for danger, in every language', () => {
    for (const level of ['harmed', 'imminent', 'thoughts'] as const) {
      const { [level]: _gone, ...rest } = risk;
      expect(errorOf(() => compileLexicon('cy', { ...minimal, risk: rest })).message).toContain(level);
    }
    expect(errorOf(() => compileLexicon('cy', { risk, danger: [] })).message).toContain('danger');
  });

  it('rejects duplicate ids, patterns that match empty text and back-references', () => {
    const duplicate = { ...minimal, answers: { yes: [{ id: 'x', pattern: 'yes' }, { id: 'x', pattern: 'yeah' }] } };
    expect(errorOf(() => compileLexicon('en-GB', duplicate)).message).toContain('duplicate id');
    const empty = { ...minimal, answers: { no: [{ id: 'no.anything', pattern: 'n*' }] } };
    expect(errorOf(() => compileLexicon('en-GB', empty)).message).toContain('matches empty text');
    const backReference = { ...minimal, answers: { no: [{ id: 'no.echo', pattern: '(no) \\1' }] } };
    expect(errorOf(() => compileLexicon('en-GB', backReference)).message).toContain('back-references');
  });

  it('requires exactly one <age> in an age pattern', () => {
    const data = { ...minimal, age: [{ id: 'age.none', pattern: '\\bi am\\b' }] };
    expect(errorOf(() => compileLexicon('en-GB', data)).message).toContain('age.none');
  });

  it('normalises phrases with the locale replacements and gives them ids', () => {
    const lexicon = compileLexicon('en-GB', { ...minimal, replacements: { wanna: 'want to' }, risk: { ...risk, thoughts: ['wanna die'] } });
    expect(lexicon.risk.thoughts.entries[0]?.id).toBe('risk.thoughts.wanna-die');
    expect(categoryMatches(lexicon.risk.thoughts, normalise('i wannna dieee', lexicon.replacements))).toBe(true);
  });

  it('matches phrases on whole words only', () => {
    const lexicon = compileLexicon('en-GB', { ...minimal, risk: { ...risk, thoughts: [{ id: 'crisis.sh', phrases: ['sh'] }] } });
    expect(categoryMatches(lexicon.risk.thoughts, 'i do sh')).toBe(true);
    expect(categoryMatches(lexicon.risk.thoughts, 'fish and shops')).toBe(false);
  });

  it.each(['en-GB', 'cy', 'pl'])('keeps the real %s file valid', (locale) => {
    const file = join(LOCALES, locale, UNDERSTANDING_FILE);
    expect(() => compileLexicon(locale, JSON.parse(readFileSync(file, 'utf8')), file)).not.toThrow();
  });
});
