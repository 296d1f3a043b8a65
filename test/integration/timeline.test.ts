import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import type { PortalDb } from "../../db/index";
import { recordEvent } from "../../db/queries/events";
import { authBuckets, authBucketsFromEvents, CURSOR_SETTING, ingestSafeNetEvents, listTimeline, recountValidationHours, safenetCursor, timelineBatches, timelineSql } from "../../db/queries/timeline";
import { planBuckets } from "../../lib/events/chart";
import { decodeCursor, type TimelineCursor } from "../../lib/events/cursor";
import type { TimelineRecord } from "../../lib/events/record";
import type { TimelineFilters } from "../../lib/events/filters";
import type { SafeNetEventLike } from "../../lib/events/safenet";
import { sql } from "../../lib/runtime/sql";
import { SafeNetError } from "../../lib/safenet/contract";
import { portalDbPerSuite, portalDialects } from "./support/portal-db";

// The timeline's queries and the SafeNet ingestion against a migrated portal database: SQLite in a
// temp DATA_DIR and, with TEST_POSTGRES_URL, a fresh PostgreSQL database.

const T0 = Date.UTC(2026, 10, 28, 10, 0);
const MIN = 60_000;

describe.each(portalDialects())("timeline (%s)", (dialect) => {
  const suite = portalDbPerSuite(dialect, ["events", "validation_hours"]);
  let db: PortalDb;

  beforeEach(async () => {
    db = suite.db;
    await db.run(sql`DELETE FROM settings WHERE key = ${CURSOR_SETTING}`);
  });

  function simEvent(id: number, over: Partial<SafeNetEventLike> = {}): SafeNetEventLike {
    return {
      id, at: new Date(T0 + id * MIN).toISOString(), type: "auth", user: "alice@corp.local", serial: "00AA", result: "success",
      code: 1, reason: null, clientIp: "10.0.0.1", detail: null, ...over,
    };
  }

  /** A fake TMS events endpoint over `log`, oldest first after `after`, like the simulator's. */
  function fakeEvents(log: SafeNetEventLike[]) {
    const calls: number[] = [];
    const fetchPage = async (after: number, limit: number) => {
      calls.push(after);
      await new Promise((r) => setTimeout(r, 1));
      const rest = log.filter((e) => e.id > after);
      const events = rest.slice(0, limit);
      return { events, nextCursor: rest.length > limit ? String(events[events.length - 1].id) : null };
    };
    return { fetchPage, calls };
  }

  async function insertRaw(rows: { at: number; user?: string; kind?: string; result?: string; source?: string }[]) {
    await db.transaction(async (tx) => {
      for (const r of rows) {
        await tx.run(sql`INSERT INTO events (at, source, type, kind, "user", result)
          VALUES (${r.at}, ${r.source ?? "portal"}, ${`${r.kind ?? "admin"}.x`}, ${r.kind ?? "admin"}, ${r.user ?? null}, ${r.result ?? "success"})`);
      }
    });
  }

  async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  }

  async function allPages(filters: TimelineFilters, limit: number) {
    const seen: number[] = [];
    let cursor: TimelineCursor | undefined;
    for (let guard = 0; guard < 1000; guard++) {
      const page = await listTimeline(db, { filters, cursor, limit });
      seen.push(...page.rows.map((r) => r.id));
      if (!page.nextCursor) return seen;
      cursor = decodeCursor(page.nextCursor)!;
    }
    throw new Error("paging did not end");
  }

  describe("ingestSafeNetEvents", () => {
    it("copies the simulator's events in with their kind, and stores the cursor as a settings row", async () => {
      const log = [simEvent(1), simEvent(2, { type: "token.suspend", result: "success", code: null }), simEvent(3, { type: "policy.changed", user: null })];
      const result = await ingestSafeNetEvents(db, fakeEvents(log).fetchPage);
      expect(result).toEqual({ inserted: 3, pages: 1, complete: true });
      const rows = await db.all(sql`SELECT source, remote_id AS "remoteId", kind, at FROM events ORDER BY remote_id`);
      expect(rows).toEqual([
        { source: "safenet", remoteId: 1, kind: "validation", at: T0 + MIN },
        { source: "safenet", remoteId: 2, kind: "token", at: T0 + 2 * MIN },
        { source: "safenet", remoteId: 3, kind: "policy", at: T0 + 3 * MIN },
      ]);
      expect((await safenetCursor(db))).toBe(3);
      expect(await db.get(sql`SELECT value FROM settings WHERE key = ${CURSOR_SETTING}`)).toEqual({ value: "3" });
    });

    it("continues from the stored cursor and pages until the simulator has no more", async () => {
      const log = Array.from({ length: 27 }, (_, i) => simEvent(i + 1));
      const fake = fakeEvents(log.slice(0, 5));
      await ingestSafeNetEvents(db, fake.fetchPage);
      const more = fakeEvents(log);
      const result = await ingestSafeNetEvents(db, more.fetchPage, { pageSize: 10 });
      expect(more.calls).toEqual([5, 15, 25]);
      expect(result).toMatchObject({ inserted: 22, pages: 3, complete: true });
      expect(await db.get(sql`SELECT count(*) AS n FROM events`)).toEqual({ n: 27 });
    });

    it("stops after the page bound, leaving the rest for the next view", async () => {
      const log = Array.from({ length: 50 }, (_, i) => simEvent(i + 1));
      const result = await ingestSafeNetEvents(db, fakeEvents(log).fetchPage, { pageSize: 10, maxPages: 2 });
      expect(result).toMatchObject({ inserted: 20, pages: 2, complete: false });
      expect((await safenetCursor(db))).toBe(20);
    });

    it("never duplicates an event when two ingestions race from the same cursor", async () => {
      const log = Array.from({ length: 30 }, (_, i) => simEvent(i + 1));
      const [a, b] = await Promise.all([
        ingestSafeNetEvents(db, fakeEvents(log).fetchPage, { pageSize: 7 }),
        ingestSafeNetEvents(db, fakeEvents(log).fetchPage, { pageSize: 7 }),
      ]);
      expect(a.inserted + b.inserted).toBe(30);
      expect(await db.get(sql`SELECT count(*) AS n, count(DISTINCT remote_id) AS d FROM events`)).toEqual({ n: 30, d: 30 });
      expect((await safenetCursor(db))).toBe(30);
    });

    it("reports an unreachable SafeNet and keeps what is stored and the cursor", async () => {
      await ingestSafeNetEvents(db, fakeEvents([simEvent(1), simEvent(2)]).fetchPage);
      const down = async () => {
        throw new SafeNetError(503, "unreachable", "SafeNet cannot be reached.");
      };
      const result = await ingestSafeNetEvents(db, down);
      expect(result.error).toBeInstanceOf(SafeNetError);
      expect(result).toMatchObject({ inserted: 0, complete: false });
      expect((await safenetCursor(db))).toBe(2);
      expect((await listTimeline(db, { filters: {}, limit: 10 })).rows).toHaveLength(2);
    });

    it("never moves the cursor back", async () => {
      await ingestSafeNetEvents(db, fakeEvents([simEvent(10)]).fetchPage);
      await db.run(sql`DELETE FROM events`);
      // A stale reader that still sees the old cursor writes older ids: they go in, the cursor stays.
      await ingestSafeNetEvents(db, async () => ({ events: [simEvent(4)], nextCursor: null }));
      expect((await safenetCursor(db))).toBe(10);
    });
  });

  describe("listTimeline", () => {
    it("merges portal and SafeNet events newest first", async () => {
      await ingestSafeNetEvents(db, fakeEvents([simEvent(1), simEvent(3)]).fetchPage);
      await recordEvent(db, { type: "settings.saved", kind: "settings", actor: "bob@corp.local", result: "success" });
      const rows = (await listTimeline(db, { filters: {}, limit: 10 })).rows;
      expect(rows.map((r) => [r.source, r.type])).toEqual([
        ["portal", "settings.saved"],
        ["safenet", "auth"],
        ["safenet", "auth"],
      ]);
      expect(rows[1].at).toBeGreaterThan(rows[2].at);
    });

    it("pages by cursor through every row exactly once, also across rows with the same millisecond", async () => {
      await insertRaw(Array.from({ length: 53 }, (_, i) => ({ at: T0 + Math.floor(i / 4) })));
      const ids = await allPages({}, 5);
      expect(ids).toHaveLength(53);
      expect(new Set(ids).size).toBe(53);
      const rows = await db.all<{ id: number }>(sql`SELECT id FROM events ORDER BY at DESC, id DESC`);
      expect(ids).toEqual(rows.map((r) => r.id));
    });

    it("filters by user, kind, result and a time range, in any combination", async () => {
      await insertRaw([
        { at: T0, user: "alice@corp.local", kind: "validation", result: "success" },
        { at: T0 + MIN, user: "alice@corp.local", kind: "validation", result: "failure" },
        { at: T0 + 2 * MIN, user: "bob@corp.local", kind: "validation", result: "failure" },
        { at: T0 + 3 * MIN, user: "alice@corp.local", kind: "sign-in", result: "failure" },
        { at: T0 + 4 * MIN, user: "bob@corp.local", kind: "token", result: "success" },
      ]);
      const ats = async (filters: TimelineFilters) => (await listTimeline(db, { filters, limit: 50 })).rows.map((r) => (r.at - T0) / MIN);
      expect(await ats({ user: "alice@corp.local" })).toEqual([3, 1, 0]);
      expect(await ats({ result: "failure" })).toEqual([3, 2, 1]);
      expect(await ats({ kind: "validation", result: "failure" })).toEqual([2, 1]);
      expect(await ats({ user: "alice@corp.local", kind: "validation" })).toEqual([1, 0]);
      expect(await ats({ from: T0 + MIN, to: T0 + 3 * MIN })).toEqual([2, 1]);
      expect(await ats({ user: "bob@corp.local", result: "failure", from: T0, to: T0 + 5 * MIN })).toEqual([2]);
    });

    it.each<[string, TimelineFilters]>([
      ["no filter", {}],
      ["user", { user: "u" }],
      ["kind", { kind: "validation" }],
      ["result", { result: "failure" }],
      ["time range", { from: 1, to: 2 }],
      ["kind + result", { kind: "validation", result: "failure" }],
      ["user + kind", { user: "u", kind: "token" }],
      ["user + result", { user: "u", result: "failure" }],
      ["user + time range", { user: "u", from: 1, to: 2 }],
    ])("answers %s, first page and deeper, from an index in (at, id) order without sorting", async (_, filters) => {
      // SQLite's plans; PostgreSQL chooses from its statistics, which a test's few rows do not make realistic.
      if (dialect !== "sqlite") return;
      for (const cursor of [undefined, { at: 5, id: 5 }]) {
        const q = timelineSql(dialect, filters, cursor, 50);
        const plan = (await db.all<{ detail: string }>(sql`EXPLAIN QUERY PLAN ${q}`)).map((p) => p.detail).join("; ");
        expect(plan).toMatch(/USING (COVERING )?INDEX events_/);
        expect(plan).not.toMatch(/TEMP B-TREE/);
        if (filters.user) expect(plan).toContain("events_user_at");
        else if (filters.kind) expect(plan).toMatch(/events_kind_(result_)?at/);
      }
    });
  });

  describe("timelineBatches", () => {
    it("yields every matching row newest first, in batches of the asked size", async () => {
      await insertRaw(Array.from({ length: 23 }, (_, i) => ({ at: T0 + Math.floor(i / 3), result: i % 2 ? "failure" : "success" })));
      const batches: TimelineRecord[][] = await collect(timelineBatches(db, { result: "failure" }, 4));
      expect(batches.map((b) => b.length)).toEqual([4, 4, 3]);
      const rows = batches.flat();
      expect(rows.every((r) => r.result === "failure")).toBe(true);
      for (let i = 1; i < rows.length; i++) expect(rows[i - 1].at > rows[i].at || (rows[i - 1].at === rows[i].at && rows[i - 1].id > rows[i].id)).toBe(true);
    });

    it("leaves the connection free between batches", async () => {
      await insertRaw(Array.from({ length: 10 }, (_, i) => ({ at: T0 + i })));
      const it = timelineBatches(db, {}, 3);
      await it.next();
      await recordEvent(db, { type: "admin.write", kind: "admin", result: "success" });
      expect((await collect(it)).flat()).toHaveLength(7);
    });
  });

  describe("authBuckets", () => {
    /** SafeNet validations as ingestion copies them in (the hourly counts come with them). */
    async function ingestValidations(rows: { at: number; result: string; user?: string }[], firstId = 1) {
      const log = rows.map((r, i) => simEvent(firstId + i, { at: new Date(r.at).toISOString(), result: r.result, user: r.user ?? "a" }));
      const result = await ingestSafeNetEvents(db, fakeEvents(log).fetchPage, { pageSize: 500, maxPages: 1000, budgetMs: 60_000 });
      expect(result.error).toBeUndefined();
    }

    async function hourlyCounts() {
      return (await db.all<{ hour: number | string; result: string; count: number | string }>(sql`SELECT hour, result, count FROM validation_hours ORDER BY hour, result`)).map(
        (r) => `${Number(r.hour)} ${r.result} ${Number(r.count)}`,
      );
    }

    async function countedFromEvents() {
      return (
        await db.all<{ hour: number | string; result: string; count: number | string }>(
          sql`SELECT at - at % 3600000 AS hour, result, count(*) AS count FROM events WHERE kind = 'validation' GROUP BY at - at % 3600000, result ORDER BY 1, 2`,
        )
      ).map((r) => `${Number(r.hour)} ${r.result} ${Number(r.count)}`);
    }

    it("counts successful and failed validations per bucket, and nothing else", async () => {
      const at = (h: number) => T0 + h * 3_600_000 + 1;
      await ingestValidations([
        { at: at(0), result: "success", user: "a" },
        { at: at(0), result: "success", user: "b" },
        { at: at(0), result: "failure", user: "a" },
        { at: at(0), result: "challenge", user: "a" },
        { at: at(2), result: "failure", user: "b" },
        { at: at(30), result: "failure", user: "b" },
      ]);
      await insertRaw([{ at: at(0), kind: "sign-in", result: "success", user: "a" }]);
      const plan = planBuckets({ start: T0, end: T0 + 24 * 3_600_000 });
      const buckets = await authBuckets(db, plan);
      expect(buckets).toHaveLength(24);
      expect(buckets[0]).toMatchObject({ start: T0, success: 2, failure: 1 });
      expect(buckets[2]).toMatchObject({ success: 0, failure: 1 });
      expect(buckets.reduce((n, b) => n + b.success + b.failure, 0)).toBe(4);
      expect((await authBuckets(db, plan, "a"))[0]).toMatchObject({ success: 1, failure: 1 });
      expect(await authBucketsFromEvents(db, plan)).toEqual(buckets);
    });

    it("keeps the hourly counts equal to the validations stored, with duplicates and two ingestions racing", async () => {
      const rows = Array.from({ length: 600 }, (_, i) => ({ at: T0 + ((i * 7_919_000) % (50 * 3_600_000)), result: ["success", "failure", "challenge"][i % 3] }));
      const log = rows.map((r, i) => simEvent(i + 1, { at: new Date(r.at).toISOString(), result: r.result }));
      // Tokens and directory events are not validations; the same page twice, and two ingestions at once.
      log.push(simEvent(601, { type: "token.lock" }), simEvent(602, { type: "user.create" }));
      await Promise.all([
        ingestSafeNetEvents(db, fakeEvents(log).fetchPage, { pageSize: 37, maxPages: 100, budgetMs: 60_000 }),
        ingestSafeNetEvents(db, fakeEvents(log).fetchPage, { pageSize: 53, maxPages: 100, budgetMs: 60_000 }),
      ]);
      await db.run(sql`DELETE FROM settings WHERE key = ${CURSOR_SETTING}`);
      await ingestSafeNetEvents(db, fakeEvents(log).fetchPage, { pageSize: 100, maxPages: 100, budgetMs: 60_000 });
      expect(await hourlyCounts()).toEqual(await countedFromEvents());
      expect((await countedFromEvents()).length).toBeGreaterThan(90);
    });

    it("gives the same chart from the hourly counts as from the events, for ranges at any minute", async () => {
      const H = 3_600_000;
      const rows = Array.from({ length: 1500 }, (_, i) => ({ at: T0 - 20 * 24 * H + ((i * 104_729 * 1013) % (45 * 24 * H)), result: i % 5 === 0 ? "failure" : "success" }));
      await ingestValidations(rows);
      const ranges = [
        { start: T0, end: T0 + 24 * H },
        { start: T0 + 23 * MIN, end: T0 + 24 * H + 23 * MIN },
        { start: T0 - 30 * 24 * H + 7 * MIN, end: T0 + 11 * H + 59 * MIN },
        { start: T0 - 19 * 24 * H - 1, end: T0 + 21 * 24 * H + 1 },
        { start: T0 + 5 * MIN, end: T0 + 2 * H + 10 * MIN },
        { start: T0 + 5 * MIN, end: T0 + 55 * MIN },
        { start: T0 - 3 * 24 * H + 17 * MIN, end: T0 + 4 * 24 * H + 3 * MIN },
      ];
      for (const range of ranges) {
        const plan = planBuckets(range);
        const buckets = await authBuckets(db, plan);
        expect(buckets, JSON.stringify(range)).toEqual(await authBucketsFromEvents(db, plan));
      }
      const all = await authBuckets(db, planBuckets({ start: T0 - 21 * 24 * H, end: T0 + 26 * 24 * H }));
      expect(all.reduce((n, b) => n + b.success + b.failure, 0)).toBe(rows.length);
    });

    it("the migration that made the hourly counts fills them from the validations already stored", async () => {
      await ingestValidations(Array.from({ length: 300 }, (_, i) => ({ at: T0 + i * 11 * MIN, result: i % 4 ? "success" : "failure" })));
      await insertRaw([{ at: T0, kind: "sign-in", result: "success" }]);
      const kept = await hourlyCounts();
      await db.run(sql`DELETE FROM validation_hours`);
      const dir = dialect === "postgres" ? "db/migrations-pg" : "db/migrations";
      const file = fs.readdirSync(dir).find((f) => f.endsWith("_validation_hours.sql"))!;
      const backfill = fs.readFileSync(path.join(dir, file), "utf8").split("--> statement-breakpoint").pop()!;
      await db.exec(backfill);
      expect(await hourlyCounts()).toEqual(kept);
      // And the recount the benchmarks use after writing events directly.
      await recountValidationHours(db);
      expect(await hourlyCounts()).toEqual(kept);
      expect(kept.length).toBeGreaterThan(40);
    });
  });
});
