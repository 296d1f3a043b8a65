import { createHmac } from "node:crypto";
import { constantTimeEqual } from "../crypto/constant-time";

// Proof that a connection test passed the password step: the OTP prompt (and New Account Info)
// only continue a run whose ticket the server signed, for that viewer, user and client IP.

export interface Ticket {
  /** Who runs the test. */
  viewer: string;
  /** The user being logged on, as SafeNet named them. */
  user: string;
  clientIp: string;
  /** Expiry, ms since the epoch. */
  exp: number;
}

export const TICKET_TTL_MS = 15 * 60_000;

// A key of its own, so a ticket can never pass for anything else signed with the same secret.
const keyOf = (secret: string) => createHmac("sha256", secret).update("safenet-portal/connect-ticket/v1").digest();

export function signTicket(t: Ticket, secret: string): string {
  const body = Buffer.from(JSON.stringify(t)).toString("base64url");
  const mac = createHmac("sha256", keyOf(secret)).update(body).digest("base64url");
  return `${body}.${mac}`;
}

/** The ticket, or null when it is malformed, forged or expired. */
export function readTicket(text: string, secret: string, now: number): Ticket | null {
  const [body, mac, ...rest] = text.split(".");
  if (!body || !mac || rest.length) return null;
  const want = createHmac("sha256", keyOf(secret)).update(body).digest();
  const got = Buffer.from(mac, "base64url");
  if (!constantTimeEqual(got, want)) return null;
  try {
    const t = JSON.parse(Buffer.from(body, "base64url").toString()) as Ticket;
    if (typeof t.viewer !== "string" || typeof t.user !== "string" || typeof t.clientIp !== "string" || typeof t.exp !== "number") return null;
    return t.exp > now ? t : null;
  } catch {
    return null;
  }
}
