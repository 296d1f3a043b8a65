import "server-only";
import { decode, type JWT } from "next-auth/jwt";
import { cookies } from "next/headers";
import { env } from "@/lib/runtime/env";
import { sessionCookieName } from "../../auth/session-cookie-names";

/** The claims of this request's session cookie when it is valid and names a session, else null. */
export async function currentSessionToken(): Promise<(JWT & { sid: string; upn: string }) | null> {
  const raw = (await cookies()).get(sessionCookieName(env().NEXTAUTH_URL))?.value;
  if (!raw) return null;
  const token = await decode({ token: raw, secret: env().NEXTAUTH_SECRET }).catch(() => null);
  return typeof token?.sid === "string" && typeof token.upn === "string" ? (token as JWT & { sid: string; upn: string }) : null;
}

export async function currentSessionId(): Promise<string | null> {
  return (await currentSessionToken())?.sid ?? null;
}
