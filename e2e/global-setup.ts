import { request } from "@playwright/test";
import { ADMIN, ADMIN_STATE, activeEventToken, createUser, EMPLOYEE, EMPLOYEE_STATE, MEMBER, MEMBER_STATE, nextPasscode, PORTAL_URL } from "./support/stack";

// Signs the demo administrator (with PIN + OTP), an employee with a token (with PIN + OTP) and a
// demo employee without one (password only: New Account Info and the mailbox) in through the
// portal's HTTP endpoints, as a script would, and saves their sessions for the specs.

async function signIn(user: { upn: string; password: string }, statePath: string, otp?: () => string) {
  const ctx = await request.newContext({ baseURL: PORTAL_URL });
  const csrf = async () => ((await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
  const first = await ctx.post("/api/auth/callback/credentials", {
    form: { csrfToken: await csrf(), username: user.upn, password: user.password, json: "true" },
  });
  if (!first.ok()) throw new Error(`Sign-in of ${user.upn} failed: ${first.status()}`);
  if (otp) {
    const second = await ctx.post("/api/auth/callback/otp", { form: { csrfToken: await csrf(), passcode: otp(), json: "true" } });
    const body = (await second.json()) as { url?: string };
    if (!second.ok() || body.url?.includes("error")) throw new Error(`OTP step of ${user.upn} failed: ${JSON.stringify(body)}`);
  }
  const session = (await (await ctx.get("/api/auth/session")).json()) as { user?: { mfa?: string } };
  if (session.user?.mfa !== (otp ? "done" : "enroll")) throw new Error(`Unexpected session for ${user.upn}: ${JSON.stringify(session)}`);
  await ctx.storageState({ path: statePath });
  await ctx.dispose();
}

export default async function globalSetup() {
  await activeEventToken(ADMIN.upn);
  await signIn(ADMIN, ADMIN_STATE, () => nextPasscode(ADMIN.upn));
  await signIn(EMPLOYEE, EMPLOYEE_STATE);
  await createUser(MEMBER.upn.split("@")[0], [], MEMBER.password);
  await activeEventToken(MEMBER.upn);
  await signIn(MEMBER, MEMBER_STATE, () => nextPasscode(MEMBER.upn));
}
