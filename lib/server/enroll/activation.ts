import "server-only";
import { endOtherSessions } from "@/lib/server/auth/session-refresh";
import { NO_LONGER_WAITING, type ActivateOutcome, type EnrollmentSettings } from "@/lib/enroll/status";
import { notifyFactorChange } from "@/lib/server/mail/factor-notice";
import { enrollmentEvent, enrollmentStatus, failureReason, refused, requestAddress } from "./status";
import { safenet } from "@/lib/server/safenet/endpoints";

/** Verify before activate: the first right passcode makes the token Active; then the mail, and other sessions end. */
export async function activateToken(upn: string, serial: string, passcode: string, settings: EnrollmentSettings): Promise<ActivateOutcome> {
  const status = await enrollmentStatus(upn, settings);
  if (status.kind === "active" && status.token.serial === serial) return { ok: true, serial };
  if (status.kind !== "activate" || status.token.serial !== serial) return { ok: false, message: NO_LONGER_WAITING };
  try {
    await (await safenet()).activate(serial, passcode);
  } catch (err) {
    await enrollmentEvent({ type: "enrollment.activate", kind: "enrollment", user: status.user.upn, serial, result: "failure", reason: failureReason(err) });
    return refused(err);
  }
  // Sessions opened with the password alone predate the token: only this one carries on.
  await endOtherSessions(status.user.upn);
  await enrollmentEvent({ type: "enrollment.activate", kind: "enrollment", user: status.user.upn, serial, result: "success", detail: { sessionsEnded: true } });
  const notice = await notifyFactorChange({ upn: status.user.upn, change: "activated", serial, clientIp: await requestAddress() });
  return notice.sent ? { ok: true, serial } : { ok: true, serial, mailError: `The confirmation email could not be sent (${notice.error}).` };
}
