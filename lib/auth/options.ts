import type { NextAuthOptions, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { decode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { recordEvent } from "@/db/queries/events";
import { sessionVersion } from "@/db/queries/sessions";
import { getMfaSettings } from "@/db/queries/settings";
import { env } from "@/lib/config/env";
import { safenetClient, SafeNetError } from "@/lib/safenet/client";
import { clientAddress } from "./request-info";
import { countsTowardsLock } from "@/lib/connect/answers";
import { mailIfLocked } from "@/lib/mail/lock-notice";
import { checkPasswordThrottled } from "./password-check";

// Sign-in in two steps, both through SafeNet: the domain password (TMS `authenticate`), then, for a
// user with an Active token, PIN + OTP (the OTP service). Only the server moves a session to "done".

export const ADMIN_GROUP = "RAS Admins";
export const SESSION_COOKIE = "next-auth.session-token";
export const OUTER_WINDOW_PREFIX = "OUTER_WINDOW_AUTH|";

type Headers = Record<string, string | string[] | undefined>;

export function endpoints() {
  const s = getMfaSettings();
  return { tmsUrl: s.tmsUrl, otpServiceUrl: s.otpServiceUrl, repository: s.userRepository };
}

function unavailable(err: unknown): never {
  if (err instanceof SafeNetError) throw new Error(err.message);
  throw err;
}

async function signInWithPassword(credentials: Record<string, string> | undefined, headers: Headers): Promise<User> {
  const username = credentials?.username?.trim() ?? "";
  const password = credentials?.password ?? "";
  if (!username || !password) throw new Error("Enter your user name and password.");
  const now = Date.now();
  const ip = clientAddress(headers);
  const checked = await checkPasswordThrottled(endpoints(), username, password, ip);
  if (!checked.ok) {
    if (checked.reason !== "unavailable") {
      const type = checked.reason === "throttled" ? "sign-in.throttled" : "sign-in.password";
      const reason = checked.reason === "throttled" ? "rate_limited" : "invalid_credentials";
      recordEvent({ type, kind: "sign-in", user: username, result: "failure", clientIp: ip, reason });
    }
    throw new Error(checked.message);
  }
  const { user } = checked;
  const mfa = user.tokens.some((t) => t.state === "Active") ? "pending" : "none";
  recordEvent({ type: "sign-in.password", kind: "sign-in", user: user.upn, result: "success", clientIp: ip, detail: { otpRequired: mfa === "pending" } });
  return {
    id: user.upn,
    upn: user.upn,
    name: user.displayName,
    email: user.email,
    groups: user.groups,
    isAdmin: user.groups.includes(ADMIN_GROUP),
    mfa,
    sv: sessionVersion(user.upn),
    authAt: now,
  };
}

/** The second step: the session cookie must hold a password-verified, OTP-pending session. */
async function completeOtp(credentials: Record<string, string> | undefined, headers: Headers): Promise<User> {
  const raw = (await cookies()).get(SESSION_COOKIE)?.value;
  const pending = raw ? await decode({ token: raw, secret: env().NEXTAUTH_SECRET }).catch(() => null) : null;
  if (!pending?.upn || pending.mfa !== "pending" || pending.sv !== sessionVersion(pending.upn)) {
    throw new Error("Your sign-in has expired. Sign in with your user name and password again.");
  }
  const passcode = credentials?.passcode?.replace(/\s+/g, "") ?? "";
  if (!/^[0-9]{6,24}$/.test(passcode)) throw new Error("Enter your PIN followed by the one-time password, digits only.");
  const ip = clientAddress(headers);
  const client = safenetClient(endpoints());
  const answer = await client
    .validate({ username: pending.upn, passcode, state: credentials?.state || undefined, clientIp: ip })
    .catch(unavailable);
  recordEvent({
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
  const { upn, name, email, groups, isAdmin, sv } = pending as Required<typeof pending>;
  return { id: upn, upn, name, email, groups, isAdmin, sv, mfa: "done", authAt: Date.now() };
}

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
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
    jwt({ token, user }) {
      if (user) {
        const { upn, name, email, groups, isAdmin, mfa, sv, authAt } = user;
        return { ...token, sub: upn, upn, name, email, groups, isAdmin, mfa, sv, authAt };
      }
      return token;
    },
    session({ session, token }) {
      session.user = {
        upn: token.upn ?? "",
        name: token.name ?? "",
        email: token.email ?? "",
        groups: token.groups ?? [],
        isAdmin: token.isAdmin ?? false,
        mfa: token.mfa ?? "pending",
        sv: token.sv ?? -1,
        authAt: token.authAt ?? 0,
      };
      return session;
    },
  },
};
