import type Database from "better-sqlite3";
import { bucketSpans, type Bucket, type BucketPlan } from "../../lib/events/chart";
import { encodeCursor, type TimelineCursor } from "../../lib/events/cursor";
import type { TimelineFilters, TimelinePage } from "../../lib/events/filters";
import { PORTAL_KINDS } from "../../lib/events/kinds";
import type { TimelineRecord } from "../../lib/events/record";
import { fromSafeNetEvent, type SafeNetEventLike } from "../../lib/events/safenet";
import type { PortalDb } from "../index";
import type { EventKind } from "./events";

// The one timeline: keyset pages (never OFFSET) newest first on (at, id), the same filters for the
// CSV export's batches, the authentication chart's buckets, and copying the simulator's events in.
// Raw prepared statements: each filter combination is one plan that an index answers.

// Fails to compile when recordEvent gains a kind that the timeline's filter does not offer.
type OnTimeline<K extends (typeof PORTAL_KINDS)[number]> = K;
export type PortalKindOnTimeline = OnTimeline<EventKind>;

export const CURSOR_SETTING = "safenet_events_cursor";
const COLUMNS = "id, at, source, remote_id AS remoteId, type, kind, actor, user, serial, result, code, reason, client_ip AS clientIp, detail";

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function prepare(db: PortalDb, sql: string): Database.Statement {
  let cache = statements.get(db.$client);
  if (!cache) statements.set(db.$client, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.$client.prepare(sql)));
  return stmt;
}

/** The WHERE clause and its parameters for the filters and, when paging, the rows older than `cursor`. */
export function timelineWhere(f: TimelineFilters, cursor?: TimelineCursor): { sql: string; params: Record<string, string | number> } {
  const terms: string[] = [];
  const params: Record<string, string | number> = {};
  const add = (term: string, key: string, value: string | number | undefined) => {
    if (value === undefined) return;
    terms.push(term);
    params[key] = value;
  };
  // With a user, `+` keeps the planner on (user, at): one user's events are far fewer than one kind's or result's.
  const noIndex = f.user !== undefined ? "+" : "";
  add("user = @user", "user", f.user);
  add(`${noIndex}kind = @kind`, "kind", f.kind);
  add(`${noIndex}result = @result`, "result", f.result);
  add("at >= @from", "from", f.from);
  add("at < @to", "to", f.to);
  if (cursor) {
    // `at <= x` is the index range; the OR only skips the few rows sharing the cursor's millisecond.
    terms.push("at <= @cursorAt AND (at < @cursorAt OR id < @cursorId)");
    params.cursorAt = cursor.at;
    params.cursorId = cursor.id;
  }
  return { sql: terms.length ? `WHERE ${terms.join(" AND ")}` : "", params };
}

export function timelineSql(f: TimelineFilters, cursor?: TimelineCursor) {
  const where = timelineWhere(f, cursor);
  return { sql: `SELECT ${COLUMNS} FROM events ${where.sql} ORDER BY at DESC, id DESC LIMIT @limit`, params: where.params };
}

export interface TimelineResultPage {
  rows: TimelineRecord[];
  /** The cursor for the next older page, or null on the last page. */
  nextCursor: string | null;
}

export async function listTimeline(db: PortalDb, page: TimelinePage): Promise<TimelineResultPage> {
  const q = timelineSql(page.filters, page.cursor);
  const rows = prepare(db, q.sql).all({ ...q.params, limit: page.limit + 1 }) as TimelineRecord[];
  const more = rows.length > page.limit;
  if (more) rows.pop();
  const last = rows.at(-1);
  return { rows, nextCursor: more && last ? encodeCursor(last) : null };
}

/**
 * Every matching row, newest first, in batches of `batchSize`. Each batch is its own keyset query
 * read to the end, so no statement stays open on the shared connection between batches (a slow
 * download never blocks other requests or holds a read snapshot).
 */
