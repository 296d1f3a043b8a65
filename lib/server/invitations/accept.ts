import "server-only";
import { headers } from "next/headers";
import type { InvitationRow } from "@/db/queries/invitations";
import { clientAddress } from "@/lib/runtime/request-info";
import { invitationState, LINK_REFUSALS, UNKNOWN_LINK, type InvitationState } from "@/lib/invitations/state";
import { safenet } from "@/lib/server/safenet/endpoints";
import { store } from "@/lib/server/store";
import { hashLinkToken, LINK_TOKEN } from "@/lib/invitations/link";

// Following an invitation link. The link signs nobody in: the user signs in with their own domain
// password first, and the link works only for the user it was sent to. It is used up when that
// user accepts it (the button on the landing page), which takes them to New Account Info.

export const OTHER_USER =
  "This invitation is for another user. Sign out, then open the link again and sign in as the person it was sent to.";

export type LinkStanding =
  | { kind: "unknown" }
  | { kind: Exclude<InvitationState, "sent">; row: InvitationRow }
  | { kind: "sent"; row: InvitationRow };

/** What a link stands for, by the SHA-256 of its token; nothing is changed. */
export async function linkStanding(token: string): Promise<LinkStanding> {
  const row = LINK_TOKEN.test(token) ? await store.findInvitation(hashLinkToken(token)) : null;
  if (!row) return { kind: "unknown" };
  return { kind: invitationState(row), row };
}

export function refusalOf(standing: LinkStanding): string {
  return standing.kind === "unknown" ? UNKNOWN_LINK : standing.kind === "sent" ? "" : LINK_REFUSALS[standing.kind];
}

export type AcceptOutcome = { ok: true } | { ok: false; message: string };

/** Uses the invitation up for `upn`, once, and makes sure the SafeNet account it promised exists. */
export async function acceptInvitation(upn: string, token: string): Promise<AcceptOutcome> {
  const clientIp = clientAddress(await headers());
  const record = (result: "success" | "failure", reason: string | null, detail: Record<string, unknown>) =>
    store.recordEvent({ type: "invitation.use", kind: "enrollment", actor: upn, user: upn, result, reason, clientIp, detail });
  const standing = await linkStanding(token);
  if (standing.kind === "unknown") {
    await record("failure", "unknown_link", {});
    return { ok: false, message: UNKNOWN_LINK };
  }
  const { row } = standing;
  if (row.upn !== upn.toLowerCase()) {
    await record("failure", "other_user", { invitation: row.id, invited: row.upn });
    return { ok: false, message: OTHER_USER };
  }
  // The single-use check: one UPDATE that only a pending invitation of this user passes.
  const used = await store.useInvitation(row.tokenHash, upn);
  if (!used) {
    const now = await linkStanding(token);
    await record("failure", now.kind, { invitation: row.id });
    return { ok: false, message: refusalOf(now) || UNKNOWN_LINK };
  }
  const client = await safenet();
  const user = await client.getUser(upn);
  if (!user.safenetAccount) await client.createAccount(user.upn);
  await record("success", null, { invitation: row.id, accountCreated: !user.safenetAccount });
  return { ok: true };
}
