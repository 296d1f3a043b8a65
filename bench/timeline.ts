import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { parseArgs } from "node:util";
import { pipeline } from "node:stream/promises";
import { migratePortal } from "../db/migrate";
import { openPortalDb, type PortalDb } from "../db/index";
import { authBuckets, ingestSafeNetEvents, listTimeline, timelineBatches, timelineSql } from "../db/queries/timeline";
import { planBuckets } from "../lib/events/chart";
import { sql, type Fragment } from "../lib/runtime/sql";
import { csvStream } from "../lib/events/csv";
import type { TimelineFilters, TimelinePage } from "../lib/events/filters";
import type { SafeNetEventLike } from "../lib/events/safenet";
import { writeJsonResult, type BenchRow } from "./lib/result";
import { fillSyntheticEvents } from "./lib/synthetic-events";

// The event timeline at scale: a temp portal database with N events over 30 days, then each query
// the page and the export run, with its plan. Prints figures; never fails on time. SQLite only (the
// plans printed are SQLite's); DATABASE_URL is ignored so a bench never fills a real database.
// The database is filled once; then each run times every query, the chart, the CSV export and an
// ingestion, and the runs' figures are reported (a query's figure in a run is its median of 7 calls).
// Usage: npx tsx bench/timeline.ts [events=1000000] [--without-result-indexes] [--runs 3] [--quick] [--json file]
// --without-result-indexes drops, from the temp database only, the two indexes of migration 0001, to show what they buy.
// --quick: 100 000 events.

