import "server-only";
import { safenet } from "@/lib/server/safenet/endpoints";
import { currentSessionId } from "./session-cookie";
import { ADMIN_GROUP, PENDING_MAX_AGE_MS, tokenFingerprint } from "../../auth/session-rules";
import { store } from "@/lib/server/store";

// A change to a user's second factor made through the portal ends the user's other sessions at
// once; the session making the change, when it is the user's own, carries on with what SafeNet
// holds now, so its next re-check does not mistake its own change for someone else's.

/** This request's open session when it belongs to `upn`. */
async function ownSession(upn: string) {
  const sid = await currentSessionId();
  const row = sid ? await store.openSession(sid) : null;
  return sid && row && row.upn === upn.toLowerCase() ? { sid, row } : null;
}

export async function endOtherSessions(upn: string, reason = "token_changed"): Promise<void> {
  const keep = (await ownSession(upn))?.sid;
  await store.endUserSessions(upn, reason, keep);
  if (!keep) return;
  try {
    const user = await (await safenet()).getUser(upn);
    await store.markChecked(keep, { fingerprint: tokenFingerprint(user.tokens), isAdmin: user.groups.includes(ADMIN_GROUP) });
  } catch {
    // Left as it was: the next re-check sees the change and ends this session too, which is safe.
  }
}

/** After a password-only session activates its token, it goes on only with PIN + OTP. */
export async function askForOtpNext(upn: string): Promise<boolean> {
  const own = await ownSession(upn);
  if (own?.row.mfa !== "enroll") return false;
  await store.requireOtp(own.sid, PENDING_MAX_AGE_MS);
  return true;
}

/** Enrolling and changing a token need a recent sign-in. */
export const REAUTH_AFTER_MS = 20 * 60 * 1000;

export function signInIsRecent(authAt: number, now = Date.now()): boolean {
  return now - authAt < REAUTH_AFTER_MS;
}
