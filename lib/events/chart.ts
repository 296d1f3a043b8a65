import type { TimelineFilters } from "./filters";

// The authentication chart's time axis: which range it covers, how wide a bar is, and the bucket
// spans the database counts in.

const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const MAX_BUCKETS = 40;
export const DEFAULT_CHART_SPAN = DAY;

const SIZES: { ms: number; label: string }[] = [
  { ms: MINUTE, label: "1 minute" },
  { ms: 5 * MINUTE, label: "5 minutes" },
  { ms: 15 * MINUTE, label: "15 minutes" },
  { ms: 30 * MINUTE, label: "30 minutes" },
  { ms: HOUR, label: "1 hour" },
  { ms: 3 * HOUR, label: "3 hours" },
  { ms: 6 * HOUR, label: "6 hours" },
  { ms: 12 * HOUR, label: "12 hours" },
  { ms: DAY, label: "1 day" },
  { ms: 7 * DAY, label: "7 days" },
];

export interface ChartRange {
  start: number;
  /** Exclusive. */
  end: number;
}

export interface BucketPlan extends ChartRange {
  /** The first bucket's start: `start` rounded down to a whole bucket in UTC. */
  origin: number;
  size: number;
  sizeLabel: string;
  count: number;
}

export interface Bucket extends ChartRange {
  success: number;
  failure: number;
}

/** The selected range, or the last 24 hours when none is chosen; an open end runs to now. */
export function chartRange(filters: Pick<TimelineFilters, "from" | "to">, now: number): ChartRange {
  const { from, to } = filters;
  if (from !== undefined && to !== undefined) return { start: from, end: to };
  if (from !== undefined) return { start: from, end: Math.max(now, from + HOUR) };
  if (to !== undefined) return { start: to - DEFAULT_CHART_SPAN, end: to };
  return { start: now - DEFAULT_CHART_SPAN, end: now };
}

/** The smallest bucket that keeps the chart at MAX_BUCKETS bars or fewer (24 h → hourly, 30 days → daily). */
export function planBuckets(range: ChartRange): BucketPlan {
  const span = Math.max(range.end - range.start, 1);
  const fits = (ms: number) => Math.ceil((range.end - Math.floor(range.start / ms) * ms) / ms) <= MAX_BUCKETS;
  let size = SIZES.find((s) => fits(s.ms));
  if (!size) {
    const days = Math.ceil(span / MAX_BUCKETS / DAY) + 1;
    size = { ms: days * DAY, label: `${days} days` };
  }
  const origin = Math.floor(range.start / size.ms) * size.ms;
  return { ...range, origin, size: size.ms, sizeLabel: size.label, count: Math.max(1, Math.ceil((range.end - origin) / size.ms)) };
}

/** Each bucket's time span, the first and last clipped to the range so no bar counts events outside it. */
export function bucketSpans(plan: BucketPlan): ChartRange[] {
  return Array.from({ length: plan.count }, (_, i) => {
    const start = plan.origin + i * plan.size;
    return { start: Math.max(start, plan.start), end: Math.min(start + plan.size, plan.end) };
  });
}

/** The start of the UTC hour `at` falls in: the key of validation_hours. */
export function hourOf(at: number): number {
  return at - (at % HOUR);
}

/**
 * The whole hours inside a plan whose buckets are whole hours (validation_hours can count them), or
 * null when its buckets are under an hour or the range holds no whole hour. The range's ends outside
 * it, [start, whole.start) and [whole.end, end), are under an hour each and fall in the first and last
 * bucket.
 */
export function wholeHours(plan: BucketPlan): ChartRange | null {
  if (plan.size % HOUR !== 0) return null;
  const whole = { start: Math.ceil(plan.start / HOUR) * HOUR, end: Math.floor(plan.end / HOUR) * HOUR };
  return whole.start < whole.end ? whole : null;
}

/** The index of the bucket of `plan` that `at` falls in (clamped to the plan's buckets). */
export function bucketIndex(plan: BucketPlan, at: number): number {
  return Math.min(plan.count - 1, Math.max(0, Math.floor((at - plan.origin) / plan.size)));
}

/** The axis top: the smallest 1, 2 or 5 × 10^k at or above `n` (at least 1). */
export function niceCeiling(n: number): number {
  if (n <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) if (step * power >= n) return step * power;
  return 10 * power;
}

/** A bucket's label: the time of day for buckets under a day (with the date at midnight or first), else the date. */
export function bucketLabel(start: number, size: number, withDate: boolean): string {
  const iso = new Date(start).toISOString();
  if (size >= DAY) return iso.slice(0, 10);
  return withDate || iso.slice(11, 16) === "00:00" ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}