const USAGE = "Usage: npx tsx bench/timeline.ts [events=1000000] [--without-result-indexes] [--runs 3] [--quick] [--json file]";
let parsed;
try {
  parsed = parseArgs({
    options: { runs: { type: "string", default: "3" }, quick: { type: "boolean", default: false }, json: { type: "string" }, "without-result-indexes": { type: "boolean", default: false } },
    allowPositionals: true,
  });
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}; the result indexes exist since migration 0001.\n${USAGE}`);
  process.exit(2);
}
const { values: options, positionals } = parsed;
const N = Number(positionals[0] ?? (options.quick ? 100_000 : 1_000_000));
const RUNS = Number(options.runs);
const WITHOUT_RESULT_INDEXES = options["without-result-indexes"];
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const START = NOW - 30 * DAY;

async function time<T>(fn: () => Promise<T>, runs = 7): Promise<{ ms: number; value: T }> {
  const samples: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    value = await fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(runs / 2)], value };
}

async function plan(db: PortalDb, f: TimelineFilters, cursor?: TimelinePage["cursor"]): Promise<string> {
  const rows = await db.all<{ detail: string }>(sql`EXPLAIN QUERY PLAN ${timelineSql(db.dialect, f, cursor, 50)}`);
  return rows.map((r) => r.detail).join("; ");
}

async function exportAll(db: PortalDb) {
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  let bytes = 0;
  let rows = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t = process.hrtime.bigint();
  const sink = fs.createWriteStream("/dev/null");
  const count = new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      peak = Math.max(peak, process.memoryUsage().rss);
      sink.write(chunk, done);
    },
  });
  const batches = timelineBatches(db, {});
  const counted = (async function* () {
    for await (const b of batches) (rows += b.length, yield b);
  })();
  await pipeline(Readable.fromWeb(csvStream(counted) as import("node:stream/web").ReadableStream), count);
  clearInterval(sampler);
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  return { rows, s, mib: bytes / 2 ** 20, rssDelta: (peak - rss0) / 2 ** 20 };
}

type Case = [string, TimelineFilters, TimelinePage["cursor"]?];
const CHARTS = [
  ["chart, 30 days (daily buckets)", { start: NOW - 30 * DAY, end: NOW }, undefined],
  ["chart, 24 hours (hourly buckets)", { start: NOW - DAY, end: NOW }, undefined],
  ["chart, 30 days, one user", { start: NOW - 30 * DAY, end: NOW }, "user00042@corp.local"],
] as const;

async function cases(db: PortalDb): Promise<Case[]> {
  const mid = (await db.get<{ at: number; id: number }>(sql`SELECT at, id FROM events WHERE id = ${Math.floor(N / 2)}`))!;
  const hour = { from: START + 10 * DAY, to: START + 10 * DAY + 3_600_000 };
  return [
    ["first page, unfiltered", {}],
    ["deep page (cursor at the middle), unfiltered", {}, mid],
    ["user, first page", { user: "user00042@corp.local" }],
    ["user, deep page", { user: "user00042@corp.local" }, mid],
    ["kind = validation, result = failure", { kind: "validation", result: "failure" }],
    ["result = failure", { result: "failure" }],
    ["result = challenge (1 % of validations)", { result: "challenge" }],
    ["result = info (none stored: worst case)", { result: "info" }],
    ["time range (1 hour, 10 days back)", hour],
    ["user + kind = token", { user: "user00042@corp.local", kind: "token" }],
    ["user + result = failure", { user: "user00042@corp.local", result: "failure" }],
    ["kind = admin + time range", { kind: "admin", ...hour }],
  ];
}

/** Ingestion: 20 pages of 1 000 simulator events from an in-memory fake, as one page view would. */
async function ingest(db: PortalDb, run: number) {
  let next = 10_000_000 * run;
  const fake = async (after: number, limit: number) => {
    const events: SafeNetEventLike[] = Array.from({ length: limit }, (_, i) => ({
      id: Math.max(after, next) + i + 1, at: new Date(NOW + i).toISOString(), type: "auth", user: "user00001@corp.local",
      serial: "0123456789ABCDEF", result: "success", code: 1, reason: null, clientIp: "10.0.0.1", detail: null,
    }));
    next = events[events.length - 1].id;
    return { events, nextCursor: String(next) };
  };
  const ti = process.hrtime.bigint();
  const ing = await ingestSafeNetEvents(db, fake, { budgetMs: 60_000 });
  const si = Number(process.hrtime.bigint() - ti) / 1e9;
  console.log(`ingestion: ${ing.inserted} events in ${ing.pages} pages, ${(si * 1000).toFixed(0)} ms = ${Math.round(ing.inserted / si)} events/s`);
  return { ms: si * 1000, perSecond: ing.inserted / si };
}

/** One run: every query, chart, the export and an ingestion; figures by row name. */
async function oneRun(db: PortalDb, list: Case[], run: number): Promise<Map<string, number>> {
  const figures = new Map<string, number>();
  const page = (filters: TimelineFilters, cursor?: TimelinePage["cursor"]): TimelinePage => ({ filters, cursor, limit: 50 });
  for (const [name, f, cursor] of list) {
    const r = await time(() => listTimeline(db, page(f, cursor)));
    figures.set(`page: ${name}`, r.ms);
    console.log(`run ${run}  ${name}: ${r.ms.toFixed(2)} ms, ${r.value.rows.length} rows`);
  }
  for (const [name, range, user] of CHARTS) {
    const r = await time(() => authBuckets(db, planBuckets(range), user), 3);
    figures.set(name, r.ms);
    console.log(`run ${run}  ${name}: ${r.ms.toFixed(1)} ms`);
  }
  const exp = await exportAll(db);
  console.log(`run ${run}  CSV export: ${exp.rows} rows, ${exp.mib.toFixed(0)} MiB in ${exp.s.toFixed(1)} s = ${Math.round(exp.rows / exp.s)} rows/s; peak RSS +${exp.rssDelta.toFixed(0)} MiB`);
  figures.set("CSV export, every row", exp.rows / exp.s);
  figures.set("CSV export, peak RSS over the start", exp.rssDelta);
  const ing = await ingest(db, run);
  // The ingested events lie after NOW: removed, so every run queries and exports the same rows.
  await db.run(sql`DELETE FROM events WHERE at >= ${NOW}`);
  figures.set("ingestion, 20 pages × 1 000 events", ing.perSecond);
  return figures;
}

/** The plans, for the section under the table (they do not change between runs). */
async function plans(db: PortalDb, list: Case[]): Promise<string> {
  const lines = ["| query | SQLite plan |", "|---|---|"];
  for (const [name, f, cursor] of list) lines.push(`| ${name} | ${(await plan(db, f, cursor)).replace(/\|/g, "\\|")} |`);
  for (const [name, , user] of CHARTS) {
    const explain = `EXPLAIN QUERY PLAN SELECT count(*) FROM events WHERE ${user ? `"user" = 'x' AND +kind = 'validation' AND +result` : "kind = 'validation' AND result"} = 'failure' AND at >= 0 AND at < 1`;
    lines.push(`| ${name} | ${(await db.all<{ detail: string }>(sql.raw(explain))).map((x) => x.detail).join("; ")} |`);
  }
  return lines.join("\n");
}

const UNITS: Record<string, string> = { "CSV export, every row": "rows/s", "CSV export, peak RSS over the start": "MiB", "ingestion, 20 pages × 1 000 events": "events/s" };

function rowsFor(runs: Map<string, number>[]): BenchRow[] {
  const group = `Event timeline (${N.toLocaleString("en").replace(/,/g, " ")} events${WITHOUT_RESULT_INDEXES ? ", without the result indexes" : ""})`;
  return [...runs[0].keys()].map((name) => ({
    group,
    name,
    unit: UNITS[name] ?? "ms",
    values: runs.map((r) => r.get(name)!),
    ...(name.startsWith("page: ") && { note: "median of 7 calls in each run" }),
    ...(name.startsWith("CSV export, peak") && { budget: { op: "<=" as const, value: 100 }, note: "the export route's stream in this process, piped to /dev/null" }),
  }));
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "timeline-bench-"));
  const target = await migratePortal({ root: path.resolve(__dirname, ".."), dir, url: undefined });
  if (target.dialect !== "sqlite") throw new Error("unreachable: the bench runs on SQLite");
  const db = openPortalDb(target);
  try {
    if (WITHOUT_RESULT_INDEXES) await db.exec("DROP INDEX events_kind_result_at; DROP INDEX events_result_at");
    const t0 = Date.now();
    await fillSyntheticEvents(db, N, { now: NOW, rebuildIndexes: true });
    await db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    console.log(`filled ${N} events in ${((Date.now() - t0) / 1000).toFixed(1)} s; database ${(fs.statSync(target.file).size / 2 ** 20).toFixed(0)} MiB\n`);
    const list = await cases(db);
    const runs: Map<string, number>[] = [];
    for (let run = 1; run <= RUNS; run++) runs.push(await oneRun(db, list, run));
    const command = `npx tsx bench/timeline.ts ${N}${WITHOUT_RESULT_INDEXES ? " --without-result-indexes" : ""} --runs ${RUNS}`;
    const profile = `Query plans of the timeline bench (${N} events):\n\n${await plans(db, list)}`;
    writeJsonResult(options.json, { bench: "bench/timeline.ts", command, rows: rowsFor(runs), profile });
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
