import { describe, expect, it } from 'vitest';
import { splitText, trimLabel } from '../../src/channels/split-text.js';

describe('splitText', () => {
  it('returns short text as one part', () => {
    expect(splitText('Call 999 now.', 100)).toEqual(['Call 999 now.']);
  });

  it('breaks at sentence ends, never inside a phone number', () => {
    const text = 'Call Samaritans on 116 123. They are free. Childline is on 0800 1111 for under-19s.';
    const parts = splitText(text, 40);
    expect(parts.every((p) => p.length <= 40)).toBe(true);
    expect(parts.join(' ')).toBe(text);
    expect(parts.some((p) => p.includes('116 123'))).toBe(true);
    expect(parts.some((p) => p.includes('0800 1111'))).toBe(true);
  });

  it('prefers paragraph breaks', () => {
    const text = `${'a'.repeat(30)}.\n\n${'b'.repeat(30)}.`;
    expect(splitText(text, 50)).toEqual([`${'a'.repeat(30)}.`, `${'b'.repeat(30)}.`]);
  });

  it('hard-cuts a single overlong word and keeps every character', () => {
    const text = 'x'.repeat(25);
    const parts = splitText(text, 10);
    expect(parts).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('does not split an emoji surrogate pair', () => {
    const text = `${'a'.repeat(9)}😀${'b'.repeat(5)}`;
    const parts = splitText(text, 10);
    expect(parts.join('')).toBe(text);
    expect(parts[0]).toBe('a'.repeat(9));
  });
});

describe('trimLabel', () => {
  it('keeps labels that fit', () => {
    expect(trimLabel('Save evidence', 20)).toBe('Save evidence');
  });

  it('shortens at a word with an ellipsis', () => {
    const out = trimLabel('Speak to a call handler right now please', 20);
    expect(out.length).toBeLessThanOrEqual(20);
    expect(out.endsWith('…')).toBe(true);
  });
});
