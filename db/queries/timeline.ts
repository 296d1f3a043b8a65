import { bucketIndex, bucketSpans, hourOf, wholeHours, type Bucket, type BucketPlan } from "../../lib/events/chart";
import { encodeCursor, type TimelineCursor } from "../../lib/events/cursor";
import type { TimelineFilters, TimelinePage } from "../../lib/events/filters";
import { PORTAL_KINDS } from "../../lib/events/kinds";
import type { TimelineRecord } from "../../lib/events/record";
import { fromSafeNetEvent, type SafeNetEventLike } from "../../lib/events/safenet";
import { sql, type Dialect, type Fragment, type Sql } from "../../lib/runtime/sql";
import type { PortalDb } from "../index";
import type { EventKind } from "./events";

// The one timeline: keyset pages (never OFFSET) newest first on (at, id), the same filters for the
// CSV export's batches, the authentication chart's buckets, and copying the simulator's events in.
// Each filter combination is one statement shape that an index answers, on SQLite and PostgreSQL.

// Fails to compile when recordEvent gains a kind that the timeline's filter does not offer.
type OnTimeline<K extends (typeof PORTAL_KINDS)[number]> = K;
export type PortalKindOnTimeline = OnTimeline<EventKind>;

export const CURSOR_SETTING = "safenet_events_cursor";
const COLUMNS = sql`id, at, source, remote_id AS "remoteId", type, kind, actor, "user", serial, result, code, reason, client_ip AS "clientIp", detail`;

/**
 * SQLite's planner takes a unary `+` on a column as "not through an index on it": with a user,
 * that keeps it on (user, at), since one user's events are far fewer than one kind's or result's.
 * PostgreSQL's planner weighs that itself from its statistics (and has no `+` on text).
 */
const notIndexed = (dialect: Dialect, yes: boolean) => (yes && dialect === "sqlite" ? sql.raw("+") : sql.empty);

/** The WHERE clause for the filters and, when paging, the rows older than `cursor`. */
export function timelineWhere(dialect: Dialect, f: TimelineFilters, cursor?: TimelineCursor): Fragment {
  const terms: Fragment[] = [];
  const plus = notIndexed(dialect, f.user !== undefined);
  if (f.user !== undefined) terms.push(sql`"user" = ${f.user}`);
  if (f.kind !== undefined) terms.push(sql`${plus}kind = ${f.kind}`);
  if (f.result !== undefined) terms.push(sql`${plus}result = ${f.result}`);
  if (f.from !== undefined) terms.push(sql`at >= ${f.from}`);
  if (f.to !== undefined) terms.push(sql`at < ${f.to}`);
  // `at <= x` is the index range; the OR only skips the few rows sharing the cursor's millisecond.
  if (cursor) terms.push(sql`at <= ${cursor.at} AND (at < ${cursor.at} OR id < ${cursor.id})`);
  return terms.length ? sql`WHERE ${sql.join(terms, " AND ")}` : sql.empty;
}

/** One keyset page of the timeline, newest first. */
export function timelineSql(dialect: Dialect, f: TimelineFilters, cursor: TimelineCursor | undefined, limit: number): Fragment {
  return sql`SELECT ${COLUMNS} FROM events ${timelineWhere(dialect, f, cursor)} ORDER BY at DESC, id DESC LIMIT ${limit}`;
}

export interface TimelineResultPage {
  rows: TimelineRecord[];
  /** The cursor for the next older page, or null on the last page. */
  nextCursor: string | null;
}

export async function listTimeline(db: PortalDb, page: TimelinePage): Promise<TimelineResultPage> {
  const rows = await db.all<TimelineRecord>(timelineSql(db.dialect, page.filters, page.cursor, page.limit + 1));
  const more = rows.length > page.limit;
  if (more) rows.pop();
  const last = rows.at(-1);
  return { rows, nextCursor: more && last ? encodeCursor(last) : null };
}

/**
 * Every matching row, newest first, in batches of `batchSize`. Each batch is its own keyset query
 * read to the end, so no statement or transaction stays open between batches (a slow download
 * never blocks other requests, holds a pooled connection or a read snapshot), and at most one
 * batch is in memory.
 */
