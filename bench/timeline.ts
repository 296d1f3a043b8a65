import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { migratePortal } from "../db/migrate";
import { openPortalDb, type PortalDb } from "../db/index";
import { authBuckets, ingestSafeNetEvents, listTimeline, timelineBatches, timelineSql } from "../db/queries/timeline";
import { planBuckets } from "../lib/events/chart";
import { sql, type Fragment } from "../lib/runtime/sql";
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
const USERS = 2_000;

// A fixed-seed generator, so two runs fill the same database.
let seed = 42;
const rand = () => {
  // mulberry32: consecutive draws are independent enough that users, kinds and results mix.
  let t = (seed = (seed + 0x6d2b79f5) | 0);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};
const pick = <T>(weighted: [T, number][]): T => {
  let r = rand();
  for (const [v, w] of weighted) if ((r -= w) < 0) return v;
  return weighted[weighted.length - 1][0];
};

async function fill(db: PortalDb) {
  const row = (...values: unknown[]) => sql`(${sql.join(values)})`;
  const make = (i: number): Fragment => {
    const at = START + Math.floor((i / N) * 30 * DAY + rand() * 1000);
    const user = `user${String(Math.floor(rand() * rand() * USERS)).padStart(5, "0")}@corp.local`;
    const kind = pick<string>([["validation", 0.7], ["sign-in", 0.12], ["token", 0.08], ["directory", 0.06], ["decision", 0.03], ["admin", 0.01]]);
    const ip = `10.0.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}`;
    if (kind === "validation") {
      const result = pick([["success", 0.85], ["failure", 0.14], ["challenge", 0.01]]);
      const code = result === "success" ? 1 : result === "failure" ? 0 : 5;
      const reason = result === "failure" ? pick([["wrong_otp", 0.6], ["wrong_pin", 0.3], ["locked", 0.1]]) : null;
      return row(i + 1, at, "safenet", i + 1, "auth", kind, null, user, "0123456789ABCDEF", result, code, reason, ip, null);
    }
    if (kind === "token" || kind === "directory") {
      const type = kind === "token" ? pick([["token.provisioned", 0.5], ["token.suspend", 0.2], ["token.unlock", 0.3]]) : "directory.authenticate";
      return row(i + 1, at, "safenet", i + 1, type, kind, null, user, null, "success", null, null, null, JSON.stringify({ otpMode: "event" }));
    }
    const result = pick([["success", 0.9], ["failure", 0.1]]);
    return row(i + 1, at, "portal", null, `${kind}.event`, kind, "admin@corp.local", user, null, result, null, null, ip, JSON.stringify({ note: "bench" }));
  };
  for (let from = 0; from < N; from += 50_000) {
    const to = Math.min(N, from + 50_000);
    await db.transaction(async (tx) => {
      for (let i = from; i < to; i += 500) {
        const rows = Array.from({ length: Math.min(500, to - i) }, (_, k) => make(i + k));
        await tx.run(sql`INSERT INTO events (id, at, source, remote_id, type, kind, actor, "user", serial, result, code, reason, client_ip, detail)
          VALUES ${sql.join(rows)}`);
      }
    });
  }
}

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
  await fill(db);
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
