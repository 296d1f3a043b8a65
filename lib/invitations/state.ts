// Where an enrollment invitation stands, decided from its row alone. Pure: the store, the pages and
// the tests share it.

export type InvitationState = "sent" | "used" | "expired" | "withdrawn";

export interface InvitationTimes {
  expiresAt: number;
  usedAt: number | null;
  withdrawnAt: number | null;
}

/** Default lifetime of an invitation link: 7 days. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function invitationState(row: InvitationTimes, now = Date.now()): InvitationState {
  if (row.usedAt !== null) return "used";
  if (row.withdrawnAt !== null) return "withdrawn";
  if (row.expiresAt <= now) return "expired";
  return "sent";
}

/** What a person holding a link in `state` should do next, as the landing page says it. */
export const LINK_REFUSALS: Record<Exclude<InvitationState, "sent">, string> = {
  used: "This invitation link was already used. Sign in and open New Account Info to carry on with your token; if you did not use it, tell your administrator.",
  expired: "This invitation link has expired. Ask your administrator to send you a new invitation.",
  withdrawn: "An administrator withdrew this invitation, so its link no longer works. Ask your administrator if you still need a token.",
};

export const UNKNOWN_LINK =
  "This invitation link is not valid. Open the link from the invitation email again, copying all of it, or ask your administrator to send a new invitation.";
