import { request } from "@playwright/test";
import fs from "node:fs";
import {
  ADMIN,
  ADMIN_STATE,
  activeEventToken,
  createUser,
  EMPLOYEE,
  EMPLOYEE_STATE,
  MEMBER,
  MEMBER_STATE,
  nextPasscode,
  PORTAL_URL,
  TLS_PORTAL_URL,
} from "./support/stack";

// Signs the demo administrator (with PIN + OTP), an employee with a token (with PIN + OTP) and a
// demo employee without one (password only: New Account Info and the mailbox) in through the
// portal's HTTP endpoints, as a script would, and saves their sessions for the specs — once on the
// http portal and once on the https one behind the TLS terminator, both in the same state file.

type State = Awaited<ReturnType<Awaited<ReturnType<typeof request.newContext>>["storageState"]>>;

async function signIn(baseURL: string, user: { upn: string; password: string }, otp?: () => string): Promise<State> {
  const ctx = await request.newContext({ baseURL, ignoreHTTPSErrors: true });
  const csrf = async () => ((await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
  const first = await ctx.post("/api/auth/callback/credentials", {
    form: { csrfToken: await csrf(), username: user.upn, password: user.password, json: "true" },
  });
  if (!first.ok()) throw new Error(`Sign-in of ${user.upn} at ${baseURL} failed: ${first.status()}`);
  if (otp) {
    const second = await ctx.post("/api/auth/callback/otp", { form: { csrfToken: await csrf(), passcode: otp(), json: "true" } });
    const body = (await second.json()) as { url?: string };
    if (!second.ok() || body.url?.includes("error")) throw new Error(`OTP step of ${user.upn} at ${baseURL} failed: ${JSON.stringify(body)}`);
  }
  const session = (await (await ctx.get("/api/auth/session")).json()) as { user?: { mfa?: string } };
  if (session.user?.mfa !== (otp ? "done" : "enroll")) throw new Error(`Unexpected session for ${user.upn} at ${baseURL}: ${JSON.stringify(session)}`);
  const state = await ctx.storageState();
  await ctx.dispose();
  return state;
}

async function signInBoth(user: { upn: string; password: string }, statePath: string, otp?: () => string) {
  const plain = await signIn(PORTAL_URL, user, otp);
  const tls = await signIn(TLS_PORTAL_URL, user, otp);
  const merged = { cookies: [...plain.cookies, ...tls.cookies], origins: [...plain.origins, ...tls.origins] };
  fs.writeFileSync(statePath, JSON.stringify(merged, null, 2));
}

export default async function globalSetup() {
  await activeEventToken(ADMIN.upn);
  await signInBoth(ADMIN, ADMIN_STATE, () => nextPasscode(ADMIN.upn));
  await signInBoth(EMPLOYEE, EMPLOYEE_STATE);
  await createUser(MEMBER.upn.split("@")[0], [], MEMBER.password);
  await activeEventToken(MEMBER.upn);
  await signInBoth(MEMBER, MEMBER_STATE, () => nextPasscode(MEMBER.upn));
}
