import { describe, expect, it } from 'vitest';
import { BoundedSet } from '../../src/core/bounded-set.js';

describe('BoundedSet', () => {
  it('forgets the oldest member once it holds more than its bound', () => {
    const set = new BoundedSet<string>(2);
    set.add('a');
    set.add('b');
    set.add('c');
    expect([set.has('a'), set.has('b'), set.has('c'), set.size]).toEqual([false, true, true, 2]);
  });

  it('makes a member added again the newest, so it outlives older ones', () => {
    const set = new BoundedSet<string>(2);
    set.add('a');
    set.add('b');
    set.add('a');
    set.add('c');
    expect([set.has('a'), set.has('b'), set.has('c')]).toEqual([true, false, true]);
  });

  it('says whether a deleted member was there', () => {
    const set = new BoundedSet<number>(3);
    set.add(1);
    expect([set.delete(1), set.delete(1)]).toEqual([true, false]);
  });

  it('refuses a bound that is not a positive whole number', () => {
    expect(() => new BoundedSet(0)).toThrow(RangeError);
    expect(() => new BoundedSet(1.5)).toThrow(RangeError);
  });
});
