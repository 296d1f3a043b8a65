"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { clientAddress } from "@/lib/auth/request-info";
import { readPasscode } from "@/lib/auth/passcode";
import { requireUser } from "@/lib/auth/session";
import { endOtherSessions } from "@/lib/auth/session-refresh";
import { pinLengths } from "@/lib/server/enroll/status";
import { newPinErrors } from "@/lib/enroll/pin-rules";
import { formText as text, type ActionState } from "@/lib/forms";
import { notifyFactorChange } from "@/lib/mail/factor-notice";
import { type SafeNetToken, type SafeNetUser } from "@/lib/safenet/client";
import { allows, errorSentence, isSafeNetError } from "@/lib/safenet/token-actions";
import { store } from "@/lib/server/store";
import { safenet } from "@/lib/server/safenet/endpoints";

// My token: change the PIN after a right passcode, and report the token lost. Both end the user's
// other sessions and mail the user; events never carry a PIN or passcode.

async function selfEvent(type: string, user: string, serial: string | null, result: "success" | "failure", extra: { reason?: string; detail?: Record<string, unknown> } = {}) {
  await store.recordEvent({ type, kind: "self-service", actor: user, user, serial, result, clientIp: clientAddress(await headers()), ...extra });
}

const mailFailure = (notice: { sent: boolean; error?: string }) => (notice.sent ? "" : ` The notification email could not be sent (${notice.error}).`);

/** The viewer's token named in the form, as SafeNet knows it now, or why there is none. */
async function ownToken(upn: string, serial: string): Promise<{ user: SafeNetUser; token: SafeNetToken } | { error: string }> {
  let user: SafeNetUser;
  try {
    user = await (await safenet()).getUser(upn);
  } catch (err) {
    return { error: errorSentence(err) };
  }
  const token = user.tokens.find((t) => t.serial === serial);
  if (!token) return { error: "This token is no longer yours or no longer exists. Reload the page to see your token." };
  return { user, token };
}

export async function changeMyPin(_prev: ActionState, form: FormData): Promise<ActionState> {
  const viewer = await requireUser();
  const passcode = readPasscode(text(form, "passcode"));
  const errors = newPinErrors(text(form, "newPin"), text(form, "newPinConfirm"), await pinLengths(), { pin: "newPin", confirm: "newPinConfirm" });
  if (!passcode) errors.passcode = "Enter your current PIN followed by the one-time password, digits only.";
  if (!passcode || Object.keys(errors).length > 0) return { status: "error", message: "Some fields need attention: see the messages next to them.", fieldErrors: errors };

  const own = await ownToken(viewer.upn, text(form, "serial"));
  if ("error" in own) return { status: "error", message: own.error };
  const { user, token } = own;
  if (token.state !== "Active") return { status: "error", message: `Token ${token.serial} is ${token.state}: only an Active token's PIN can be changed here.` };

  const client = await safenet();
  try {
    // The current passcode proves the token is in hand; only a full success may change the PIN.
    const answer = await client.validate({ username: user.upn, passcode, clientIp: clientAddress(await headers()) });
    if (answer.code !== 1 || (answer.serial && answer.serial !== token.serial)) {
      await selfEvent("self-service.pin", user.upn, token.serial, "failure", { reason: answer.reason ?? (answer.code === 5 ? "outer_window" : "wrong_passcode") });
      const next = answer.code === 5 ? " Wait for the next code and enter your current PIN followed by it." : " Enter your current PIN followed by the code MobilePASS shows now.";
      return { status: "error", message: "The PIN was not changed.", fieldErrors: { passcode: `${answer.message}${next}` } };
    }
    await client.setPin(token.serial, text(form, "newPin"));
  } catch (err) {
    await selfEvent("self-service.pin", user.upn, token.serial, "failure", { reason: isSafeNetError(err) ? err.code : "error" });
    return { status: "error", message: errorSentence(err, "pin") };
  }

  await endOtherSessions(user.upn);
  await selfEvent("self-service.pin", user.upn, token.serial, "success", { detail: { sessionsEnded: true } });
  const mail = mailFailure(await notifyFactorChange({ upn: user.upn, change: "pin-changed", serial: token.serial, clientIp: clientAddress(await headers()) }));
  revalidatePath("/token");
  return { status: "success", message: `Your PIN is changed: use the new PIN from your next sign-in. Your other portal sessions have ended.${mail}` };
}

export async function reportTokenLost(_prev: ActionState, form: FormData): Promise<ActionState> {
  const viewer = await requireUser();
  const own = await ownToken(viewer.upn, text(form, "serial"));
  if ("error" in own) return { status: "error", message: own.error };
  const { user, token } = own;
  if (!allows("revoke", token.state)) return { status: "error", message: `Token ${token.serial} is ${token.state} and cannot be reported lost.` };
  try {
    await (await safenet()).tokenAction(token.serial, "revoke");
  } catch (err) {
    await selfEvent("self-service.revoke", user.upn, token.serial, "failure", { reason: isSafeNetError(err) ? err.code : "error" });
    return { status: "error", message: errorSentence(err, "revoke") };
  }
  await endOtherSessions(user.upn);
  await selfEvent("self-service.revoke", user.upn, token.serial, "success", { detail: { from: token.state, sessionsEnded: true } });
  const mail = mailFailure(await notifyFactorChange({ upn: user.upn, change: "lost", serial: token.serial, clientIp: clientAddress(await headers()) }));
  revalidatePath("/token");
  return {
    status: "success",
    message: `Token ${token.serial} is reported lost and no longer works. Your other portal sessions have ended.${mail} Enroll a new token to sign in with MFA again.`,
  };
}