export async function* timelineBatches(db: PortalDb, filters: TimelineFilters, batchSize = 2_000): AsyncGenerator<TimelineRecord[]> {
  let cursor: TimelineCursor | undefined;
  for (;;) {
    const q = timelineSql(filters, cursor);
    const batch: TimelineRecord[] = [];
    for (const row of prepare(db, q.sql).iterate({ ...q.params, limit: batchSize })) batch.push(row as TimelineRecord);
    if (batch.length) yield batch;
    if (batch.length < batchSize) return;
    cursor = batch[batch.length - 1];
  }
}

/**
 * Successful and failed SafeNet validations per bucket of `plan`. Portal sign-in events are left
 * out: each OTP sign-in already reaches the simulator as a validation, so counting both would double it.
 */
export async function authBuckets(db: PortalDb, plan: BucketPlan, user?: string): Promise<Bucket[]> {
  // One count per bucket and result: an index range each, and index-only once (kind, result, at) exists.
  const count = (result: string) =>
    user !== undefined
      ? `(SELECT count(*) FROM events WHERE user = @user AND +kind = 'validation' AND +result = '${result}' AND at >= @start AND at < @end)`
      : `(SELECT count(*) FROM events WHERE kind = 'validation' AND result = '${result}' AND at >= @start AND at < @end)`;
  const stmt = prepare(db, `SELECT ${count("success")} AS success, ${count("failure")} AS failure`);
  return bucketSpans(plan).map((span) => ({ ...span, ...(stmt.get({ ...span, ...(user !== undefined && { user }) }) as { success: number; failure: number }) }));
}

export async function safenetCursor(db: PortalDb): Promise<number> {
  const row = prepare(db, "SELECT value FROM settings WHERE key = ?").get(CURSOR_SETTING) as { value: string } | undefined;
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

type FetchPage = (after: number, limit: number) => Promise<{ events: SafeNetEventLike[]; nextCursor: string | null }>;

/**
 * Copies the simulator's new events in from the stored cursor. Each page goes in with the cursor in
 * one transaction; duplicates (two ingestions racing) are ignored on (source, remote_id) and the
 * cursor only ever moves forward.
 */
export async function ingestSafeNetEvents(db: PortalDb, fetchPage: FetchPage, options: IngestOptions = {}): Promise<IngestResult> {
  const { maxPages = 20, pageSize = 1_000, budgetMs = 4_000, now = Date.now } = options;
  const insert = prepare(
    db,
    `INSERT INTO events (at, source, remote_id, type, kind, user, serial, result, code, reason, client_ip, detail)
     VALUES (@at, 'safenet', @remoteId, @type, @kind, @user, @serial, @result, @code, @reason, @clientIp, @detail)
     ON CONFLICT (source, remote_id) DO NOTHING`,
  );
  const saveCursor = prepare(
    db,
    `INSERT INTO settings (key, value, updated_at, updated_by) VALUES (@key, @value, @at, 'safenet-ingestion')
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by
     WHERE CAST(settings.value AS INTEGER) < CAST(excluded.value AS INTEGER)`,
  );
  const store = db.$client.transaction((events: SafeNetEventLike[], receivedAt: number) => {
    let inserted = 0;
    let last = 0;
    for (const e of events) {
      inserted += insert.run(fromSafeNetEvent(e, receivedAt)).changes;
      last = Math.max(last, e.id);
    }
    if (last > 0) saveCursor.run({ key: CURSOR_SETTING, value: JSON.stringify(last), at: receivedAt });
    return inserted;
  });

  const started = now();
  const result: IngestResult = { inserted: 0, pages: 0, complete: false };
  let after = await safenetCursor(db);
  try {
    while (result.pages < maxPages && (result.pages === 0 || now() - started < budgetMs)) {
      const page = await fetchPage(after, pageSize);
      result.pages += 1;
      result.inserted += store(page.events, now());
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
