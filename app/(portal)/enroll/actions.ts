"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { PASSCODE_HINT, readPasscode } from "@/lib/auth/passcode";
import { requireEnrollee } from "@/lib/auth/session";
import { askForOtpNext, signInIsRecent } from "@/lib/auth/session-refresh";
import type { ActivationView } from "@/lib/enroll/status";
import { activateToken } from "@/lib/server/enroll/activation";
import { provisionToken } from "@/lib/server/enroll/provisioning";
import { reissueActivation } from "@/lib/server/enroll/reissue";
import { pinLengths } from "@/lib/server/enroll/status";
import { newPinErrors } from "@/lib/enroll/pin-rules";
import { formText as text, formValues, isSecretField } from "@/lib/forms";
import { store } from "@/lib/server/store";

// The wizard's actions. They name no route and redirect nowhere, so any page can embed the
// wizard; each one checks the session and the recent sign-in itself.

export type WizardResult =
  | { status: "idle" }
  | { status: "error"; message: string; fieldErrors?: Record<string, string>; values?: Record<string, string>; reauth?: boolean }
  | { status: "issued"; message: string; activation: ActivationView }
  | { status: "activated"; message: string; serial: string; mailError?: string };

const REAUTH: WizardResult = {
  status: "error",
  reauth: true,
  message: "For your security, sign in again: enrolling a token needs a sign-in less than 20 minutes old.",
};

const FIX_FIELDS = "Some fields need attention: see the messages next to them.";

const emailSchema = z
  .string()
  .trim()
  .min(1, "Enter the email address the activation email should go to.")
  .max(254, "This email address is too long. Enter a shorter one.")
  .pipe(z.email("Enter an email address such as name@example.com."));

const serialSchema = z.string().regex(/^[A-Za-z0-9]{1,64}$/);

/** The viewer, when their sign-in is recent enough to enroll. */
async function recentViewer() {
  const viewer = await requireEnrollee();
  return signInIsRecent(viewer.authAt) ? viewer : null;
}

function kept(form: FormData): Record<string, string> {
  return Object.fromEntries(Object.entries(formValues(form)).filter(([k]) => !isSecretField(k)));
}

function fieldError(form: FormData, fieldErrors: Record<string, string>, message = FIX_FIELDS): WizardResult {
  return { status: "error", message, fieldErrors, values: kept(form) };
}

/** Step 1: the PIN twice and the email → a provisioned token and its activation email. */
export async function startEnrollment(_prev: WizardResult, form: FormData): Promise<WizardResult> {
  const viewer = await recentViewer();
  if (!viewer) return REAUTH;
  const pin = text(form, "pin");
  const errors = newPinErrors(pin, text(form, "pinConfirm"), await pinLengths());
  const email = emailSchema.safeParse(text(form, "email"));
  if (!email.success) errors.email = email.error.issues[0].message;
  if (Object.keys(errors).length > 0) return fieldError(form, errors);

  const outcome = await provisionToken(viewer.upn, { pin, email: email.data! }, await store.getMfaSettings());
  if (!outcome.ok) return fieldError(form, outcome.field ? { [outcome.field]: outcome.message } : {}, outcome.message);
  return { status: "issued", activation: outcome.activation, message: `Token ${outcome.activation.serial} is issued. Activate it now.` };
}

/** Step 2: PIN + the current code; the first right one makes the token Active. */
export async function activateEnrollment(_prev: WizardResult, form: FormData): Promise<WizardResult> {
  const viewer = await recentViewer();
  if (!viewer) return REAUTH;
  const serial = serialSchema.safeParse(text(form, "serial"));
  if (!serial.success) return { status: "error", message: "The token is missing from the form. Reload the page and try again." };
  const passcode = readPasscode(text(form, "passcode"));
  if (!passcode) return fieldError(form, { passcode: PASSCODE_HINT });
  const outcome = await activateToken(viewer.upn, serial.data, passcode, await store.getMfaSettings());
  if (!outcome.ok) {
    return fieldError(form, outcome.field === "passcode" ? { passcode: outcome.message } : {}, outcome.message);
  }
  return { status: "activated", serial: outcome.serial, mailError: outcome.mailError, message: `Token ${outcome.serial} is active.` };
}

/** Reissue: a new seed and activation key for a token that waits for activation, mailed again. */
export async function sendNewActivation(_prev: WizardResult, form: FormData): Promise<WizardResult> {
  const viewer = await recentViewer();
  if (!viewer) return REAUTH;
  const serial = serialSchema.safeParse(text(form, "serial"));
  if (!serial.success) return { status: "error", message: "The token is missing from the form. Reload the page and try again." };
  const pin = text(form, "newPin");
  const errors = newPinErrors(pin, text(form, "newPinConfirm"), await pinLengths(), { pin: "newPin", confirm: "newPinConfirm" });
  if (Object.keys(errors).length > 0) return fieldError(form, errors);

  const outcome = await reissueActivation(viewer.upn, serial.data, pin, await store.getMfaSettings());
  if (!outcome.ok) return fieldError(form, outcome.field === "pin" ? { newPin: outcome.message } : {}, outcome.message);
  return {
    status: "issued",
    activation: outcome.activation,
    message: `A new activation for token ${outcome.activation.serial} is issued; the previous seed file and key no longer work.`,
  };
}

/** After activation: a password-only session goes on only with PIN + the next passcode; a full one to My token. */
export async function continueAfterActivation(): Promise<void> {
  const viewer = await requireEnrollee();
  if (await askForOtpNext(viewer.upn)) redirect(`/login/otp?callbackUrl=${encodeURIComponent("/token")}`);
  redirect("/token");
}
