import type { MfaSettings } from "@/lib/mfa/settings";
import type { Activation, Token, User } from "@/lib/safenet/contract";

// Where a user stands in New Account Info, decided from what SafeNet says of them; the shapes the
// wizard shows. Pure: the server services in lib/server/enroll/ fetch the user and act on it.

export type EnrollmentSettings = Pick<MfaSettings, "provider" | "mode" | "tokenType" | "splitDelivery">;

export interface EnrollmentUser {
  upn: string;
  displayName: string;
  email: string;
}

export interface TokenSummary {
  serial: string;
  otpMode: "time" | "event";
  state: Token["state"];
  lastUsedAt: string | null;
}

export type EnrollmentStatus =
  | { kind: "provider_none" }
  | { kind: "unavailable"; message: string }
  | { kind: "contact_admin"; upn: string }
  | { kind: "not_applicable"; upn: string }
  | { kind: "choose_pin"; user: EnrollmentUser; lost: TokenSummary | null }
  | { kind: "activate"; user: EnrollmentUser; token: TokenSummary }
  | { kind: "active"; user: EnrollmentUser; token: TokenSummary }
  | { kind: "blocked"; user: EnrollmentUser; token: TokenSummary };

/** What step 2 shows once, right after provisioning or reissue; the portal keeps none of it. */
export interface ActivationView {
  serial: string;
  otpMode: "time" | "event";
  digits: number;
  qrSvg: string;
  /** The base32 secret in groups of four. */
  manualKey: string;
  seedFile: Activation["seedFile"];
  downloadUrl: string;
  /** Shown in the portal when the email leaves it out (split delivery) or could not be sent. */
  activationKey: string | null;
  mail: { to: string; sent: boolean; error?: string; mailbox: boolean };
}

export type Refused = { ok: false; message: string; field?: string };
export type IssueOutcome = { ok: true; activation: ActivationView } | Refused;
export type ActivateOutcome = { ok: true; serial: string; mailError?: string } | Refused;

/** The one name of the operation that re-keys a token (new seed and activation key), wherever people read it. */
export const SEND_NEW_ACTIVATION = "Send a new activation";

export const NO_LONGER_WAITING = "This token no longer waits for activation. Reload the page to see where your enrollment stands.";

const summary = (t: Token): TokenSummary => ({ serial: t.serial, otpMode: t.otpMode, state: t.state, lastUsedAt: t.lastUsedAt });

const newest = (tokens: Token[]) => [...tokens].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];

/** The token that matters for enrollment: Active first, then one waiting for activation, then a blocked one. */
export function currentToken(user: User): Token | null {
  for (const states of [["Active"], ["Assigned"], ["Suspended", "Locked"]]) {
    const found = user.tokens.filter((t) => states.includes(t.state));
    if (found.length > 0) return newest(found);
  }
  return null;
}

/** Where `user` stands under `settings` (the provider is not "none"). */
export function statusOf(user: User, settings: EnrollmentSettings): EnrollmentStatus {
  const me = { upn: user.upn, displayName: user.displayName, email: user.email };
  if (!user.safenetAccount) {
    if (settings.mode === "mandatory") return { kind: "contact_admin", upn: user.upn };
    if (settings.mode === "account_only") return { kind: "not_applicable", upn: user.upn };
  }
  const token = currentToken(user);
  if (!token) {
    const lost = user.tokens.filter((t) => t.state === "Lost");
    return { kind: "choose_pin", user: me, lost: lost.length ? summary(newest(lost)) : null };
  }
  if (token.state === "Active") return { kind: "active", user: me, token: summary(token) };
  if (token.state === "Assigned") return { kind: "activate", user: me, token: summary(token) };
  return { kind: "blocked", user: me, token: summary(token) };
}

/** Why a user in `status` cannot choose a PIN now, as a sentence with what to do instead. */
export function refusal(status: EnrollmentStatus): string {
  switch (status.kind) {
    case "provider_none":
      return "Multi-factor authentication is switched off, so there is no token to enroll.";
    case "unavailable":
      return status.message;
    case "contact_admin":
      return "You have no SafeNet account yet. Contact an administrator to have one created.";
    case "not_applicable":
      return "Multi-factor authentication does not apply to you: you have no SafeNet account.";
    case "activate":
      return `Token ${status.token.serial} already waits for activation. Activate it, or send a new activation.`;
    case "active":
      return `Token ${status.token.serial} is already active. Manage it under My token.`;
    case "blocked":
      return `Token ${status.token.serial} is ${status.token.state}. Ask an administrator to help, or report it lost under My token.`;
    case "choose_pin":
      return "";
  }
}
