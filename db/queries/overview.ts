import { sql } from "@/lib/runtime/sql";
import type { PortalDb } from "../index";

// Figures for the admin overview that the timeline's queries do not already give.

/** Portal sign-in events in [start, end) by result: one range of the (kind, result, at) index each. */
export async function signInCounts(db: PortalDb, range: { start: number; end: number }): Promise<{ success: number; failure: number }> {
  const rows = await db.all<{ result: string; n: number }>(sql`
    SELECT result, count(*) AS n FROM events
    WHERE kind = 'sign-in' AND at >= ${range.start} AND at < ${range.end}
    GROUP BY result`);
  const of = (result: string) => rows.find((r) => r.result === result)?.n ?? 0;
  return { success: of("success"), failure: of("failure") };
}
