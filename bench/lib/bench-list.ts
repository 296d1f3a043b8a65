// The benchmarks `npm run bench` runs, in order, each with the wall-time budget its default runs are
// sized for. With the build they add up to 890 s, under the 15 minutes on a 2-core machine;
// a bench is stopped at twice its budget (test/unit/bench-results-md.test.ts checks the sum).

export interface BenchSpec {
  /** Short name for --only / --skip. */
  name: string;
  /** Script path from the repository root. */
  file: string;
  /** Arguments before the runner's own --json / --runs / --quick. */
  args?: string[];
  /** Needs the portal's production build (next build). */
  needsBuild?: boolean;
  /** Wall-clock seconds allowed for the default runs; the bench is stopped after twice this. */
  budgetSeconds: number;
  /** Left out unless named in --only, with the reason printed in the table. */
  skippedByDefault?: string;
}

export const BENCHES: BenchSpec[] = [
  // 4 targets × 3 runs × 8 s of load, plus seeding, a PostgreSQL cluster, 2 × 200 provisioned tokens
  // and one profiled run (154 s on 2026-12-02). Two instances on one PostgreSQL (pg2) only in
  // `npm run bench:validator`.
  { name: "validator", file: "bench/validator.ts", args: ["200", "32", "8", "--targets", "bare,sqlite,radius,pg"], budgetSeconds: 160 },
  // 250 000 decisions per rule count and run: 2.25 million in all (300 000 took 47 s on 2026-12-02).
  { name: "mfa-decision", file: "bench/mfa-decision.ts", args: ["250000"], budgetSeconds: 40 },
  { name: "seed-directory", file: "bench/seed-directory.ts", budgetSeconds: 30 },
  {
    name: "timeline",
    file: "bench/timeline.ts",
    budgetSeconds: 100,
    skippedByDefault:
      "the same queries, chart and CSV export at 1 000 000 events in-process; admin-pages measures them over HTTP as the pages run them, so this one is left out of the 15-minute run; `--only timeline` runs it",
  },
  { name: "start-time", file: "bench/start-time.ts", needsBuild: true, budgetSeconds: 60 },
  // 3 runs × (2 warm-ups + 4 iterations) of each flow in Chromium, then one profiled pass (5 iterations
  // took 235 s on 2026-12-02).
  { name: "browser-flows", file: "bench/browser-flows.ts", args: ["--iterations", "4"], needsBuild: true, budgetSeconds: 200 },
  // 19 pages × 3 runs in fresh contexts, after starting a stack and signing people in (over 60 s).
  { name: "page-weight", file: "bench/page-weight.ts", needsBuild: true, budgetSeconds: 90 },
  // Setup (100 000 users, 1 000 000 events) about 65 s on a quiet machine, then 3 runs of 30 requests
  // per page and one CSV export of 1 000 000 rows each, and a profiled pass.
  { name: "admin-pages", file: "bench/admin-pages.ts", needsBuild: true, budgetSeconds: 200 },
  {
    name: "copy-to-postgres",
    file: "bench/copy-to-postgres.ts",
    budgetSeconds: 120,
    skippedByDefault: "starts a PostgreSQL cluster and copies 100 000 users three times (about 2 min): it does not fit the 15-minute run; `--only copy-to-postgres` runs it",
  },
];

/** The build's own budget on a fresh clone (next build on 2 cores). */
export const BUILD_BUDGET_SECONDS = 110;

export interface Selection {
  run: BenchSpec[];
  skipped: { spec: BenchSpec; reason: string }[];
}

/** Which benchmarks run: --only names them (and may name one skipped by default), --skip leaves some out. */
export function selectBenches(all: BenchSpec[], only: string[], skip: string[]): Selection {
  const known = new Set(all.map((b) => b.name));
  const unknown = [...only, ...skip].filter((n) => !known.has(n));
  if (unknown.length > 0) throw new Error(`Unknown benchmark ${unknown.join(", ")}; known: ${[...known].join(", ")}`);
  const selection: Selection = { run: [], skipped: [] };
  for (const spec of all) {
    if (only.length > 0 && !only.includes(spec.name)) continue;
    if (skip.includes(spec.name)) selection.skipped.push({ spec, reason: "left out with --skip" });
    else if (spec.skippedByDefault && !only.includes(spec.name)) selection.skipped.push({ spec, reason: spec.skippedByDefault });
    else selection.run.push(spec);
  }
  return selection;
}
