import { describe, expect, it } from 'vitest';
import {
  MAX_INPUT_LENGTH,
  compileReplacements,
  escapeRegExp,
  normalise,
  normaliseText,
  squeezePatternSource,
} from '../../src/nlu/normalise.js';

describe('normaliseText', () => {
  it('lower-cases and strips diacritics', () => {
    expect(normaliseText('CAFÉ Ŵyneb Łódź')).toBe('cafe wyneb lodz');
  });

  it('removes zero-width, bidi and control characters so they cannot split a word', () => {
    expect(normaliseText('k\u200Bm\u200Ds\u202E')).toBe('kms');
    expect(normaliseText('k\u0007m\u00ADs')).toBe('kms');
    expect(normaliseText('end\tit\nall')).toBe('end it al');
  });

  it('reads !, 1 or | written for an i between two letters as that i, and leaves them alone elsewhere', () => {
    expect(normaliseText('su!c!dal rn')).toBe('suicidal rn');
    expect(normaliseText('k1ll my5elf')).toBe('kil my5elf');
    expect(normaliseText('d|e')).toBe('die');
    expect(normaliseText('help! 1 more b4 11pm')).toBe('help 1 more b4 11pm');
  });

  it('deletes straight and curly apostrophes and masking asterisks', () => {
    expect(normaliseText('don’t')).toBe('dont');
    expect(normaliseText("don't")).toBe('dont');
    expect(normaliseText('I‘m')).toBe('im');
    expect(normaliseText('sh*t')).toBe('sht');
  });

  it('turns punctuation, quotes and emoji into single spaces', () => {
    expect(normaliseText('“help”!!! 😭😭   please…')).toBe('help please');
    expect(normaliseText('self-harm')).toBe('self harm');
    expect(normaliseText('15 y/o')).toBe('15 y o');
  });

  it('reads the emoji that stand for a means of harm as the word, with or without a variation selector', () => {
    expect(normaliseText('💊💊 done')).toBe('pils pils done');
    expect(normaliseText('🔪🩸 again')).toBe('knife blod again');
    expect(normaliseText('🗡️ 🪢 🌉 ⚰️ 🪦')).toBe('knife rope bridge cofin grave');
  });

  it('keeps digits, currency signs and separators inside numbers', () => {
    expect(normaliseText('£500 at 15:00, 1,000 or 2.5')).toBe('£500 at 15:00 1,000 or 2.5');
    expect(normaliseText('ok. 15.')).toBe('ok 15');
  });

  it('squeezes every run of a repeated letter to one, but never digits', () => {
    expect(normaliseText('killlll myselfff')).toBe('kil myself');
    expect(normaliseText('kill')).toBe(normaliseText('kil'));
    expect(normaliseText('pleaseeee 100')).toBe('please 100');
  });

  it('returns an empty string for emoji-only or blank text', () => {
    expect(normaliseText('😭🙏 \n\t')).toBe('');
  });

  it('looks only at the first characters of a huge message', () => {
    const text = `${'a '.repeat(MAX_INPUT_LENGTH)}kms`;
    expect(normaliseText(text)).not.toContain('kms');
    expect(normaliseText('hello world', { maxLength: 5 })).toBe('helo');
  });
});

describe('compileReplacements', () => {
  const replacements = compileReplacements({ u: 'you', "don't": 'do not', kms: 'kill myself', 'y o': 'years old', wanna: 'want to' });

  it('rewrites whole words only', () => {
    expect(replacements.apply('u ok')).toBe('you ok');
    expect(replacements.apply('sun up')).toBe('sun up');
  });

  it('normalises keys and values like message text', () => {
    expect(normalise("DON'T", replacements)).toBe('do not');
    expect(normalise('KMS', replacements)).toBe('kil myself');
    expect(normalise('wannna go', replacements)).toBe('want to go');
  });

  it('rewrites multi-word keys and does not rewrite its own output again', () => {
    expect(normalise('15 y/o', replacements)).toBe('15 years old');
    expect(compileReplacements({ a: 'b', b: 'c' }).apply('a b')).toBe('b c');
  });

  it('is a no-op when the table is empty', () => {
    expect(compileReplacements({}).apply('u ok')).toBe('u ok');
    expect(compileReplacements({}).size).toBe(0);
  });
});

describe('squeezePatternSource', () => {
  it('squeezes doubled letters in literal text', () => {
    expect(squeezePatternSource('\\bkill myself\\b')).toBe('\\bkil myself\\b');
    expect(squeezePatternSource('better off')).toBe('beter of');
  });

  it('leaves escapes, classes, quantified letters and group headers alone', () => {
    expect(squeezePatternSource('\\p{Ll}\\bb')).toBe('\\p{Ll}\\bb');
    expect(squeezePatternSource('[ll]')).toBe('[ll]');
    expect(squeezePatternSource('kil+ l?l a{2}a')).toBe('kil+ l?l a{2}a');
    expect(squeezePatternSource('(?<!ss )s')).toBe('(?<!s )s');
  });

  it('gives a pattern that matches the squeezed form of the text it was written for', () => {
    const regex = new RegExp(squeezePatternSource('\\bcommit suicide\\b|\\bfeeling (?:too|so) sad\\b'), 'u');
    expect(regex.test(normaliseText('commmit suicide'))).toBe(true);
    expect(regex.test(normaliseText('feeling tooo sad'))).toBe(true);
  });
});

describe('escapeRegExp', () => {
  it('escapes syntax characters and stays valid in Unicode mode', () => {
    const text = 'a.b*c(d)[e]{f}|g^h$i\\j/k+l?';
    expect(new RegExp(`^${escapeRegExp(text)}$`, 'u').test(text)).toBe(true);
  });
});
