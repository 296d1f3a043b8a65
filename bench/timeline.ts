import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { migratePortal } from "../db/migrate";
import { openPortalDb, type PortalDb } from "../db/index";
import { authBuckets, ingestSafeNetEvents, listTimeline, timelineBatches, timelineSql } from "../db/queries/timeline";
import { planBuckets } from "../lib/events/chart";
import { sql } from "../lib/runtime/sql";
import { fillSyntheticEvents } from "./lib/synthetic-events";
import { csvStream } from "../lib/events/csv";
import type { TimelineFilters, TimelinePage } from "../lib/events/filters";
import type { SafeNetEventLike } from "../lib/events/safenet";

// The event timeline at scale: a temp portal database with N events over 30 days, then each query
// the page and the export run, with its plan. Prints figures; never fails on time. SQLite only (the
// plans printed are SQLite's); DATABASE_URL is ignored so a bench never fills a real database.
// Usage: npx tsx bench/timeline.ts [events=1000000] [--without-result-indexes]
// --without-result-indexes drops, from the temp database only, the two indexes of migration 0001, to show what they buy.

const USAGE = "Usage: npx tsx bench/timeline.ts [events=1000000] [--without-result-indexes]";
const args = process.argv.slice(2);
const unknown = args.filter((a) => !/^\d+$/.test(a) && a !== "--without-result-indexes");
if (unknown.length > 0) {
  console.error(`Unknown argument ${unknown.join(", ")}; the result indexes exist since migration 0001.\n${USAGE}`);
  process.exit(2);
}
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const WITHOUT_RESULT_INDEXES = args.includes("--without-result-indexes");
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

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "timeline-bench-"));
  const target = await migratePortal({ root: path.resolve(__dirname, ".."), dir, url: undefined });
  if (target.dialect !== "sqlite") throw new Error("unreachable: the bench runs on SQLite");
  const file = target.file;
  const db = openPortalDb(target);
  if (WITHOUT_RESULT_INDEXES) await db.exec("DROP INDEX events_kind_result_at; DROP INDEX events_result_at");
  const t0 = Date.now();
  await fillSyntheticEvents(db, N, { now: NOW });
  await db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  console.log(`filled ${N} events in ${((Date.now() - t0) / 1000).toFixed(1)} s; database ${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MiB\n`);

  const page = (filters: TimelineFilters, cursor?: TimelinePage["cursor"]): TimelinePage => ({ filters, cursor, limit: 50 });
  const mid = (await db.get<{ at: number; id: number }>(sql`SELECT at, id FROM events WHERE id = ${Math.floor(N / 2)}`))!;
  const hour = { from: START + 10 * DAY, to: START + 10 * DAY + 3_600_000 };
  const cases: [string, TimelineFilters, TimelinePage["cursor"]?][] = [
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
  const table: string[] = ["| query | median of 7 | rows | plan |", "|---|---|---|---|"];
  for (const [name, f, cursor] of cases) {
    const r = await time(() => listTimeline(db, page(f, cursor)));
    table.push(`| ${name} | ${r.ms.toFixed(2)} ms | ${r.value.rows.length} | ${await plan(db, f, cursor)} |`);
  }
  for (const [name, range, user] of [
    ["chart, 30 days (daily buckets)", { start: NOW - 30 * DAY, end: NOW }, undefined],
    ["chart, 24 hours (hourly buckets)", { start: NOW - DAY, end: NOW }, undefined],
    ["chart, 30 days, one user", { start: NOW - 30 * DAY, end: NOW }, "user00042@corp.local"],
  ] as const) {
    const p = planBuckets(range);
    const r = await time(() => authBuckets(db, p, user), 3);
    const total = r.value.reduce((n, b) => n + b.success + b.failure, 0);
    const explain = `EXPLAIN QUERY PLAN SELECT count(*) FROM events WHERE ${user ? `"user" = 'x' AND +kind = 'validation' AND +result` : "kind = 'validation' AND result"} = 'failure' AND at >= 0 AND at < 1`;
    const how = (await db.all<{ detail: string }>(sql.raw(explain))).map((x) => x.detail).join("; ");
    table.push(`| ${name} | ${r.ms.toFixed(1)} ms | ${p.count} buckets, ${total} validations | ${how} |`);
  }
  console.log(table.join("\n"));

  const exp = await exportAll(db);
  console.log(
    `\nCSV export: ${exp.rows} rows, ${exp.mib.toFixed(0)} MiB in ${exp.s.toFixed(1)} s = ${Math.round(exp.rows / exp.s)} rows/s; peak RSS +${exp.rssDelta.toFixed(0)} MiB`,
  );

  // Ingestion: 20 pages of 1 000 simulator events from an in-memory fake, as one page view would.
  let next = 10_000_000;
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
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
