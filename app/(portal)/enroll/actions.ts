"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import type { Viewer } from "@/lib/server/auth/session";
import { askForOtpNext, signInIsRecent } from "@/lib/server/auth/session-refresh";
import type { ActivationView } from "@/lib/enroll/status";
import { activateToken } from "@/lib/server/enroll/activation";
import { provisionToken } from "@/lib/server/enroll/provisioning";
import { reissueActivation } from "@/lib/server/enroll/reissue";
import { enrollmentStatus, pinLengths } from "@/lib/server/enroll/status";
import { passcode, strongPin, tokenSerial, withNewPin } from "@/lib/forms/fields";
import type { ActionFailure, ActionState } from "@/lib/forms/state";
import { defineAction } from "@/lib/server/action";
import { store } from "@/lib/server/store";
import { movedSentence, wizardViewOf, type WizardView } from "./wizard-view";

// The wizard's actions. They name no route and redirect nowhere, so any page can embed the
// wizard; each one checks the session and the recent sign-in itself.

export type WizardResult =
  | { status: "idle" }
  | (ActionFailure & { reauth?: boolean })
  | { status: "issued"; message: string; activation: ActivationView }
  | { status: "activated"; message: string; serial: string; mailError?: string }
  | { status: "moved"; message: string; view: WizardView };

const REAUTH: WizardResult = {
  status: "error",
  reauth: true,
  message: "For your security, sign in again: enrolling a token needs a sign-in less than 20 minutes old.",
};

/** Enrolling needs a recent sign-in; an older one is sent to sign in again before the form is read. */
const staleSignIn = (viewer: Viewer) => (signInIsRecent(viewer.authAt) ? null : REAUTH);

const email = z
  .string()
  .trim()
  .min(1, "Enter the email address the activation email should go to.")
  .max(254, "This email address is too long. Enter a shorter one.")
  .pipe(z.email("Enter an email address such as name@example.com."))
  .prefault("");

/**
 * After a refused submit: when the server holds another step than the form's (a second tab, Back,
 * an administrator), the step it holds, so the wizard goes there instead of stranding the user.
 */
async function movedFrom(upn: string, stillHere: (view: WizardView) => boolean): Promise<WizardResult | null> {
  const view = wizardViewOf(await enrollmentStatus(upn, await store.getMfaSettings()));
  return view && !stillHere(view) ? { status: "moved", view, message: movedSentence(view) } : null;
}

const activating = (serial: string) => (view: WizardView) => view.step === 2 && view.serial === serial;

/** Step 1: the PIN twice and the email → a provisioned token and its activation email. */
export const startEnrollment = defineAction({
  authorize: "enrollee",
  refuse: staleSignIn,
  schema: withNewPin({ email }, { pin: "pin", confirm: "pinConfirm" }, strongPin(pinLengths)),
  echo: ["email"],
  run: async ({ viewer, data, fail }): Promise<WizardResult> => {
    const outcome = await provisionToken(viewer.upn, { pin: data.pin, email: data.email }, await store.getMfaSettings());
    if (!outcome.ok) return (await movedFrom(viewer.upn, (v) => v.step === 1)) ?? fail(outcome.message, outcome.field ? { [outcome.field]: outcome.message } : undefined);
    return { status: "issued", activation: outcome.activation, message: `Token ${outcome.activation.serial} is issued. Activate it now.` };
  },
});

/** Step 2: PIN + the current code; the first right one makes the token Active. */
export const activateEnrollment = defineAction({
  authorize: "enrollee",
  refuse: staleSignIn,
  schema: z.object({ serial: tokenSerial, passcode: passcode() }),
  hidden: ["serial"],
  run: async ({ viewer, data, fail }): Promise<WizardResult> => {
    const outcome = await activateToken(viewer.upn, data.serial, data.passcode, await store.getMfaSettings());
    if (!outcome.ok) return (await movedFrom(viewer.upn, activating(data.serial))) ?? fail(outcome.message, outcome.field === "passcode" ? { passcode: outcome.message } : undefined);
    return { status: "activated", serial: outcome.serial, mailError: outcome.mailError, message: `Token ${outcome.serial} is active.` };
  },
});

/** Reissue: a new seed and activation key for a token that waits for activation, mailed again. */
export const sendNewActivation = defineAction({
  authorize: "enrollee",
  refuse: staleSignIn,
  schema: withNewPin({ serial: tokenSerial }, { pin: "newPin", confirm: "newPinConfirm" }, strongPin(pinLengths)),
  hidden: ["serial"],
  run: async ({ viewer, data, fail }): Promise<WizardResult> => {
    const outcome = await reissueActivation(viewer.upn, data.serial, data.newPin, await store.getMfaSettings());
    if (!outcome.ok) return (await movedFrom(viewer.upn, activating(data.serial))) ?? fail(outcome.message, outcome.field === "pin" ? { newPin: outcome.message } : undefined);
    return {
      status: "issued",
      activation: outcome.activation,
      message: `A new activation for token ${outcome.activation.serial} is issued; the previous seed file and key no longer work.`,
    };
  },
});

/** After activation: a password-only session goes on only with PIN + the next passcode; a full one to My token. */
export const continueAfterActivation = defineAction({
  authorize: "enrollee",
  run: async ({ viewer }): Promise<ActionState> => {
    if (await askForOtpNext(viewer.upn)) redirect(`/login/otp?callbackUrl=${encodeURIComponent("/token")}`);
    redirect("/token");
  },
});