export async function* timelineBatches(db: PortalDb, filters: TimelineFilters, batchSize = 2_000): AsyncGenerator<TimelineRecord[]> {
  let cursor: TimelineCursor | undefined;
  for (;;) {
    const batch = await db.all<TimelineRecord>(timelineSql(db.dialect, filters, cursor, batchSize));
    if (batch.length) yield batch;
    if (batch.length < batchSize) return;
    cursor = batch[batch.length - 1];
  }
}

/** Adds the validations among `rows` (just inserted into events) to validation_hours, in the caller's transaction. */
async function countValidations(tx: Sql, rows: { at: number | string; kind: string; result: string }[]): Promise<void> {
  const counts = new Map<string, { hour: number; result: string; count: number }>();
  for (const r of rows) {
    if (r.kind !== "validation") continue;
    const hour = hourOf(Number(r.at));
    const key = `${hour} ${r.result}`;
    const entry = counts.get(key) ?? counts.set(key, { hour, result: r.result, count: 0 }).get(key)!;
    entry.count += 1;
  }
  if (!counts.size) return;
  await tx.run(sql`
    INSERT INTO validation_hours (hour, result, count)
    VALUES ${sql.join([...counts.values()].map((c) => sql`(${c.hour}, ${c.result}, ${c.count})`))}
    ON CONFLICT (hour, result) DO UPDATE SET count = validation_hours.count + excluded.count`);
}

/**
 * Counts validation_hours again from the events, for rows written into events by other means than
 * ingestion (the benchmarks' synthetic timeline). The same statement as the migration's backfill.
 */
export async function recountValidationHours(db: PortalDb): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run(sql`DELETE FROM validation_hours`);
    await tx.run(sql`
      INSERT INTO validation_hours (hour, result, count)
      SELECT at - at % 3600000, result, count(*) FROM events WHERE kind = 'validation' GROUP BY at - at % 3600000, result`);
  });
}

/**
 * Successful and failed SafeNet validations per bucket of `plan`. Portal sign-in events are left
 * out: each OTP sign-in already reaches the simulator as a validation, so counting both would double it.
 * Over all users with buckets of an hour or more, the whole hours come from validation_hours (one
 * query for the range) and only the range's unaligned ends, under an hour each, from the events.
 */
export async function authBuckets(db: PortalDb, plan: BucketPlan, user?: string): Promise<Bucket[]> {
  const whole = user === undefined ? wholeHours(plan) : null;
  if (!whole) return authBucketsFromEvents(db, plan, user);
  const buckets: Bucket[] = bucketSpans(plan).map((span) => ({ ...span, success: 0, failure: 0 }));
  const add = (at: number, result: string, n: number) => {
    if (result === "success" || result === "failure") buckets[bucketIndex(plan, at)][result] += n;
  };
  const hours = await db.all<{ hour: number | string; result: string; count: number | string }>(sql`
    SELECT hour, result, count FROM validation_hours
    WHERE hour >= ${whole.start} AND hour < ${whole.end} AND result IN ('success', 'failure')`);
  for (const h of hours) add(Number(h.hour), h.result, Number(h.count));
  // The range's ends inside an hour: [start, first whole hour) and [last whole hour, end).
  for (const edge of [{ start: plan.start, end: whole.start }, { start: whole.end, end: plan.end }]) {
    if (edge.start >= edge.end) continue;
    const row = await db.get<{ success: number | string; failure: number | string }>(sql`
      SELECT ${validationCount("success", edge)} AS success, ${validationCount("failure", edge)} AS failure`);
    add(edge.start, "success", Number(row?.success ?? 0));
    add(edge.start, "failure", Number(row?.failure ?? 0));
  }
  return buckets;
}

const validationCount = (result: "success" | "failure", span: { start: number; end: number }) =>
  sql`(SELECT count(*) FROM events WHERE kind = 'validation' AND result = ${sql.raw(`'${result}'`)} AND at >= ${span.start} AND at < ${span.end})`;

