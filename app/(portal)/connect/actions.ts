"use server";

import { headers } from "next/headers";
import { clientAddress } from "@/lib/runtime/request-info";
import { env } from "@/lib/runtime/env";
import { answerExplanation, answerLine, countsTowardsLock, passcodeProblem } from "@/lib/connect/answers";
import { attemptsSentence } from "@/lib/connect/attempts";
import { namesSelf } from "@/lib/connect/connection";
import { readTicket } from "@/lib/connect/ticket";
import { decideForConnection, decisionEvent } from "@/lib/server/mfa/decide-for-user";
import { SafeNetError, type ValidationAnswer } from "@/lib/safenet/contract";
import { buildRun, canTestAnyone, checkDomainPassword } from "./logon";
import { decideConnectionSchema, sendPasscodeSchema, type DecideState, type OtpState } from "./schemas";
import { mailIfLocked } from "@/lib/server/mail/lock-notice";
import { PASSCODE_HINT, readPasscode } from "@/lib/auth/passcode";
import { defineAction } from "@/lib/server/action";
import { store } from "@/lib/server/store";
import { safenet } from "@/lib/server/safenet/endpoints";

// The Parallels Client's logon, played out: credentials and connection → decision; passcode → the
// OTP service's answer. Each action checks the session and who may be tested itself.

const onlySelf = (upn: string) =>
  `You can test only your own logon (${upn}). Administrators signed in with PIN and one-time password can test any user.`;

/** Step 1 → 2: the domain password through SafeNet, then the MFA decision for this connection. */
export const decideConnection = defineAction({
  authorize: "user",
  schema: decideConnectionSchema,
  echo: ["username", "clientIp", "clientMac", "gateway"],
  run: async ({ viewer, data, echoed, fail }): Promise<DecideState> => {
    const { username, password, clientIp, clientMac, gateway } = data;
    const anyone = canTestAnyone(viewer);
    if (!anyone && !namesSelf(username, viewer.upn)) return fail("Not tested: see the message next to the user name.", { username: onlySelf(viewer.upn) });

    const checked = await checkDomainPassword(username, password, viewer.upn, clientIp || null);
    if (!checked.ok) return fail(checked.message, checked.wrongPassword ? { password: "Not accepted: check the user name and password." } : undefined);
    // The name may be spelt any way SafeNet accepts; only the account it resolved to counts.
    if (!anyone && checked.user.upn.toLowerCase() !== viewer.upn.toLowerCase()) return fail(onlySelf(viewer.upn), { username: onlySelf(viewer.upn) });

    const answer = await decideForConnection({ username: checked.user.upn, clientIp, clientMac, gateway });
    if (!answer.ok) return fail(answer.error);
    await store.recordEvent(decisionEvent("connect.decision", viewer.upn, answer, { clientIp, clientMac, gateway }));
    const run = await buildRun(answer, viewer, { clientIp, clientMac, gateway });
    return { status: "decided", message: `${run.decision.title}. ${run.decision.reason}`, values: echoed, run };
  },
});

const EXPIRED: OtpState = {
  status: "error",
  expired: true,
  message: "This test has expired or belongs to another sign-in. Start again from the connection dialog.",
};

/** Step 3: PIN + OTP to the OTP service with the connection's client IP; code 5 continues with `state`. */
export const sendPasscode = defineAction({
  authorize: "user",
  schema: sendPasscodeSchema,
  invalid: EXPIRED,
  run: async ({ viewer, data }): Promise<OtpState> => {
    const ticket = readTicket(data.ticket, env().NEXTAUTH_SECRET, Date.now());
    if (!ticket || ticket.viewer !== viewer.upn || (!canTestAnyone(viewer) && ticket.user !== viewer.upn)) return EXPIRED;
    const { passcode, state } = data;
    const client = await safenet();
    const policy = await client.policy().catch(() => null);
    const problem = policy ? passcodeProblem(passcode, policy) : readPasscode(passcode) ? null : PASSCODE_HINT;
    if (problem) return { status: "error", message: "Not sent: see the message next to the passcode.", fieldErrors: { passcode: problem }, resyncState: state };

    // An OTP service that cannot be asked is an answer this test shows, keeping the resync state.
    let answer: ValidationAnswer;
    try {
      answer = await client.validate({ username: ticket.user, passcode, state, clientIp: ticket.clientIp || undefined });
    } catch (err) {
      const why =
        err instanceof SafeNetError && err.status !== 503 ? err.message : `The OTP service is unreachable: ${err instanceof SafeNetError ? err.message : "it could not be asked."}`;
      return { status: "error", message: `${why} The passcode was not checked; try again.`, resyncState: state };
    }
    await store.recordEvent({
      type: "connect.otp",
      kind: "decision",
      actor: viewer.upn,
      user: ticket.user,
      serial: answer.serial ?? null,
      result: answer.code === 1 ? "success" : "failure",
      reason: answer.reason ?? (answer.code === 5 ? "outer_window" : null),
      clientIp: ticket.clientIp || null,
      detail: { code: answer.code, message: answer.message },
    });

    let attempts: string | undefined;
    if (countsTowardsLock(answer) && policy && answer.serial) {
      const token = await client.getToken(answer.serial).catch(() => null);
      if (token) attempts = attemptsSentence({ ...token, lockThreshold: policy.lockThreshold, lockDurationSeconds: policy.lockDurationSeconds });
      // The notice names the request's own address, not the one typed into the simulated client.
      await mailIfLocked(client, token, clientAddress(await headers()));
    }
    const { code, result, message, reason, serial } = answer;
    return {
      status: "answered",
      message: answerLine(answer),
      answer: { code, result, message, reason, serial },
      explanation: answerExplanation(answer, state !== undefined),
      attempts,
      resyncState: code === 5 ? answer.state : undefined,
      done: code === 1,
    };
  },
});
