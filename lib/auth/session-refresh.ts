import { decode, encode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { bumpSessionVersion } from "@/db/queries/sessions";
import { env } from "@/lib/config/env";
import { authOptions, SESSION_COOKIE } from "./options";

// Ends a user's other sessions at once (a new session version) while the one making the change
// carries on: only this server re-issues its cookie, so no other session can claim the new version.

const maxAge = () => authOptions.session?.maxAge ?? 8 * 60 * 60;

export async function endOtherSessions(upn: string): Promise<void> {
  const version = bumpSessionVersion(upn);
  const jar = await cookies();
  const raw = jar.get(SESSION_COOKIE)?.value;
  const secret = env().NEXTAUTH_SECRET;
  const token = raw ? await decode({ token: raw, secret }).catch(() => null) : null;
  if (!token || token.upn?.toLowerCase() !== upn.toLowerCase()) return;
  jar.set(SESSION_COOKIE, await encode({ token: { ...token, sv: version }, secret, maxAge: maxAge() }), {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: env().NEXTAUTH_URL.startsWith("https://"),
    maxAge: maxAge(),
  });
}

/** Enrolling and changing a token need a recent sign-in. */
export const REAUTH_AFTER_MS = 20 * 60 * 1000;

export function signInIsRecent(authAt: number, now = Date.now()): boolean {
  return now - authAt < REAUTH_AFTER_MS;
}
