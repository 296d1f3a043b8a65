import { safeRedirectPath } from "@/lib/auth/redirect";

// Where a session goes once the password (or the OTP step) is through. A password-only session can
// open New Account Info, its mailbox and an invitation only, so it goes straight to New Account Info, as the
// Parallels Client does, unless it was on its way to one of those.

const ENROLLEE_PATHS = ["/enroll", "/mailbox", "/invite"];

const opensFor = (path: string) => ENROLLEE_PATHS.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}?`) || path.startsWith(`${p}#`));

/** The page to show a session in `mfa` state, given the (already same-origin) `callbackUrl`. */
export function landingPath(mfa: "pending" | "enroll" | "done" | undefined, callbackUrl: string, origin: string): string {
  const target = safeRedirectPath(callbackUrl, origin);
  if (mfa === "pending") return `/login/otp?callbackUrl=${encodeURIComponent(target)}`;
  if (mfa === "enroll") return opensFor(target) ? target : "/enroll";
  return target;
}
