import { describe, expect, it } from 'vitest';
import { referenceOf } from '../../src/handoff/ticket-reference.js';

describe('referenceOf', () => {
  it('gives a ticket the same short reference every time, in letters that cannot be misread', () => {
    const id = '2f1e4c3a-8b7d-4e6f-9a0b-1c2d3e4f5a6b';
    expect(referenceOf(id)).toBe(referenceOf(id));
    expect(referenceOf(id)).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it('tells thousands of tickets apart', () => {
    const references = new Set(Array.from({ length: 5000 }, () => referenceOf(crypto.randomUUID())));
    expect(references.size).toBe(5000);
  });
});
