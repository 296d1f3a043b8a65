import "server-only";
import { endOtherSessions } from "@/lib/server/auth/session-refresh";
import { env } from "@/lib/runtime/env";
import { refusal, type ActivationView, type EnrollmentSettings, type EnrollmentUser, type IssueOutcome } from "@/lib/enroll/status";
import { notifyFactorChange } from "@/lib/server/mail/factor-notice";
import { mailSinkConfigured, sendActivationEmail } from "@/lib/server/mail/notifications";
import { groupKey, manualKey, qrSvg } from "@/lib/mfa/qr";
import type { Activation, Token } from "@/lib/safenet/contract";
import { enrollmentEvent, enrollmentStatus, failureReason, refused, requestAddress } from "./status";
import { safenet } from "@/lib/server/safenet/endpoints";

// Step 1 → 2 of New Account Info: a token, its activation mail and the one-time view of the
// activation block, which passes through once and is never stored.

/** Mails the activation and builds what step 2 shows; a failed mail puts the activation key on the page instead. */
export async function activationView(
  user: EnrollmentUser,
  token: Token,
  activation: Activation,
  pin: string,
  split: boolean,
): Promise<ActivationView> {
  let mailError: string | undefined;
  try {
    await sendActivationEmail({
      to: user.email,
      displayName: user.displayName,
      upn: user.upn,
      serial: token.serial,
      otpMode: token.otpMode,
      activationKey: activation.activationKey,
      pin,
      seedFile: activation.seedFile,
      downloadUrl: activation.downloadUrl,
      portalUrl: env().NEXTAUTH_URL,
      split,
    });
  } catch (err) {
    // The mail module records the failure itself.
    mailError = `The activation email to ${user.email} could not be sent (${err instanceof Error ? err.message : "unknown error"}). Use the activation key, QR code and seed file below instead.`;
  }
  return {
    serial: token.serial,
    otpMode: token.otpMode,
    digits: token.otpLength,
    qrSvg: await qrSvg(activation.otpauthUri),
    manualKey: groupKey(manualKey(activation.otpauthUri)),
    seedFile: activation.seedFile,
    downloadUrl: activation.downloadUrl,
    activationKey: split || mailError ? activation.activationKey : null,
    mail: { to: user.email, sent: !mailError, error: mailError, mailbox: mailboxLinkWanted() },
  };
}

// Only a hint for a link to the demo mailbox: a configuration error must not fail the enrollment.
function mailboxLinkWanted(): boolean {
  try {
    return mailSinkConfigured();
  } catch {
    return false;
  }
}

/** A MobilePASS token of the configured type (creating the SafeNet account when missing), then the mail. */
export async function provisionToken(upn: string, input: { pin: string; email: string }, settings: EnrollmentSettings): Promise<IssueOutcome> {
  const status = await enrollmentStatus(upn, settings);
  if (status.kind !== "choose_pin") return { ok: false, message: refusal(status) };
  let issued: { token: Token; activation: Activation };
  try {
    // No `email`: SafeNet would make the typed address the directory's, where every later notice goes.
    issued = await (await safenet()).provision(status.user.upn, { type: "MobilePASS", otpMode: settings.tokenType, pin: input.pin });
  } catch (err) {
    const f = refused(err);
    await enrollmentEvent({ type: "enrollment.provision", kind: "enrollment", user: status.user.upn, result: "failure", reason: failureReason(err), detail: { message: f.message } });
    return f;
  }
  const user = { ...status.user, email: input.email };
  // A new token is a change to the second factor: the user's other sessions end, this one goes on.
  await endOtherSessions(user.upn);
  await enrollmentEvent({
    type: "enrollment.provision",
    kind: "enrollment",
    user: user.upn,
    serial: issued.token.serial,
    result: "success",
    detail: { otpMode: issued.token.otpMode, splitDelivery: settings.splitDelivery, emailChanged: input.email !== status.user.email },
  });
  const clientIp = await requestAddress();
  // Both mails are out before the answer, side by side: the user waits for the slower one, not the two in turn.
  const [, activation] = await Promise.all([
    notifyFactorChange({ upn: user.upn, change: "issued", serial: issued.token.serial, clientIp, activationTo: input.email }),
    activationView(user, issued.token, issued.activation, input.pin, settings.splitDelivery),
  ]);
  return { ok: true, activation };
}
