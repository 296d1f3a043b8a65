import { sql } from "@/lib/runtime/sql";
import type { PortalDb } from "../index";

// Enrollment invitations. Only the SHA-256 of a link's token is ever stored or looked up; the
// checks that make a link single-use, expiring and withdrawable are in one conditional UPDATE
// each, so of two requests (in one process or on two instances) exactly one changes the row.

export interface InvitationRow {
  id: number;
  tokenHash: string;
  upn: string;
  /** The address the directory held when the invitation was mailed. */
  email: string;
  invitedBy: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  withdrawnAt: number | null;
  withdrawnBy: string | null;
}

export interface NewInvitation {
  tokenHash: string;
  upn: string;
  email: string;
  invitedBy: string;
  expiresAt: number;
}

const COLUMNS = sql`id, token_hash AS "tokenHash", upn, email, invited_by AS "invitedBy", created_at AS "createdAt",
  expires_at AS "expiresAt", used_at AS "usedAt", withdrawn_at AS "withdrawnAt", withdrawn_by AS "withdrawnBy"`;

const pending = (now: number) => sql`used_at IS NULL AND withdrawn_at IS NULL AND expires_at > ${now}`;

/** Records a new invitation and withdraws the user's older pending ones: one working link per user. */
export async function createInvitation(db: PortalDb, inv: NewInvitation, now = Date.now()): Promise<InvitationRow> {
  const upn = inv.upn.toLowerCase();
  return db.transaction(async (tx) => {
    // Two administrators inviting the same user at once on PostgreSQL: the second waits here, then
    // withdraws the first's invitation, so one link stays pending.
    await tx.lock(`portal:invite:${upn}`);
    await tx.run(sql`UPDATE invitations SET withdrawn_at = ${now}, withdrawn_by = ${inv.invitedBy} WHERE upn = ${upn} AND ${pending(now)}`);
    const row = await tx.get<InvitationRow>(sql`
      INSERT INTO invitations (token_hash, upn, email, invited_by, created_at, expires_at)
      VALUES (${inv.tokenHash}, ${upn}, ${inv.email}, ${inv.invitedBy}, ${now}, ${inv.expiresAt})
      RETURNING ${COLUMNS}`);
    if (!row) throw new Error("unreachable: INSERT … RETURNING gave no row");
    return row;
  });
}

export async function findInvitation(db: PortalDb, tokenHash: string): Promise<InvitationRow | null> {
  return (await db.get<InvitationRow>(sql`SELECT ${COLUMNS} FROM invitations WHERE token_hash = ${tokenHash}`)) ?? null;
}

/** Marks the invitation used by `upn`, once: null when it is not theirs, used, withdrawn or expired. */
export async function useInvitation(db: PortalDb, tokenHash: string, upn: string, now = Date.now()): Promise<InvitationRow | null> {
  const row = await db.get<InvitationRow>(sql`
    UPDATE invitations SET used_at = ${now}
    WHERE token_hash = ${tokenHash} AND upn = ${upn.toLowerCase()} AND ${pending(now)}
    RETURNING ${COLUMNS}`);
  return row ?? null;
}

/** Withdraws a pending invitation; null when it is no longer pending (used, expired, withdrawn) or unknown. */
export async function withdrawInvitation(db: PortalDb, id: number, by: string, now = Date.now()): Promise<InvitationRow | null> {
  const row = await db.get<InvitationRow>(sql`
    UPDATE invitations SET withdrawn_at = ${now}, withdrawn_by = ${by}
    WHERE id = ${id} AND ${pending(now)}
    RETURNING ${COLUMNS}`);
  return row ?? null;
}

/** A withdrawal that follows a failed send: the link never reached anyone. */
export async function discardInvitation(db: PortalDb, id: number): Promise<void> {
  await db.run(sql`DELETE FROM invitations WHERE id = ${id}`);
}

export async function hasPendingInvitation(db: PortalDb, upn: string, now = Date.now()): Promise<boolean> {
  const row = await db.get(sql`SELECT id FROM invitations WHERE upn = ${upn.toLowerCase()} AND ${pending(now)} LIMIT 1`);
  return Boolean(row);
}

/** The newest invitations, optionally only those sent before `before` (an id cursor). */
export async function listInvitations(db: PortalDb, q: { limit?: number; before?: number } = {}): Promise<InvitationRow[]> {
  return db.all<InvitationRow>(sql`
    SELECT ${COLUMNS} FROM invitations ${q.before ? sql`WHERE id < ${q.before}` : sql.empty}
    ORDER BY id DESC LIMIT ${q.limit ?? 100}`);
}

/** The invitations still waiting for their users: how many, and the newest few. */
export async function pendingInvitations(db: PortalDb, limit = 5, now = Date.now()): Promise<{ count: number; newest: InvitationRow[] }> {
  const counted = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM invitations WHERE ${pending(now)}`);
  const newest = await db.all<InvitationRow>(sql`SELECT ${COLUMNS} FROM invitations WHERE ${pending(now)} ORDER BY id DESC LIMIT ${limit}`);
  return { count: counted?.n ?? 0, newest };
}
