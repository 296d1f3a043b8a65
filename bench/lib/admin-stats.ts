// Pure helpers of the admin-pages benchmark: percentiles of one run's request times, the
// round-robin order in which the pages take turns, and the datetime-local values the events
// filters read (UTC). No I/O here, so the unit tests cover them.

/** The p-th percentile (0–100) of `values` by linear interpolation between closest ranks (R's type 7, numpy's default). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error("percentile of no values");
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile ${p} is outside 0–100`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/**
 * The order of `rounds` requests to each of `names`: round after round every name once, and each
 * round starts one name later than the one before, so no page always follows the same neighbour
 * (a page that leaves garbage or a cold cache behind does not always charge the same next page).
 */
export function roundRobin<T>(names: readonly T[], rounds: number): T[] {
  const order: T[] = [];
  for (let r = 0; r < rounds; r++) for (let i = 0; i < names.length; i++) order.push(names[(i + r) % names.length]);
  return order;
}

/** A UTC time as the events filters' datetime-local value, to the minute ("2026-12-01T23:05"). */
export function utcMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

/** Rounds to 0.1 (ms, MiB) so the JSON stays readable without losing what a reader compares. */
export const tenth = (n: number) => Math.round(n * 10) / 10;
