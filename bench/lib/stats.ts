// Summary statistics for benchmark figures. Pure functions: no I/O, inputs never mutated.

function sorted(values: readonly number[]): number[] {
  if (values.length === 0) throw new Error("no values to summarise");
  return [...values].sort((a, b) => a - b);
}

/** The middle value; the mean of the two middle values when there is an even count. */
export function median(values: readonly number[]): number {
  const s = sorted(values);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function min(values: readonly number[]): number {
  return sorted(values)[0];
}

export function max(values: readonly number[]): number {
  return sorted(values).at(-1)!;
}

/**
 * The p-th percentile (0 ≤ p ≤ 100) by the nearest-rank method: the smallest value such that at
 * least p % of the values are at or below it (rank ⌈p/100 · n⌉, at least 1). It is always one of the
 * measured values, never an interpolation, so a p99 of latencies is a latency that happened.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile ${p} is outside 0–100`);
  const s = sorted(values);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1];
}

/**
 * The q-quantile (0 ≤ q ≤ 1) linearly interpolated between the two nearest ranks (type 7 of Hyndman
 * and Fan, numpy's default): for a smooth per-run figure from few samples (the browser flows' p95 of
 * 10 iterations), where nearest rank would jump from sample to sample.
 */
export function interpolatedQuantile(values: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile ${q} is outside 0–1`);
  const s = sorted(values);
  const at = (s.length - 1) * q;
  const low = Math.floor(at);
  return s[low] + (s[Math.ceil(at)] - s[low]) * (at - low);
}

/** Nearest-rank percentile of values that are already sorted ascending (for large latency arrays). */
export function percentileOfSorted(sortedValues: ArrayLike<number>, p: number): number {
  if (sortedValues.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sortedValues.length));
  return sortedValues[rank - 1];
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarise(values: readonly number[]): Summary {
  return { median: median(values), min: min(values), max: max(values), runs: values.length };
}
