import "server-only";
import type { NextAuthOptions, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { SafeNetError } from "@/lib/safenet/contract";
import { clientAddress } from "../../runtime/request-info";
import { redirectCallback } from "../../auth/redirect";
import { countsTowardsLock } from "@/lib/connect/answers";
import { mailIfLocked } from "@/lib/server/mail/lock-notice";
import { OUTER_WINDOW_PREFIX, PASSCODE_HINT, readPasscode } from "../../auth/passcode";
import { checkPasswordThrottled } from "./password-check";
import { currentSessionToken } from "./session-cookie";
import { ADMIN_GROUP, afterPassword, PENDING_MAX_AGE_MS, SESSION_MAX_AGE_MS, tokenFingerprint } from "../../auth/session-rules";
import { endpoints, safenet } from "@/lib/server/safenet/endpoints";
import { store } from "@/lib/server/store";

// Sign-in in two steps, both through SafeNet: the domain password (TMS `authenticate`), then, for a
// user with any usable token, PIN + OTP (the OTP service). The cookie carries a random session id;
// the session's row decides what it may do, and only the server moves it on.


type Headers = Record<string, string | string[] | undefined>;

/** A sign-in step SafeNet did not answer, recorded so that an administrator sees it in the timeline. */
async function recordUnavailable(step: "password" | "otp", user: string, clientIp: string, code: string): Promise<void> {
  const type = step === "password" ? "sign-in.password" : "sign-in.otp";
  await store.recordEvent({ type, kind: "sign-in", user, result: "failure", clientIp, reason: "safenet_unavailable", detail: { code } });
}

/** The operator's break-glass grant for an administrator, taken (once) if there is one. */
async function breakGlass(user: { upn: string; groups: string[] }, clientIp: string, now: number): Promise<boolean> {
  if (!user.groups.includes(ADMIN_GROUP)) return false;
  const grant = await store.takeAdmission(user.upn, now);
  if (!grant) return false;
  await store.recordEvent({
    type: "break-glass.admit",
    kind: "sign-in",
    user: user.upn,
    result: "success",
    clientIp,
    reason: "break_glass",
    detail: { grantedAt: grant.grantedAt, expiresAt: grant.expiresAt },
  });
  return true;
}

async function signInWithPassword(credentials: Record<string, string> | undefined, headers: Headers): Promise<User> {
  const username = credentials?.username?.trim() ?? "";
  const password = credentials?.password ?? "";
  if (!username || !password) throw new Error("Enter your user name and password.");
  const now = Date.now();
  const ip = clientAddress(headers);
  const checked = await checkPasswordThrottled(await endpoints(), username, password, ip);
  if (!checked.ok) {
    if (checked.reason === "unavailable") await recordUnavailable("password", username, ip, checked.code);
    else {
      const type = checked.reason === "throttled" ? "sign-in.throttled" : "sign-in.password";
      const reason = checked.reason === "throttled" ? "rate_limited" : "invalid_credentials";
      await store.recordEvent({ type, kind: "sign-in", ...checked.filedAs, result: "failure", clientIp: ip, reason });
    }
    throw new Error(checked.message);
  }
  const { user } = checked;
  // Break-glass: the operator vouched for this administrator, so the session needs no OTP and counts
  // as confirmed (step-up) for five minutes — enough to repair a broken OTP Service URL.
  if (await breakGlass(user, ip, now)) {
    const fingerprint = tokenFingerprint(user.tokens);
    const sid = await store.createSession({ upn: user.upn, mfa: "done", isAdmin: true, fingerprint, maxAgeMs: SESSION_MAX_AGE_MS, stepUpAt: now }, now);
    return { id: user.upn, upn: user.upn, name: user.displayName, email: user.email, groups: user.groups, sid, authAt: now };
  }
  const verdict = afterPassword(user.tokens, now);
  if (verdict.session === "refused") {
    await store.recordEvent({ type: "sign-in.password", kind: "sign-in", user: user.upn, result: "failure", clientIp: ip, reason: `token_${verdict.reason}` });
    throw new Error(verdict.message);
  }
  const mfa = verdict.session;
  await store.recordEvent({ type: "sign-in.password", kind: "sign-in", user: user.upn, result: "success", clientIp: ip, detail: { otpRequired: mfa === "pending" } });
  const sid = await store.createSession(
    {
      upn: user.upn,
      mfa,
      isAdmin: user.groups.includes(ADMIN_GROUP),
      fingerprint: tokenFingerprint(user.tokens),
      maxAgeMs: mfa === "pending" ? PENDING_MAX_AGE_MS : SESSION_MAX_AGE_MS,
    },
    now,
  );
  return { id: user.upn, upn: user.upn, name: user.displayName, email: user.email, groups: user.groups, sid, authAt: now };
}

/** The second step: the session cookie must name an open session that waits for PIN + OTP. */
async function completeOtp(credentials: Record<string, string> | undefined, headers: Headers): Promise<User> {
  const claims = await currentSessionToken();
  const pending = claims ? await store.openSession(claims.sid) : null;
  if (!claims || !pending || pending.mfa !== "pending") {
    throw new Error("Your sign-in has expired. Sign in with your user name and password again.");
  }
  const passcode = readPasscode(credentials?.passcode);
  if (!passcode) throw new Error(PASSCODE_HINT);
  const ip = clientAddress(headers);
  const client = await safenet();
  const answer = await client
    .validate({ username: pending.upn, passcode, state: credentials?.state || undefined, clientIp: ip })
    .catch(async (err: unknown) => {
      await recordUnavailable("otp", pending.upn, ip, err instanceof SafeNetError ? err.code : "no_answer");
      if (err instanceof SafeNetError) throw new Error(err.message);
      throw err;
    });
  await store.recordEvent({
    type: "sign-in.otp",
    kind: "sign-in",
    user: pending.upn,
    serial: answer.serial,
    result: answer.code === 1 ? "success" : "failure",
    clientIp: ip,
    reason: answer.reason ?? (answer.code === 5 ? "outer_window" : null),
    detail: { code: answer.code, message: answer.message },
  });
  if (answer.code === 5) throw new Error(`${OUTER_WINDOW_PREFIX}${answer.state}`);
  if (countsTowardsLock(answer) && answer.serial) await mailIfLocked(client, await client.getToken(answer.serial).catch(() => null), ip);
  if (answer.code !== 1) {
    const hint = answer.reason === "wrong_pin" || answer.reason === "wrong_otp" || answer.reason === "replayed"
      ? " Enter your PIN followed by the current code from MobilePASS."
      : " Ask an administrator for help.";
    throw new Error(`${answer.message}${hint}`);
  }
  // A new id for the stronger session, so the pending cookie is worth nothing afterwards.
  const now = Date.now();
  await store.endSession(claims.sid, "stepped_up", now);
  const { upn } = claims;
  const { isAdmin, fingerprint } = pending;
  const sid = await store.createSession({ upn, mfa: "done", isAdmin, fingerprint, maxAgeMs: SESSION_MAX_AGE_MS, stepUpAt: now }, now);
  return { id: upn, upn, name: claims.name ?? upn, email: claims.email ?? "", groups: claims.groups ?? [], sid, authAt: now };
}

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_MS / 1000 },
  pages: { signIn: "/login", error: "/login" },
  providers: [
    CredentialsProvider({
      id: "credentials",
      name: "Domain credentials",
      credentials: { username: { label: "User name", type: "text" }, password: { label: "Password", type: "password" } },
      authorize: (credentials, req) => signInWithPassword(credentials, req.headers ?? {}),
    }),
    CredentialsProvider({
      id: "otp",
      name: "SafeNet passcode",
      credentials: { passcode: { label: "Passcode", type: "password" }, state: { label: "State", type: "text" } },
      authorize: (credentials, req) => completeOtp(credentials, req.headers ?? {}),
    }),
  ],
  callbacks: {
    redirect: redirectCallback,
    jwt({ token, user }) {
      if (user) {
        const { upn, name, email, groups, sid, authAt } = user;
        return { ...token, sub: upn, upn, name, email, groups, sid, authAt };
      }
      return token;
    },
    // What the session may do comes from its row, never from the cookie; an ended session has no user.
    async session({ session, token }) {
      const row = token.sid ? await store.openSession(token.sid) : null;
      if (!row) return { expires: session.expires } as typeof session;
      session.user = {
        upn: token.upn ?? "",
        name: token.name ?? "",
        email: token.email ?? "",
        groups: token.groups ?? [],
        authAt: token.authAt ?? 0,
        mfa: row.mfa,
        isAdmin: row.isAdmin,
      };
      return session;
    },
  },
  events: {
    async signOut({ token }) {
      if (typeof token?.sid === "string") await store.endSession(token.sid, "signed_out");
    },
  },
};
