import "server-only";
import { headers } from "next/headers";
import { clientAddress } from "@/lib/runtime/request-info";
import { env } from "@/lib/runtime/env";
import { hashLinkToken, newLinkToken } from "@/lib/invitations/link";
import { INVITATION_TTL_MS } from "@/lib/invitations/state";
import type { User } from "@/lib/safenet/contract";
import { errorSentence, isSafeNetError } from "@/lib/safenet/token-actions";
import type { Viewer } from "@/lib/server/auth/session";
import { sendInvitationEmail } from "@/lib/server/mail/notifications";
import type { SafeNetClient } from "@/lib/server/safenet/client";
import { store } from "@/lib/server/store";

// "Assign a token": the SafeNet account when missing, then an enrollment invitation mailed to the
// address the directory holds. The administrator never chooses a PIN nor sees one: the user does,
// after following the single-use link and signing in with their own password.

export type AssignOutcome =
  | { result: "sent"; upn: string; to: string; expiresAt: number }
  | { result: "enrolled"; upn: string; state: string }
  | { result: "invited"; upn: string }
  | { result: "failed"; upn: string; why: string };

export const invitationLink = (token: string) => `${env().NEXTAUTH_URL.replace(/\/+$/, "")}/invite/${token}`;

/** An Active or Assigned token: the user is enrolled already (or waits only for activation). */
export const enrolledToken = (user: User) => user.tokens.find((t) => t.state === "Active" || t.state === "Assigned") ?? null;

const event = (actor: Viewer, upn: string) => ({ type: "admin.invitation.send", kind: "admin" as const, actor: actor.upn, user: upn });

/**
 * Invites one user. With `skipInvited`, a user who holds a pending invitation is left alone (a group
 * run done twice sends nobody a second mail); without it, the new link replaces the older one.
 */
export async function assignToken(client: SafeNetClient, actor: Viewer, upn: string, opts: { skipInvited?: boolean; user?: User } = {}): Promise<AssignOutcome> {
  const clientIp = clientAddress(await headers());
  const failed = async (who: string, why: string, reason: string): Promise<AssignOutcome> => {
    await store.recordEvent({ ...event(actor, who), result: "failure", reason, clientIp, detail: { message: why } });
    return { result: "failed", upn: who, why };
  };
  let user: User;
  try {
    user = opts.user ?? (await client.getUser(upn));
  } catch (err) {
    const missing = isSafeNetError(err) && err.status === 404;
    return failed(upn, missing ? `The directory has no user ${upn}. Check the name in the users list.` : errorSentence(err), missing ? "unknown_user" : "safenet");
  }
  const token = enrolledToken(user);
  if (token) return { result: "enrolled", upn: user.upn, state: token.state };
  if (opts.skipInvited && (await store.hasPendingInvitation(user.upn))) return { result: "invited", upn: user.upn };
  if (!user.email.trim()) return failed(user.upn, `The directory holds no email address for ${user.upn}. Add one in the directory, then assign the token again.`, "no_address");
  try {
    if (!user.safenetAccount) await client.createAccount(user.upn);
  } catch (err) {
    return failed(user.upn, `The SafeNet account could not be created: ${errorSentence(err)}`, "account_failed");
  }

  const linkToken = newLinkToken();
  const expiresAt = Date.now() + INVITATION_TTL_MS;
  const row = await store.createInvitation({ tokenHash: hashLinkToken(linkToken), upn: user.upn, email: user.email, invitedBy: actor.upn, expiresAt });
  try {
    await sendInvitationEmail({
      to: user.email,
      upn: user.upn,
      displayName: user.displayName,
      invitedBy: actor.name || actor.upn,
      link: invitationLink(linkToken),
      expiresAt: new Date(expiresAt).toISOString(),
    });
  } catch (err) {
    // A link nobody received must not stay pending, nor count as sent.
    await store.discardInvitation(row.id);
    return failed(user.upn, `The invitation email to ${user.email} could not be sent (${err instanceof Error ? err.message : "unknown error"}). Check the mail settings and try again.`, "smtp_failed");
  }
  await store.recordEvent({
    ...event(actor, user.upn),
    result: "success",
    clientIp,
    detail: { invitation: row.id, to: user.email, accountCreated: !user.safenetAccount, expiresAt: new Date(expiresAt).toISOString() },
  });
  return { result: "sent", upn: user.upn, to: user.email, expiresAt };
}

/** Withdraws a pending invitation: its link stops working at once. */
export async function withdrawInvitation(actor: Viewer, id: number): Promise<{ ok: true; upn: string } | { ok: false; message: string }> {
  const row = await store.withdrawInvitation(id, actor.upn);
  const clientIp = clientAddress(await headers());
  if (!row) {
    await store.recordEvent({ type: "admin.invitation.withdraw", kind: "admin", actor: actor.upn, result: "failure", reason: "not_pending", clientIp, detail: { invitation: id } });
    return { ok: false, message: "This invitation was already used, withdrawn or expired. Reload the page to see its state." };
  }
  await store.recordEvent({ type: "admin.invitation.withdraw", kind: "admin", actor: actor.upn, user: row.upn, result: "success", clientIp, detail: { invitation: id } });
  return { ok: true, upn: row.upn };
}
