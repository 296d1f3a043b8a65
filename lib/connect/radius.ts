import { FAILURE_MESSAGES, VALIDATION_CODES, type ValidationReason } from "../safenet/contract";
import type { OtpAnswer } from "./answers";

// The connection test's RADIUS path in words: a RADIUS answer as the HTTP answer it stands for, so
// both paths read alike, and what to check when RADIUS stays silent. Pure.

export type RadiusKind = "accept" | "reject" | "challenge";

export const RADIUS_CODE_NAMES: Record<RadiusKind, string> = { accept: "Access-Accept", reject: "Access-Reject", challenge: "Access-Challenge" };

const CODE_OF: Record<RadiusKind, 0 | 1 | 5> = { accept: 1, reject: 0, challenge: 5 };

/** RADIUS carries no reason: only the messages that name a token state tell one. */
function reasonOf(message: string): ValidationReason | undefined {
  if (message === FAILURE_MESSAGES.locked) return "locked";
  if (message === FAILURE_MESSAGES.suspended) return "suspended";
  return undefined;
}

/** The answer in the validator's terms (code, result, message), for the explanations both paths share. */
export function radiusAnswer(kind: RadiusKind, message: string): OtpAnswer {
  const code = CODE_OF[kind];
  const reason = code === 0 ? reasonOf(message) : undefined;
  return { code, result: VALIDATION_CODES[code].result, message: message || VALIDATION_CODES[code].message, ...(reason && { reason }) };
}

/** "Access-Accept — SafeNet authentication OK. (as code 1 AUTH_SUCCESS over HTTP)" */
export function radiusLine(kind: RadiusKind, answer: OtpAnswer): string {
  return `${RADIUS_CODE_NAMES[kind]} — ${answer.message} (over HTTP: ${answer.code} ${answer.result})`;
}

/** Why the RADIUS choice is off, or null when the portal can send RADIUS. */
export function radiusUnavailable(port: number, secret: string | undefined): string | null {
  if (!secret) return "RADIUS is not available: the portal has no SAFENET_RADIUS_SECRET. Set it to the secret of the auth node that covers the portal's address, then restart the portal.";
  if (port === 0) return "RADIUS is not available: SAFENET_RADIUS_PORT is 0 for the portal. Set it to SafeNet's RADIUS port (1812), then restart the portal.";
  return null;
}

/** RADIUS drops what it will not answer, so silence is all the portal gets: name the usual causes. */
export function radiusTimeoutSentence(host: string, port: number, waitedMs: number): string {
  const seconds = Math.max(1, Math.round(waitedMs / 1000));
  return (
    `SafeNet did not answer over RADIUS at ${host}:${port} within ${seconds} s, so the passcode was not checked. RADIUS drops requests silently: ` +
    "check that an auth node covers the portal's address, that SAFENET_RADIUS_SECRET is that node's secret, and that SafeNet listens for RADIUS on that port."
  );
}
