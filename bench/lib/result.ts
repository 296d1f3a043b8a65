import fs from "node:fs";
import path from "node:path";

// What every benchmark writes with `--json <file>` for `npm run bench` (bench/run-all.ts), which
// turns the figures into the "Latest run" table of bench/RESULTS.md. A benchmark does its own
// alternating runs (targets take turns, run after run) and reports every run's value: the runner
// computes medians and spreads, so no benchmark reports a single run as a figure.

/** A budget from the performance issue: the median must be at most (`<=`) or at least (`>=`) `value`. */
export interface Budget {
  op: "<=" | ">=";
  value: number;
}

export interface BenchRow {
  /** The table section, e.g. "Validator", "Browser flows", "Admin pages", "Page weight". */
  group: string;
  /** What was measured, e.g. "SQLite / bare (ratio)", "password step p50 (click → next page ready)". */
  name: string;
  /** "ms", "s", "/s", "ratio", "kB", "MiB", "rows/s". */
  unit: string;
  /** One value per run, in run order. */
  values: number[];
  budget?: Budget;
  /** A short remark printed beside the figure (what the figure includes, the load). */
  note?: string;
}

export interface BenchResult {
  /** The script, e.g. "bench/validator.ts". */
  bench: string;
  /** The command that reproduces these figures. */
  command: string;
  rows: BenchRow[];
  /** Markdown: where the time went (a CPU profile summary), printed under the table. */
  profile?: string;
}

/** Writes `result` to the file named by `--json <file>` when the script was given one. */
export function writeJsonResult(file: string | undefined, result: BenchResult): void {
  if (!file) return;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}

export function readJsonResult(file: string): BenchResult {
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as BenchResult;
  if (!parsed || typeof parsed.bench !== "string" || !Array.isArray(parsed.rows)) throw new Error(`${file} is not a benchmark result`);
  return parsed;
}
