import { createHash, randomBytes } from "node:crypto";
import type { SessionMfa } from "@/lib/auth/session-rules";
import { sql } from "@/lib/runtime/sql";
import type { PortalDb } from "../index";

// Server-side sessions. The cookie holds a random id; the database holds its SHA-256, so neither a
// copy of the database nor of the logs gives anyone a usable cookie. Every request reads its row,
// and every change is one conditional UPDATE, so a session ended on one instance is over on all.

export interface SessionRow {
  id: string;
  upn: string;
  /** "pending": PIN + OTP due; "enroll": password only, no usable token; "done": password and PIN + OTP. */
  mfa: SessionMfa;
  isAdmin: boolean;
  createdAt: number;
  expiresAt: number;
  /** When the user's tokens and groups were last read from SafeNet, and what they were. */
  checkedAt: number;
  fingerprint: string;
  /** The last PIN + OTP this session passed (sign-in or step-up), for changes that need a recent one. */
  stepUpAt: number | null;
  endedAt: number | null;
  endReason: string | null;
}

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
  await db.run(sql`
    INSERT INTO portal_sessions (id, upn, mfa, is_admin, created_at, expires_at, checked_at, fingerprint, step_up_at)
    VALUES (${key(sid)}, ${s.upn.toLowerCase()}, ${s.mfa}, ${s.isAdmin ? 1 : 0}, ${now}, ${now + s.maxAgeMs}, ${now}, ${s.fingerprint}, ${s.stepUpAt ?? null})`);
  return sid;
}

/** The session behind `sid` while it is open and unexpired, else null. */
export async function openSession(db: PortalDb, sid: string, now = Date.now()): Promise<SessionRow | null> {
  const row = await db.get<Omit<SessionRow, "isAdmin"> & { isAdmin: number }>(sql`
    SELECT id, upn, mfa, is_admin AS "isAdmin", created_at AS "createdAt", expires_at AS "expiresAt", checked_at AS "checkedAt",
           fingerprint, step_up_at AS "stepUpAt", ended_at AS "endedAt", end_reason AS "endReason"
    FROM portal_sessions WHERE id = ${key(sid)}`);
  return row && row.endedAt === null && row.expiresAt > now ? { ...row, isAdmin: row.isAdmin === 1 } : null;
}

export async function endSession(db: PortalDb, sid: string, reason: string, now = Date.now()): Promise<void> {
  await db.run(sql`UPDATE portal_sessions SET ended_at = ${now}, end_reason = ${reason} WHERE id = ${key(sid)} AND ended_at IS NULL`);
}

/** Ends every open session of `upn` except `keepSid` (the one making the change, if it is theirs). */
export async function endUserSessions(db: PortalDb, upn: string, reason: string, keepSid?: string, now = Date.now()): Promise<number> {
  return db.run(sql`
    UPDATE portal_sessions SET ended_at = ${now}, end_reason = ${reason}
    WHERE upn = ${upn.toLowerCase()} AND ended_at IS NULL ${keepSid ? sql`AND id <> ${key(keepSid)}` : sql.empty}`);
}

/** What the last look at SafeNet found. */
export async function markChecked(db: PortalDb, sid: string, seen: { fingerprint: string; isAdmin: boolean }, now = Date.now()): Promise<void> {
  await db.run(sql`UPDATE portal_sessions SET checked_at = ${now}, fingerprint = ${seen.fingerprint}, is_admin = ${seen.isAdmin ? 1 : 0} WHERE id = ${key(sid)} AND ended_at IS NULL`);
}

/** A password-only session whose token was just activated must pass PIN + OTP before it goes on. */
export async function requireOtp(db: PortalDb, sid: string, maxAgeMs: number, now = Date.now()): Promise<void> {
  await db.run(sql`UPDATE portal_sessions SET mfa = 'pending', expires_at = ${now + maxAgeMs} WHERE id = ${key(sid)} AND ended_at IS NULL`);
}

export async function markSteppedUp(db: PortalDb, sid: string, now = Date.now()): Promise<void> {
  await db.run(sql`UPDATE portal_sessions SET step_up_at = ${now} WHERE id = ${key(sid)}`);
}
