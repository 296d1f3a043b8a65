"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { clientAddress } from "@/lib/runtime/request-info";
import { endOtherSessions } from "@/lib/server/auth/session-refresh";
import { pinLengths } from "@/lib/server/enroll/status";
import { passcode, strongPin, tokenSerial, withNewPin } from "@/lib/forms/fields";
import type { ActionState } from "@/lib/forms/state";
import { notifyFactorChange } from "@/lib/server/mail/factor-notice";
import { type Token, type User } from "@/lib/safenet/contract";
import { allows, errorSentence, isSafeNetError } from "@/lib/safenet/token-actions";
import { defineAction, type ActionContext } from "@/lib/server/action";
import { store } from "@/lib/server/store";
import { safenet } from "@/lib/server/safenet/endpoints";

// My token: change the PIN after a right passcode, and report the token lost. Both end the user's
// other sessions and mail the user; events never carry a PIN or passcode.

async function selfEvent(type: string, user: string, serial: string | null, result: "success" | "failure", extra: { reason?: string; detail?: Record<string, unknown> } = {}) {
  await store.recordEvent({ type, kind: "self-service", actor: user, user, serial, result, clientIp: clientAddress(await headers()), ...extra });
}

const mailFailure = (notice: { sent: boolean; error?: string }) => (notice.sent ? "" : ` The notification email could not be sent (${notice.error}).`);

/** The viewer's token named in the form, as SafeNet knows it now, or null. */
async function ownToken(upn: string, serial: string): Promise<{ user: User; token: Token } | null> {
  const user = await (await safenet()).getUser(upn);
  const token = user.tokens.find((t) => t.serial === serial);
  return token ? { user, token } : null;
}

const NOT_YOURS = "This token is no longer yours or no longer exists. Reload the page to see your token.";

/** A SafeNet refusal of a change to the viewer's own token: recorded, then said in the action's words. */
const refused = (type: string, action: "pin" | "revoke") =>
  async (err: unknown, { viewer, data, fail }: ActionContext<z.ZodType<{ serial: string }>>) => {
    await selfEvent(type, viewer.upn, data.serial, "failure", { reason: isSafeNetError(err) ? err.code : "error" });
    return fail(errorSentence(err, action));
  };

const changePinSchema = withNewPin(
  { serial: tokenSerial, passcode: passcode("Enter your current PIN followed by the one-time password, digits only.") },
  { pin: "newPin", confirm: "newPinConfirm" },
  strongPin(pinLengths),
);

export const changeMyPin = defineAction({
  authorize: "user",
  schema: changePinSchema,
  hidden: ["serial"],
  run: async ({ viewer, data, fail }): Promise<ActionState> => {
    const own = await ownToken(viewer.upn, data.serial);
    if (!own) return fail(NOT_YOURS);
    const { user, token } = own;
    if (token.state !== "Active") return fail(`Token ${token.serial} is ${token.state}: only an Active token's PIN can be changed here.`);

    const client = await safenet();
    // The current passcode proves the token is in hand; only a full success may change the PIN.
    const answer = await client.validate({ username: user.upn, passcode: data.passcode, clientIp: clientAddress(await headers()) });
    if (answer.code !== 1 || (answer.serial && answer.serial !== token.serial)) {
      await selfEvent("self-service.pin", user.upn, token.serial, "failure", { reason: answer.reason ?? (answer.code === 5 ? "outer_window" : "wrong_passcode") });
      const next = answer.code === 5 ? " Wait for the next code and enter your current PIN followed by it." : " Enter your current PIN followed by the code MobilePASS shows now.";
      return fail("The PIN was not changed.", { passcode: `${answer.message}${next}` });
    }
    try {
      await client.setPin(token.serial, data.newPin);
    } catch (err) {
      // SafeNet's word on the new PIN (the same as the current one, say) belongs next to that field.
      if (!isSafeNetError(err) || err.status !== 400) throw err;
      await selfEvent("self-service.pin", user.upn, token.serial, "failure", { reason: err.code });
      return fail("The PIN was not changed.", { newPin: errorSentence(err, "pin") });
    }

    await endOtherSessions(user.upn);
    await selfEvent("self-service.pin", user.upn, token.serial, "success", { detail: { sessionsEnded: true } });
    const mail = mailFailure(await notifyFactorChange({ upn: user.upn, change: "pin-changed", serial: token.serial, clientIp: clientAddress(await headers()) }));
    revalidatePath("/token");
    return { status: "success", message: `Your PIN is changed: use the new PIN from your next sign-in. Your other portal sessions have ended.${mail}` };
  },
  failed: refused("self-service.pin", "pin"),
});

export const reportTokenLost = defineAction({
  authorize: "user",
  schema: z.object({ serial: tokenSerial }),
  hidden: ["serial"],
  run: async ({ viewer, data, fail }): Promise<ActionState> => {
    const own = await ownToken(viewer.upn, data.serial);
    if (!own) return fail(NOT_YOURS);
    const { user, token } = own;
    if (!allows("revoke", token.state)) return fail(`Token ${token.serial} is ${token.state} and cannot be reported lost.`);
    await (await safenet()).tokenAction(token.serial, "revoke");

    await endOtherSessions(user.upn);
    await selfEvent("self-service.revoke", user.upn, token.serial, "success", { detail: { from: token.state, sessionsEnded: true } });
    const mail = mailFailure(await notifyFactorChange({ upn: user.upn, change: "lost", serial: token.serial, clientIp: clientAddress(await headers()) }));
    revalidatePath("/token");
    return {
      status: "success",
      message: `Token ${token.serial} is reported lost and no longer works. Your other portal sessions have ended.${mail} Enroll a new token to sign in with MFA again.`,
    };
  },
  failed: refused("self-service.revoke", "revoke"),
});
