// The browser benches' names for bench/lib/stats.ts, which owns the statistics: interpolated
// quantiles for few samples per run, and the median.
export { interpolatedQuantile as quantile, median } from "./stats";

/** Rounds to `digits` decimals, for figures that go into a table. */
export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
