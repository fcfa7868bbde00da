import { describe, expect, it } from 'vitest';
import { PeriodicSweep } from '../../src/handoff/periodic-sweep.js';
import { sleep } from '../support/handoff-backends.js';

/** A sweep that takes `ms` and records how many run at once. */
class SlowSweep extends PeriodicSweep {
  running = 0;
  most = 0;
  runs = 0;
  finished = 0;
  constructor(private readonly ms: number, private readonly fail = false) {
    super(5);
  }
  async sweep(): Promise<number> {
    this.runs++;
    this.running++;
    this.most = Math.max(this.most, this.running);
    await sleep(this.ms);
    this.running--;
    this.finished++;
    if (this.fail) throw new Error('the store is away');
    return 0;
  }
}

describe('PeriodicSweep', () => {
  it('runs again and again, never two at once, and stop waits for the run in progress', async () => {
    const sweep = new SlowSweep(30);
    sweep.start();
    await sleep(150);
    await sweep.stop();
    expect(sweep.runs).toBeGreaterThanOrEqual(2);
    expect(sweep.most).toBe(1);
    expect(sweep.finished).toBe(sweep.runs);
    const after = sweep.runs;
    await sleep(50);
    expect(sweep.runs).toBe(after);
  });

  it('keeps going after a run that fails', async () => {
    const sweep = new SlowSweep(1, true);
    sweep.start();
    await sleep(80);
    await sweep.stop();
    expect(sweep.runs).toBeGreaterThanOrEqual(2);
  });
});
