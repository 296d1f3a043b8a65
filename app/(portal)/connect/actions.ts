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
import { endpoints, safenet } from "@/lib/server/safenet/endpoints";
import { radiusAuthenticate } from "@/lib/server/safenet/radius-client";
import { remainingBudget } from "@/lib/server/safenet/deadline";
import { radiusAnswer, radiusLine, radiusTimeoutSentence, radiusUnavailable } from "@/lib/connect/radius";
import type { SafeNetClient } from "@/lib/server/safenet/client";
import type { Ticket } from "@/lib/connect/ticket";

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
    if (problem) return { status: "error", message: "Not sent: see the message next to the passcode.", fieldErrors: { passcode: problem }, resyncState: state, via: data.via };
    if (data.via === "radius") return sendOverRadius(viewer.upn, ticket, passcode, state, client);

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

/**
 * The same passcode over RADIUS, the portal as a RADIUS client to the OTP Service URL's host on
 * SAFENET_RADIUS_PORT: an administrator sees both paths give the same answer. The State of an
 * Access-Challenge travels through the form as base64url and goes back with the next passcode.
 */
async function sendOverRadius(actor: string, ticket: Ticket, passcode: string, state: string | undefined, client: SafeNetClient): Promise<OtpState> {
  const e = env();
  const off = radiusUnavailable(e.SAFENET_RADIUS_PORT, e.SAFENET_RADIUS_SECRET);
  if (off || !e.SAFENET_RADIUS_SECRET) return { status: "error", message: off ?? "", resyncState: state, via: "radius" };
  const host = new URL((await endpoints()).otpServiceUrl).hostname;
  const reply = await radiusAuthenticate(
    { host, port: e.SAFENET_RADIUS_PORT, secret: e.SAFENET_RADIUS_SECRET },
    { username: ticket.user, password: passcode, state: state === undefined ? undefined : Buffer.from(state, "base64url"), callingStationId: ticket.clientIp || undefined },
    { deadlineMs: Math.max(1000, await remainingBudget()) },
  );
  if (reply.kind === "timeout") return { status: "error", message: radiusTimeoutSentence(host, e.SAFENET_RADIUS_PORT, reply.waitedMs), resyncState: state, via: "radius" };
  if (reply.kind === "unreachable") {
    return { status: "error", message: `RADIUS could not be sent to ${host}:${e.SAFENET_RADIUS_PORT} (${reply.error}); the passcode was not checked. Check the OTP Service URL's host.`, resyncState: state, via: "radius" };
  }
  const answer = radiusAnswer(reply.kind, reply.message);
  await store.recordEvent({
    type: "connect.otp",
    kind: "decision",
    actor,
    user: ticket.user,
    serial: null,
    result: answer.code === 1 ? "success" : "failure",
    reason: answer.reason ?? (answer.code === 5 ? "outer_window" : null),
    clientIp: ticket.clientIp || null,
    detail: { code: answer.code, message: answer.message, via: "radius" },
  });
  // RADIUS names no token: a plain failure that locked one is found on the user, for the lock notice.
  if (answer.code === 0 && !answer.reason) {
    const user = await client.getUser(ticket.user).catch(() => null);
    await mailIfLocked(client, user?.tokens.find((t) => t.state === "Locked") ?? null, clientAddress(await headers()));
  }
  return {
    status: "answered",
    message: radiusLine(reply.kind, answer),
    answer,
    explanation: answerExplanation(answer, state !== undefined),
    resyncState: reply.kind === "challenge" && reply.state ? reply.state.toString("base64url") : undefined,
    done: answer.code === 1,
    via: "radius",
  };
}
