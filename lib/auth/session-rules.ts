import { FAILURE_MESSAGES, type TokenState } from "../safenet/contract";

// What a password alone may open, decided from every state the user's tokens can be in, and when a
// session must look at SafeNet again. Pure: no database, no Next, no environment.

export type SessionMfa = "pending" | "enroll" | "done";

export interface TokenLike {
  serial: string;
  state: TokenState;
  lockedUntil: string | null;
}

/** A full session lasts a working day; one waiting for PIN + OTP only a few minutes. */
export const SESSION_MAX_AGE_MS = 8 * 60 * 60 * 1000;
export const PENDING_MAX_AGE_MS = 10 * 60 * 1000;
/** Changing where credentials go needs a PIN + OTP this recent. */
export const STEP_UP_MS = 5 * 60 * 1000;

export type PasswordVerdict =
  | { session: "pending" }
  | { session: "enroll" }
  | { session: "refused"; reason: "locked" | "suspended"; message: string };

/**
 * After a right password: any Active token asks for PIN + OTP; a Locked or Suspended one (and no
 * Active one) refuses with SafeNet's words; only no usable token at all (none, or Lost, Assigned,
 * Inventory) gives the password-only session that can enroll and nothing more.
 */
export function afterPassword(tokens: readonly TokenLike[], now = Date.now()): PasswordVerdict {
  if (tokens.some((t) => t.state === "Active")) return { session: "pending" };
  const locked = tokens.filter((t) => t.state === "Locked");
  if (locked.length > 0) {
    const until = locked.map((t) => (t.lockedUntil ? Date.parse(t.lockedUntil) : NaN)).filter((n) => n > now);
    const when = until.length > 0 ? ` It unlocks by itself at ${formatUtc(Math.max(...until))}, or an administrator can unlock it sooner.` : " Ask an administrator to unlock it.";
    return { session: "refused", reason: "locked", message: `${FAILURE_MESSAGES.locked}${when}` };
  }
  if (tokens.some((t) => t.state === "Suspended")) {
    return { session: "refused", reason: "suspended", message: `${FAILURE_MESSAGES.suspended} Ask an administrator to reactivate it.` };
  }
  return { session: "enroll" };
}

function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

/** The user's tokens as one string: any token added, removed or changing state changes it. */
export function tokenFingerprint(tokens: readonly TokenLike[]): string {
  return tokens
    .map((t) => `${t.serial}:${t.state}`)
    .sort()
    .join(",");
}

/** Whether a session last looked at SafeNet `intervalMs` or longer ago (SESSION_RECHECK_SECONDS). */
export function needsRecheck(checkedAt: number, now: number, intervalMs: number): boolean {
  return now - checkedAt >= intervalMs;
}

export function stepUpIsRecent(stepUpAt: number | null, now: number): boolean {
  return stepUpAt !== null && now - stepUpAt < STEP_UP_MS;
}

/** Members of this directory group may open the admin console. */
export const ADMIN_GROUP = "RAS Admins";
