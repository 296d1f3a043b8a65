import type { z } from "zod";

// The status union every server action returns, and the one way to turn FormData into it.

export type ActionState =
  | { status: "idle" }
  | { status: "success"; message: string }
  | { status: "error"; message: string; fieldErrors?: Record<string, string>; values?: Record<string, string> };

export const IDLE: ActionState = { status: "idle" };

/**
 * Fields whose values are never sent back after a failure: `pin`, `newPin`, `pinConfirm`, `otp2`,
 * `activationKey`… but not settings that merely mention them (`otpServiceUrl`, `pinMode`, `otpLength`).
 */
export function isSecretField(name: string): boolean {
  const n = name.toLowerCase().replace(/\d+$/, "");
  return /(pin|password|passcode|otp|key|secret)$/.test(n) || /^(pin|password|passcode)(confirm|again|repeat)/.test(n);
}

// A server action is an HTTP endpoint: its "FormData" is whatever a caller encoded (an array, a
// string, nothing), so anything else reads as an empty form and fails validation like one.
const isForm = (form: unknown): form is FormData => form instanceof FormData;

export function formValues(form: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isForm(form)) return out;
  for (const [k, v] of form.entries()) if (typeof v === "string" && !k.startsWith("$ACTION")) out[k] = v;
  return out;
}

/** One text field of a submitted form; "" when it is missing, a file, or the form is not a form. */
export function formText(form: unknown, name: string): string {
  const v = isForm(form) ? form.get(name) : null;
  return typeof v === "string" ? v : "";
}

/** Parses `form` with `schema`; on failure, every field's first message and the input to show again. */
export function parseForm<T>(schema: z.ZodType<T>, form: unknown): { ok: true; data: T } | { ok: false; state: ActionState } {
  const values = formValues(form);
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: Record<string, string> = {};
  for (const issue of result.error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
  const kept = Object.fromEntries(Object.entries(values).filter(([k]) => !isSecretField(k)));
  return {
    ok: false,
    state: { status: "error", message: "Some fields need attention: see the messages next to them.", fieldErrors, values: kept },
  };
}
