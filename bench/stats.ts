/** Latency samples in milliseconds, summarised the way the benchmark reports them. */
export class Samples {
  readonly #values: number[] = [];

  add(ms: number): void {
    if (this.#values.length < 2_000_000) this.#values.push(ms);
  }

  get count(): number {
    return this.#values.length;
  }

  /** The p-th percentile (0-100), nearest rank; NaN with no samples. */
  percentile(p: number): number {
    if (this.#values.length === 0) return Number.NaN;
    const sorted = [...this.#values].sort((a, b) => a - b);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[rank] as number;
  }
}

/** Least-squares slope of y over x (per unit of x); 0 with fewer than two points. */
export function slope(points: readonly (readonly [number, number])[]): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/** Rounds for the report. */
export const round = (value: number, digits = 1): number => (Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : value);
