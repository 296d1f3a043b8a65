import { z } from "zod";
import type { SafeNetPolicy } from "@/lib/safenet/client";
import { isPolicyField, limitSentence, POLICY_FIELDS, relationProblems, type PolicyField } from "./policy-fields";

// The form's schema: the simulator's limits, so most mistakes never reach SafeNet.

function whole(field: PolicyField) {
  const spec = POLICY_FIELDS[field];
  if (spec.kind !== "number") throw new Error(`${field} is not a number field`);
  const message = limitSentence(field);
  return z
    .string()
    .trim()
    .regex(/^[0-9]{1,9}$/, message)
    .transform(Number)
    .pipe(z.number().int().min(spec.min, message).max(spec.max, message));
}

const choice = <const T extends readonly [string, ...string[]]>(field: PolicyField, values: T) =>
  z.enum(values, { error: limitSentence(field) });

export const savePolicySchema = z
  .object({
    lockThreshold: whole("lockThreshold"),
    lockDurationSeconds: whole("lockDurationSeconds"),
    pinMode: choice("pinMode", ["server", "token"]),
    pinPosition: choice("pinPosition", ["prefix", "suffix"]),
    pinMinLength: whole("pinMinLength"),
    pinMaxLength: whole("pinMaxLength"),
    otpLength: choice("otpLength", ["6", "8"]).transform(Number),
    timeStepSeconds: choice("timeStepSeconds", ["30", "60"]).transform(Number),
    timeDriftSteps: whole("timeDriftSteps"),
    lookAheadWindow: whole("lookAheadWindow"),
    outerWindow: whole("outerWindow"),
  })
  .superRefine((p, ctx) => {
    for (const [path, message] of Object.entries(relationProblems(p))) ctx.addIssue({ code: "custom", path: [path], message });
  }) satisfies z.ZodType<SafeNetPolicy, unknown>;

/** SafeNet's 400 names fields in `details`; each becomes our sentence next to that field. */
export function fieldErrorsFromSafeNet(details: Record<string, unknown> | undefined, sent: SafeNetPolicy): Record<string, string> {
  const relations = relationProblems(sent);
  const out: Record<string, string> = {};
  for (const key of Object.keys(details ?? {})) {
    out[key] = isPolicyField(key) ? (relations[key] ?? limitSentence(key)) : `SafeNet does not know the setting ${key}.`;
  }
  return out;
}
