// Percentiles of one run's iterations (helper A's bench/lib/stats.ts will take this over at merge).

/** The q-quantile (0 ≤ q ≤ 1) of `values`, linearly interpolated between the two nearest ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error("No values to take a quantile of.");
  if (q < 0 || q > 1) throw new Error(`A quantile is between 0 and 1, not ${q}.`);
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

export const median = (values: readonly number[]) => quantile(values, 0.5);

/** Rounds to `digits` decimals, for figures that go into a table. */
export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
