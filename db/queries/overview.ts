import { and, count, eq, gte, lt } from "drizzle-orm";
import type { PortalDb } from "../index";
import { events } from "../schema";

// Figures for the admin overview that the timeline's queries do not already give.

/** Portal sign-in events in [start, end) by result: one range of the (kind, result, at) index each. */
export async function signInCounts(db: PortalDb, range: { start: number; end: number }): Promise<{ success: number; failure: number }> {
  const rows = await db
    .select({ result: events.result, n: count() })
    .from(events)
    .where(and(eq(events.kind, "sign-in"), gte(events.at, range.start), lt(events.at, range.end)))
    .groupBy(events.result);
  const of = (result: string) => rows.find((r) => r.result === result)?.n ?? 0;
  return { success: of("success"), failure: of("failure") };
}
