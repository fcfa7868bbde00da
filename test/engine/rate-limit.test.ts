import { describe, expect, it } from 'vitest';
import { admitMessage } from '../../src/engine/rate-limit.js';

describe('admitMessage', () => {
  const limit = { windowMs: 1000, maxMessages: 3 };

  it('admits up to the limit within a window and refuses the next', () => {
    let recent: number[] = [];
    const allowed: boolean[] = [];
    for (const t of [0, 10, 20, 30]) {
      const r = admitMessage(recent, t, limit);
      recent = r.recent;
      allowed.push(r.allowed);
    }
    expect(allowed).toEqual([true, true, true, false]);
  });

  it('admits again once old messages leave the window, and keeps the list short', () => {
    const r = admitMessage([0, 1, 2, 3, 4, 5, 6], 1005, limit);
    expect(r.allowed).toBe(true);
    expect(r.recent).toEqual([6, 1005]);
    expect(r.recent.length).toBeLessThanOrEqual(limit.maxMessages + 1);
  });
});
