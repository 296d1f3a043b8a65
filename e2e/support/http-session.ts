import { request, type APIRequestContext } from "@playwright/test";
import { PORTAL_URL } from "./stack";

// Signing in over HTTP as a script (or an attacker's script) would: next-auth's CSRF token, then
// the credentials callback, then, when a passcode is given, the OTP callback.

export interface HttpSignIn {
  ctx: APIRequestContext;
  /** The credentials step's error message, when it refused. */
  error: string | null;
  /** The session as /api/auth/session reports it afterwards. */
  session: { user?: { upn: string; mfa: string; isAdmin: boolean } };
}

export async function csrf(ctx: APIRequestContext): Promise<string> {
  return ((await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
}

/** next-auth puts a refused sign-in's message into the `error` parameter of the URL it answers. */
function errorOf(body: { url?: string }): string | null {
  if (!body.url) return null;
  const error = new URL(body.url, PORTAL_URL).searchParams.get("error");
  return error;
}

export async function httpSignIn(username: string, password: string, passcode?: string): Promise<HttpSignIn> {
  const ctx = await request.newContext({ baseURL: PORTAL_URL });
  const first = await ctx.post("/api/auth/callback/credentials", { form: { csrfToken: await csrf(ctx), username, password, json: "true" } });
  let error = errorOf((await first.json()) as { url?: string });
  if (!error && passcode) {
    const second = await ctx.post("/api/auth/callback/otp", { form: { csrfToken: await csrf(ctx), passcode, json: "true" } });
    error = errorOf((await second.json()) as { url?: string });
  }
  const session = (await (await ctx.get("/api/auth/session")).json()) as HttpSignIn["session"];
  return { ctx, error, session };
}