/** The same counts taken from the events alone, two index ranges per bucket: for one user, and for buckets under an hour. */
export async function authBucketsFromEvents(db: PortalDb, plan: BucketPlan, user?: string): Promise<Bucket[]> {
  // One count per bucket and result: an index range each, and index-only once (kind, result, at) exists.
  const plus = notIndexed(db.dialect, user !== undefined);
  const count = (result: "success" | "failure", span: { start: number; end: number }) =>
    user !== undefined
      ? sql`(SELECT count(*) FROM events WHERE "user" = ${user} AND ${plus}kind = 'validation' AND ${plus}result = ${sql.raw(`'${result}'`)} AND at >= ${span.start} AND at < ${span.end})`
      : validationCount(result, span);
  const buckets: Bucket[] = [];
  for (const span of bucketSpans(plan)) {
    const row = await db.get<{ success: number; failure: number }>(sql`SELECT ${count("success", span)} AS success, ${count("failure", span)} AS failure`);
    buckets.push({ ...span, success: row?.success ?? 0, failure: row?.failure ?? 0 });
  }
  return buckets;
}

export async function safenetCursor(db: PortalDb): Promise<number> {
  const row = await db.get<{ value: string }>(sql`SELECT value FROM settings WHERE key = ${CURSOR_SETTING}`);
  const n = row ? Number(JSON.parse(row.value)) : 0;
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

export interface IngestOptions {
  maxPages?: number;
  pageSize?: number;
  /** Stop fetching further pages after this long, so a page view never waits on a long backlog. */
  budgetMs?: number;
  now?: () => number;
}

export interface IngestResult {
  inserted: number;
  pages: number;
  /** False when the page or time bound stopped the copy before the simulator said it had no more. */
  complete: boolean;
  error?: unknown;
}

// Rows per INSERT: 12 parameters each stays well under either database's limit on parameters.
const INSERT_CHUNK = 500;

type FetchPage = (after: number, limit: number) => Promise<{ events: SafeNetEventLike[]; nextCursor: string | null }>;

/**
 * Copies the simulator's new events in from the stored cursor. Each page goes in with the cursor in
 * one transaction; duplicates (two ingestions racing) are ignored on (source, remote_id) and the
 * cursor only ever moves forward.
 */
export async function ingestSafeNetEvents(db: PortalDb, fetchPage: FetchPage, options: IngestOptions = {}): Promise<IngestResult> {
  const { maxPages = 20, pageSize = 1_000, budgetMs = 4_000, now = Date.now } = options;
  const store = (events: SafeNetEventLike[], receivedAt: number) =>
    db.transaction(async (tx) => {
      let inserted = 0;
      for (let i = 0; i < events.length; i += INSERT_CHUNK) {
        const rows = events.slice(i, i + INSERT_CHUNK).map((e) => {
          const r = fromSafeNetEvent(e, receivedAt);
          return sql`(${r.at}, 'safenet', ${r.remoteId}, ${r.type}, ${r.kind}, ${r.user}, ${r.serial}, ${r.result}, ${r.code}, ${r.reason}, ${r.clientIp}, ${r.detail})`;
        });
        // RETURNING gives the rows this insert added (not those another ingestion already had), and
        // their validations are counted in the same transaction.
        const added = await tx.all<{ at: number; kind: string; result: string }>(sql`
          INSERT INTO events (at, source, remote_id, type, kind, "user", serial, result, code, reason, client_ip, detail)
          VALUES ${sql.join(rows)}
          ON CONFLICT (source, remote_id) DO NOTHING
          RETURNING at, kind, result`);
        await countValidations(tx, added);
        inserted += added.length;
      }
      const last = Math.max(0, ...events.map((e) => e.id));
      if (last > 0) {
        await tx.run(sql`
          INSERT INTO settings (key, value, updated_at, updated_by) VALUES (${CURSOR_SETTING}, ${JSON.stringify(last)}, ${receivedAt}, 'safenet-ingestion')
          ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by
          WHERE CAST(settings.value AS BIGINT) < CAST(excluded.value AS BIGINT)`);
      }
      return inserted;
    });

  const started = now();
  const result: IngestResult = { inserted: 0, pages: 0, complete: false };
  let after = await safenetCursor(db);
  try {
    while (result.pages < maxPages && (result.pages === 0 || now() - started < budgetMs)) {
      const page = await fetchPage(after, pageSize);
      result.pages += 1;
      result.inserted += await store(page.events, now());
      if (page.nextCursor === null || page.events.length === 0) {
        result.complete = true;
        break;
      }
      after = Math.max(after, ...page.events.map((e) => e.id));
    }
  } catch (error) {
    result.error = error;
  }
  return result;
}
