import "server-only";
import { endOtherSessions } from "@/lib/server/auth/session-refresh";
import { NO_LONGER_WAITING, type EnrollmentSettings, type IssueOutcome } from "@/lib/enroll/status";
import { notifyFactorChange } from "@/lib/server/mail/factor-notice";
import type { Activation, Token } from "@/lib/safenet/contract";
import { activationView } from "./provisioning";
import { enrollmentEvent, enrollmentStatus, failureReason, refused, requestAddress } from "./status";
import { safenet } from "@/lib/server/safenet/endpoints";

/** A new seed and activation key for the user's token that waits for activation; the old seed stops working. */
export async function reissueActivation(upn: string, serial: string, pin: string, settings: EnrollmentSettings): Promise<IssueOutcome> {
  const status = await enrollmentStatus(upn, settings);
  if (status.kind !== "activate" || status.token.serial !== serial) return { ok: false, message: NO_LONGER_WAITING };
  let issued: { token: Token; activation: Activation };
  try {
    issued = await (await safenet()).reissue(serial, pin);
  } catch (err) {
    await enrollmentEvent({ type: "enrollment.reissue", kind: "enrollment", user: status.user.upn, serial, result: "failure", reason: failureReason(err) });
    return refused(err);
  }
  await endOtherSessions(status.user.upn);
  await enrollmentEvent({ type: "enrollment.reissue", kind: "enrollment", user: status.user.upn, serial, result: "success", detail: { splitDelivery: settings.splitDelivery, sessionsEnded: true } });
  await notifyFactorChange({ upn: status.user.upn, change: "reissued", serial, clientIp: await requestAddress(), activationTo: status.user.email });
  return { ok: true, activation: await activationView(status.user, issued.token, issued.activation, pin, settings.splitDelivery) };
}
