import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import type { SimDb } from "./db";
import { events } from "./db/schema";
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

export function makeEventLog(db: SimDb) {
  // A raw statement: this runs inside every validation.
  const insert = db.$client.prepare(
    `INSERT INTO events (at, type, user, serial, result, code, reason, client_ip, detail)
     VALUES (@at, @type, @user, @serial, @result, @code, @reason, @clientIp, @detail)`,
  );

  return {
    record(e: EventInput, at = Date.now()): void {
      insert.run({
        at,
        type: e.type,
        user: e.user ?? null,
        serial: e.serial ?? null,
        result: e.result,
        code: e.code ?? null,
        reason: e.reason ?? null,
        clientIp: e.clientIp ?? null,
        detail: e.detail ? JSON.stringify(e.detail) : null,
      });
    },

    /** Oldest first from `after` (an event id), so a reader can follow the log with the last id it saw. */
    list(q: EventQuery): EventsPage {
      const where: SQL[] = [];
      if (q.after !== undefined) where.push(gt(events.id, q.after));
      if (q.user) where.push(eq(events.user, q.user.toLowerCase()));
      if (q.type) where.push(eq(events.type, q.type));
      const rows = db
        .select()
        .from(events)
        .where(where.length ? and(...where) : undefined)
        .orderBy(asc(events.id))
        .limit(q.limit + 1)
        .all();
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
          detail: (r.detail as Record<string, unknown> | null) ?? null,
        })),
        nextCursor: rows.length > q.limit ? String(page[page.length - 1].id) : null,
      };
    },
  };
}

export type EventLog = ReturnType<typeof makeEventLog>;
