import { randomUUID } from "node:crypto";
import { headers } from "next/headers";
import { checkPasswordThrottled } from "@/lib/server/auth/password-check";
import { clientAddress } from "@/lib/runtime/request-info";
import type { Viewer } from "@/lib/server/auth/session";
import { env } from "@/lib/runtime/env";
import { passcodeHint, type PasscodePolicy } from "@/lib/connect/answers";
import { signTicket, TICKET_TTL_MS } from "@/lib/connect/ticket";
import { decisionView } from "@/lib/connect/trace";
import { DEFAULT_PIN_LENGTHS } from "@/lib/enroll/pin-rules";
import type { ConnectionDecision } from "@/lib/server/mfa/decide-for-user";
import { MODES } from "@/lib/mfa/settings";
import { type Policy, type User } from "@/lib/safenet/contract";
import type { RunView } from "./schemas";
import { store } from "@/lib/server/store";
import { endpoints, safenet } from "@/lib/server/safenet/endpoints";

// Server glue of the connection test: the domain password as a real logon checks it, and one run's
// view (decision, ticket for the OTP prompt, New Account Info's props).

/** Administrators signed in with PIN + OTP may test any user; everyone else only themselves. */
export function canTestAnyone(viewer: Viewer): boolean {
  return viewer.isAdmin && viewer.mfa === "done";
}

export type PasswordCheck = { ok: true; user: User } | { ok: false; wrongPassword: boolean; message: string };

/** SafeNet's `authenticate`, throttled per account and address exactly like the portal's own sign-in. */
export async function checkDomainPassword(username: string, password: string, actor: string, clientIp: string | null): Promise<PasswordCheck> {
  const checked = await checkPasswordThrottled(await endpoints(), username, password, clientAddress(await headers()));
  if (checked.ok) return checked;
  if (checked.reason === "unavailable") {
    return { ok: false, wrongPassword: false, message: `${checked.message} The logon needs SafeNet to check the domain password.` };
  }
  if (checked.reason === "throttled") return { ok: false, wrongPassword: false, message: checked.message };
  await store.recordEvent({ type: "connect.password", kind: "decision", actor, ...checked.filedAs, result: "failure", reason: "invalid_credentials", clientIp });
  return {
    ok: false,
    wrongPassword: true,
    message: "SafeNet refused the logon (401 invalid_credentials): the user name or password is not right. Check them and try again.",
  };
}

type Decided = Extract<ConnectionDecision, { ok: true }>;

/** Everything steps 2 and 3 show for one decision. */
export async function buildRun(answer: Decided, viewer: Viewer, connection: RunView["connection"]): Promise<RunView> {
  const { decision, user, provider, mode } = answer;
  const run: RunView = {
    id: randomUUID(),
    user: {
      upn: user.upn,
      displayName: user.displayName,
      groups: user.groups,
      safenetAccount: user.safenetAccount,
      tokens: user.tokens.map((t) => `${t.serial} (${t.state})`),
    },
    connection,
    settings: `Provider ${provider === "safenet" ? "SafeNet" : "None"}; mode “${MODES[mode]}”.`,
    decision: decisionView(decision, { mode, isAdmin: canTestAnyone(viewer) }),
  };
  if (decision.outcome !== "require_otp" && decision.outcome !== "enroll") return run;

  run.ticket = signTicket({ viewer: viewer.upn, user: user.upn, clientIp: connection.clientIp, exp: Date.now() + TICKET_TTL_MS }, env().NEXTAUTH_SECRET);
  const policy = await (await safenet())
    .policy()
    .catch(() => null);
  run.otp = { hint: policy ? passcodeHint(policy) : "Enter your PIN followed by the one-time password.", policy: policy && passcodePolicy(policy) };
  // The wizard's actions enroll the signed-in user, so it is embedded only when that is who logs on.
  if (decision.outcome === "enroll" && user.upn.toLowerCase() === viewer.upn.toLowerCase()) run.enroll = await wizardProps(user, policy);
  return run;
}

function passcodePolicy(p: Policy): PasscodePolicy {
  return { pinMode: p.pinMode, pinPosition: p.pinPosition, pinMinLength: p.pinMinLength, pinMaxLength: p.pinMaxLength, otpLength: p.otpLength };
}

const newest = <T extends { createdAt: string }>(list: T[]) => [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];

/** New Account Info for the tested user: step 1, or step 2 when a token already waits for activation. */
async function wizardProps(user: User, policy: Policy | null): Promise<RunView["enroll"]> {
  const settings = await store.getMfaSettings();
  const waiting = user.tokens.filter((t) => t.state === "Assigned");
  const lost = user.tokens.filter((t) => t.state === "Lost");
  const token = waiting.length ? newest(waiting) : null;
  return {
    user: { upn: user.upn, displayName: user.displayName, email: user.email },
    settings: { tokenType: settings.tokenType, splitDelivery: settings.splitDelivery },
    pinLengths: policy ? { min: policy.pinMinLength, max: policy.pinMaxLength } : DEFAULT_PIN_LENGTHS,
    start: token ? { step: 2, serial: token.serial, otpMode: token.otpMode, activation: null } : { step: 1 },
    lostSerial: lost.length ? newest(lost).serial : null,
  };
}
