import { eq, sql } from "drizzle-orm";
import { getDb } from "../index";
import { sessionVersions } from "../schema";

// A session carries the version current when it was issued; bumping the version ends the others.

export function sessionVersion(upn: string): number {
  const row = getDb().select().from(sessionVersions).where(eq(sessionVersions.upn, upn.toLowerCase())).get();
  return row?.version ?? 0;
}

/** Ends every session of `upn` issued before now; returns the new version. */
export function bumpSessionVersion(upn: string): number {
  return getDb()
    .insert(sessionVersions)
    .values({ upn: upn.toLowerCase(), version: 1 })
    .onConflictDoUpdate({ target: sessionVersions.upn, set: { version: sql`${sessionVersions.version} + 1` } })
    .returning()
    .get().version;
}
