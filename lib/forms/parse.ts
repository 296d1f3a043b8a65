import type { z } from "zod";
import type { FieldErrors } from "./state";

// FormData → plain values, and a failed parse → one sentence per field. Pure.

export type FormValues = Record<string, string>;

// A server action is an HTTP endpoint: its "FormData" is whatever a caller encoded (an array, a
// string, nothing), so anything else reads as an empty form and fails validation like one.
export const isForm = (input: unknown): input is FormData => input instanceof FormData;

/** The form's text fields; files and React's own `$ACTION…` fields are left out. */
export function formValues(form: unknown): FormValues {
  const out: FormValues = {};
  if (!isForm(form)) return out;
  for (const [k, v] of form.entries()) if (typeof v === "string" && !k.startsWith("$ACTION")) out[k] = v;
  return out;
}

/** Only the listed fields: a failed form shows these again and nothing else, so a secret is never sent back. */
export function echoed(values: FormValues, echo: readonly string[]): FormValues {
  return Object.fromEntries(echo.filter((name) => Object.hasOwn(values, name)).map((name) => [name, values[name]]));
}

/** Each field's first message; an issue on the whole form is keyed "form". */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) out[String(issue.path[0] ?? "form")] ??= issue.message;
  return out;
}
