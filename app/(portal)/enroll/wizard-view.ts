import type { ActivationView, EnrollmentStatus } from "@/lib/enroll/status";

// The wizard's step as the server holds it: every render of /enroll, and every submit made on a
// step the server has left, starts from here, so Back, Forward, reload or a second tab never strand
// the user on a step that no longer applies.

export type WizardView =
  | { step: 1 }
  | { step: 2; serial: string; otpMode: "time" | "event"; activation: ActivationView | null }
  | { step: 3; serial: string; fresh?: boolean; mailError?: string };

/** The step for `status`, or null when the status is not one the wizard shows. */
export function wizardViewOf(status: EnrollmentStatus): WizardView | null {
  if (status.kind === "choose_pin") return { step: 1 };
  if (status.kind === "activate") return { step: 2, serial: status.token.serial, otpMode: status.token.otpMode, activation: null };
  if (status.kind === "active") return { step: 3, serial: status.token.serial };
  return null;
}

/** Which wizard the page shows: a change of step or token on the server makes a new one. */
export const wizardKey = (view: WizardView) => (view.step === 1 ? "1" : `${view.step}-${view.serial}`);

/** What the wizard tells the user when a submit found the server on another step. */
export function movedSentence(view: WizardView): string {
  if (view.step === 1) return "Your token no longer waits for activation, so enrollment starts again here.";
  if (view.step === 2) return `Your enrollment had already moved on: token ${view.serial} waits for activation. Activate it here.`;
  return `Your enrollment had already moved on: token ${view.serial} is active.`;
}
