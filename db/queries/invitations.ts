import { and, count, desc, eq, gt, isNull, lt } from "drizzle-orm";
import type { PortalDb } from "../index";
import { invitations, type InvitationRow } from "../schema";

// Enrollment invitations. Only the SHA-256 of a link's token is ever stored or looked up; the
// checks that make a link single-use, expiring and withdrawable are in one UPDATE statement each.

export type { InvitationRow };

export interface NewInvitation {
  tokenHash: string;
  upn: string;
  email: string;
  invitedBy: string;
  expiresAt: number;
}

const pending = (now: number) => and(isNull(invitations.usedAt), isNull(invitations.withdrawnAt), gt(invitations.expiresAt, now));

/** Records a new invitation and withdraws the user's older pending ones: one working link per user. */
export async function createInvitation(db: PortalDb, inv: NewInvitation, now = Date.now()): Promise<InvitationRow> {
  const upn = inv.upn.toLowerCase();
  return db.transaction((tx) => {
    tx.update(invitations)
      .set({ withdrawnAt: now, withdrawnBy: inv.invitedBy })
      .where(and(eq(invitations.upn, upn), pending(now)))
      .run();
    return tx
      .insert(invitations)
      .values({ ...inv, upn, createdAt: now })
      .returning()
      .get();
  });
}

export async function findInvitation(db: PortalDb, tokenHash: string): Promise<InvitationRow | null> {
  const [row] = await db.select().from(invitations).where(eq(invitations.tokenHash, tokenHash));
  return row ?? null;
}

/** Marks the invitation used by `upn`, once: null when it is not theirs, used, withdrawn or expired. */
export async function useInvitation(db: PortalDb, tokenHash: string, upn: string, now = Date.now()): Promise<InvitationRow | null> {
  const [row] = await db
    .update(invitations)
    .set({ usedAt: now })
    .where(and(eq(invitations.tokenHash, tokenHash), eq(invitations.upn, upn.toLowerCase()), pending(now)))
    .returning();
  return row ?? null;
}

/** Withdraws a pending invitation; null when it is no longer pending (used, expired, withdrawn) or unknown. */
export async function withdrawInvitation(db: PortalDb, id: number, by: string, now = Date.now()): Promise<InvitationRow | null> {
  const [row] = await db
    .update(invitations)
    .set({ withdrawnAt: now, withdrawnBy: by })
    .where(and(eq(invitations.id, id), pending(now)))
    .returning();
  return row ?? null;
}

/** A withdrawal that follows a failed send: the link never reached anyone. */
export async function discardInvitation(db: PortalDb, id: number): Promise<void> {
  await db.delete(invitations).where(eq(invitations.id, id));
}

export async function hasPendingInvitation(db: PortalDb, upn: string, now = Date.now()): Promise<boolean> {
  const [row] = await db
    .select({ id: invitations.id })
    .from(invitations)
    .where(and(eq(invitations.upn, upn.toLowerCase()), pending(now)))
    .limit(1);
  return Boolean(row);
}

/** The newest invitations, optionally only those sent before `before` (an id cursor). */
export async function listInvitations(db: PortalDb, q: { limit?: number; before?: number } = {}): Promise<InvitationRow[]> {
  return db
    .select()
    .from(invitations)
    .where(q.before ? lt(invitations.id, q.before) : undefined)
    .orderBy(desc(invitations.id))
    .limit(q.limit ?? 100);
}

/** The invitations still waiting for their users: how many, and the newest few. */
export async function pendingInvitations(db: PortalDb, limit = 5, now = Date.now()): Promise<{ count: number; newest: InvitationRow[] }> {
  const [{ n }] = await db.select({ n: count() }).from(invitations).where(pending(now));
  const newest = await db.select().from(invitations).where(pending(now)).orderBy(desc(invitations.id)).limit(limit);
  return { count: n, newest };
}
