import { sql, type Sql } from "../lib/runtime/sql";
import type { EventResult, EventsPage } from "../lib/safenet/contract";

// Every validation and every token operation leaves one row here. Details never carry secrets.

export interface EventInput {
  type: string;
  user?: string | null;
  serial?: string | null;
  result: EventResult;
  code?: number | null;
  reason?: string | null;
  clientIp?: string | null;
  detail?: Record<string, unknown> | null;
}

export interface EventQuery {
  after?: number;
  user?: string;
  type?: string;
  limit: number;
}

interface EventRow {
  id: number;
  at: number;
  type: string;
  user: string | null;
  serial: string | null;
  result: EventResult;
  code: number | null;
  reason: string | null;
  clientIp: string | null;
  detail: string | null;
}

const EVENTS_LOCK = "safenet-events";

/** One row; inside a validation this is one statement of its transaction. */
export async function recordEvent(db: Sql, e: EventInput, at = Date.now()): Promise<void> {
  const [user, serial, code, reason, clientIp] = [e.user ?? null, e.serial ?? null, e.code ?? null, e.reason ?? null, e.clientIp ?? null];
  const detail = e.detail ? JSON.stringify(e.detail) : null;
  if (db.dialect === "sqlite") {
    // One writer at a time: ids are taken in commit order already.
    await db.run(sql`INSERT INTO events (at, type, "user", serial, result, code, reason, client_ip, detail)
      VALUES (${at}, ${e.type}, ${user}, ${serial}, ${e.result}, ${code}, ${reason}, ${clientIp}, ${detail})`);
    return;
  }
  // Several instances: a reader following the log by id must never see id n+1 before id n
  // commits, or it would step past n for good. The id is drawn under a lock held to the commit,
  // so ids commit in order (the lock is taken in the same statement, before the row exists).
  await db.run(sql`WITH turn AS (SELECT pg_advisory_xact_lock(hashtextextended(${EVENTS_LOCK}, 0)))
    INSERT INTO events (at, type, "user", serial, result, code, reason, client_ip, detail)
    SELECT ${at}::bigint, ${e.type}::text, ${user}::text, ${serial}::text, ${e.result}::text, ${code}::integer, ${reason}::text,
           ${clientIp}::text, ${detail}::text FROM turn`);
}

export function makeEventLog(db: Sql) {
  return {
    record: (e: EventInput, at = Date.now()) => recordEvent(db, e, at),

    /** Oldest first from `after` (an event id), so a reader can follow the log with the last id it saw. */
    async list(q: EventQuery): Promise<EventsPage> {
      const where = [
        q.after !== undefined ? sql`id > ${q.after}` : null,
        q.user ? sql`"user" = ${q.user.toLowerCase()}` : null,
        q.type ? sql`type = ${q.type}` : null,
      ].filter((c) => c !== null);
      const rows = await db.all<EventRow>(sql`
        SELECT id, at, type, "user", serial, result, code, reason, client_ip AS "clientIp", detail FROM events
        ${where.length ? sql`WHERE ${sql.join(where, " AND ")}` : sql.empty}
        ORDER BY id LIMIT ${q.limit + 1}`);
      const page = rows.slice(0, q.limit);
      return {
        events: page.map((r) => ({
          id: r.id,
          at: new Date(r.at).toISOString(),
          type: r.type,
          user: r.user,
          serial: r.serial,
          result: r.result,
          code: r.code,
          reason: r.reason,
          clientIp: r.clientIp,
          detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
        })),
        nextCursor: rows.length > q.limit ? String(page[page.length - 1].id) : null,
      };
    },
  };
}

export type EventLog = ReturnType<typeof makeEventLog>;
