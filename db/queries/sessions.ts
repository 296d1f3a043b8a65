import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull, ne } from "drizzle-orm";
import type { SessionMfa } from "@/lib/auth/session-rules";
import type { PortalDb } from "../index";
import { portalSessions } from "../schema";

// Server-side sessions. The cookie holds a random id; the database holds its SHA-256, so neither a
// copy of the database nor of the logs gives anyone a usable cookie.

export type SessionRow = typeof portalSessions.$inferSelect;

const key = (sid: string) => createHash("sha256").update(sid).digest("hex");

export interface NewSession {
  upn: string;
  mfa: SessionMfa;
  isAdmin: boolean;
  fingerprint: string;
  maxAgeMs: number;
  stepUpAt?: number | null;
}

/** Opens a session and returns the id the cookie carries. */
export async function createSession(db: PortalDb, s: NewSession, now = Date.now()): Promise<string> {
  const sid = randomBytes(32).toString("base64url");
  await db
    .insert(portalSessions)
    .values({
      id: key(sid),
      upn: s.upn.toLowerCase(),
      mfa: s.mfa,
      isAdmin: s.isAdmin,
      createdAt: now,
      expiresAt: now + s.maxAgeMs,
      checkedAt: now,
      fingerprint: s.fingerprint,
      stepUpAt: s.stepUpAt ?? null,
    });
  return sid;
}

/** The session behind `sid` while it is open and unexpired, else null. */
export async function openSession(db: PortalDb, sid: string, now = Date.now()): Promise<SessionRow | null> {
  const [row] = await db.select().from(portalSessions).where(eq(portalSessions.id, key(sid)));
  return row && row.endedAt === null && row.expiresAt > now ? row : null;
}

export async function endSession(db: PortalDb, sid: string, reason: string, now = Date.now()): Promise<void> {
  await db
    .update(portalSessions)
    .set({ endedAt: now, endReason: reason })
    .where(and(eq(portalSessions.id, key(sid)), isNull(portalSessions.endedAt)));
}

/** Ends every open session of `upn` except `keepSid` (the one making the change, if it is theirs). */
export async function endUserSessions(db: PortalDb, upn: string, reason: string, keepSid?: string, now = Date.now()): Promise<number> {
  const mine = and(eq(portalSessions.upn, upn.toLowerCase()), isNull(portalSessions.endedAt));
  const ended = await db
    .update(portalSessions)
    .set({ endedAt: now, endReason: reason })
    .where(keepSid ? and(mine, ne(portalSessions.id, key(keepSid))) : mine)
    .returning({ id: portalSessions.id });
  return ended.length;
}

/** What the last look at SafeNet found. */
export async function markChecked(db: PortalDb, sid: string, seen: { fingerprint: string; isAdmin: boolean }, now = Date.now()): Promise<void> {
  await db
    .update(portalSessions)
    .set({ checkedAt: now, fingerprint: seen.fingerprint, isAdmin: seen.isAdmin })
    .where(eq(portalSessions.id, key(sid)));
}

/** A password-only session whose token was just activated must pass PIN + OTP before it goes on. */
export async function requireOtp(db: PortalDb, sid: string, maxAgeMs: number, now = Date.now()): Promise<void> {
  await db
    .update(portalSessions)
    .set({ mfa: "pending", expiresAt: now + maxAgeMs })
    .where(and(eq(portalSessions.id, key(sid)), isNull(portalSessions.endedAt)));
}

export async function markSteppedUp(db: PortalDb, sid: string, now = Date.now()): Promise<void> {
  await db.update(portalSessions).set({ stepUpAt: now }).where(eq(portalSessions.id, key(sid)));
}
