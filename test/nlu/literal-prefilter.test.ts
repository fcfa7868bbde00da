import { describe, expect, it } from 'vitest';
import { LiteralPrefilter } from '../../src/nlu/literal-prefilter.js';

describe('LiteralPrefilter', () => {
  it('lets a rule through only when one of its literals is in the text, wherever it is', () => {
    const prefilter = new LiteralPrefilter();
    const pills = prefilter.add(['took pils', 'overdosed']);
    expect(prefilter.mayMatch(pills, 'took pils')).toBe(true);
    expect(prefilter.mayMatch(pills, 'i have overdosed')).toBe(true);
    expect(prefilter.mayMatch(pills, 'i overdosed just now')).toBe(true);
    expect(prefilter.mayMatch(pills, 'took pil')).toBe(false);
    expect(prefilter.mayMatch(pills, 'he took my pics')).toBe(false);
  });

  it('finds literals that begin or lie inside other literals, and sets apart literals that share a beginning', () => {
    const prefilter = new LiteralPrefilter();
    const short = prefilter.add(['i am']);
    const going = prefilter.add(['i am going to']);
    const gone = prefilter.add(['i am gone']);
    const inner = prefilter.add(['going']);
    expect(prefilter.mayMatch(short, 'i am going to do it')).toBe(true);
    expect(prefilter.mayMatch(going, 'i am going to do it')).toBe(true);
    expect(prefilter.mayMatch(gone, 'i am going to do it')).toBe(false);
    expect(prefilter.mayMatch(inner, 'i am going to do it')).toBe(true);
    expect(prefilter.mayMatch(gone, 'soon i am gone')).toBe(true);
    expect(prefilter.mayMatch(going, 'soon i am gone')).toBe(false);
    expect(prefilter.mayMatch(short, 'i a m')).toBe(false);
  });

  it('always lets through a rule with no literal', () => {
    const prefilter = new LiteralPrefilter();
    const unknown = prefilter.add(undefined);
    const empty = prefilter.add(['', 'x']);
    expect(prefilter.mayMatch(unknown, 'anything')).toBe(true);
    expect(prefilter.mayMatch(empty, 'anything')).toBe(true);
    expect(prefilter.alwaysRun).toBe(2);
  });

  it('finds literals of one and two characters, and literals shared by several rules', () => {
    const prefilter = new LiteralPrefilter();
    const pound = prefilter.add(['£']);
    const u = prefilter.add(['u', 'ur']);
    const sharedA = prefilter.add(['kil']);
    const sharedB = prefilter.add(['kil', 'die']);
    expect(prefilter.mayMatch(pound, 'he wants £200')).toBe(true);
    expect(prefilter.mayMatch(pound, 'he wants 200')).toBe(false);
    expect(prefilter.mayMatch(u, 'are you ok')).toBe(true);
    expect(prefilter.mayMatch(u, 'i am fine')).toBe(false);
    expect(prefilter.mayMatch(sharedA, 'i want to kil myself')).toBe(true);
    expect(prefilter.mayMatch(sharedB, 'i want to kil myself')).toBe(true);
    expect(prefilter.mayMatch(sharedA, 'i want to die')).toBe(false);
    expect(prefilter.mayMatch(sharedB, 'i want to die')).toBe(true);
  });

  it('answers for the text it is asked about, when texts alternate', () => {
    const prefilter = new LiteralPrefilter();
    const slot = prefilter.add(['bridge']);
    for (let i = 0; i < 3; i++) {
      expect(prefilter.mayMatch(slot, 'im on the bridge')).toBe(true);
      expect(prefilter.mayMatch(slot, 'im at home')).toBe(false);
    }
  });

  it('reads characters outside the basic plane', () => {
    const prefilter = new LiteralPrefilter();
    const slot = prefilter.add(['🌉x']);
    expect(prefilter.mayMatch(slot, 'a 🌉x b')).toBe(true);
    expect(prefilter.mayMatch(slot, 'a 🌉 b')).toBe(false);
  });

  it('keeps answering right when rules are added after a text was scanned', () => {
    const prefilter = new LiteralPrefilter();
    const first = prefilter.add(['home']);
    expect(prefilter.mayMatch(first, 'at home')).toBe(true);
    const second = prefilter.add(['at']);
    expect(prefilter.mayMatch(second, 'at home')).toBe(true);
    expect(prefilter.mayMatch(first, 'at home')).toBe(true);
  });
});
