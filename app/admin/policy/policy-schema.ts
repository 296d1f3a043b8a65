import { z } from "zod";
import {
  OTP_LENGTHS,
  PIN_MODES,
  PIN_POSITIONS,
  POLICY_LIMITS,
  policySchema,
  TIME_STEPS,
  type Policy,
  type RangedPolicyField,
} from "@/lib/safenet/contract";
import { formName, isPolicyField, limitSentence, relationProblems, type PolicyField } from "./policy-fields";

// The form's schema: the contract's limits, which the simulator enforces too, so most mistakes never reach SafeNet.

function whole(field: RangedPolicyField) {
  const { min, max } = POLICY_LIMITS[field];
  const message = limitSentence(field);
  return z.string().trim().regex(/^[0-9]{1,9}$/, message).transform(Number).pipe(z.number().int().min(min, message).max(max, message));
}

/** Minutes as typed (10, 0.5) → whole seconds within the contract's limits. */
function minutes(field: RangedPolicyField) {
  const { min, max } = POLICY_LIMITS[field];
  const message = limitSentence(field);
  return z
    .string()
    .trim()
    .regex(/^[0-9]{1,6}([.,][0-9]{1,2})?$/, message)
    .transform((text) => Math.round(Number(text.replace(",", ".")) * 60))
    .pipe(z.number().int().min(min, message).max(max, message));
}

const choice = <const T extends readonly [string, ...string[]]>(field: PolicyField, values: T) =>
  z.enum(values, { error: limitSentence(field) });

/** A number choice (6 or 8 digits, say) as the form posts it: one of the contract's values as text. */
const numberChoice = <F extends "otpLength" | "timeStepSeconds">(field: F, values: readonly [number, number]) =>
  choice(field, [String(values[0]), String(values[1])]).transform(Number).pipe(policySchema.shape[field]);

export const savePolicySchema = z
  .object({
    lockThreshold: whole("lockThreshold"),
    lockDurationMinutes: minutes("lockDurationSeconds"),
    pinMode: choice("pinMode", PIN_MODES),
    pinPosition: choice("pinPosition", PIN_POSITIONS),
    pinMinLength: whole("pinMinLength"),
    pinMaxLength: whole("pinMaxLength"),
    otpLength: numberChoice("otpLength", OTP_LENGTHS),
    timeStepSeconds: numberChoice("timeStepSeconds", TIME_STEPS),
    timeDriftSteps: whole("timeDriftSteps"),
    lookAheadWindow: whole("lookAheadWindow"),
    outerWindow: whole("outerWindow"),
  })
  .transform(({ lockDurationMinutes, ...rest }) => ({ ...rest, lockDurationSeconds: lockDurationMinutes }))
  .superRefine((p, ctx) => {
    for (const [path, message] of Object.entries(relationProblems(p))) ctx.addIssue({ code: "custom", path: [path], message });
  }) satisfies z.ZodType<Policy, unknown>;

/** SafeNet's 400 names fields in `details`; each becomes our sentence next to that field. */
export function fieldErrorsFromSafeNet(details: Record<string, unknown> | undefined, sent: Policy): Record<string, string> {
  const relations = relationProblems(sent);
  const out: Record<string, string> = {};
  for (const key of Object.keys(details ?? {})) {
    if (isPolicyField(key)) out[formName(key)] = relations[key] ?? limitSentence(key);
    else out[key] = `SafeNet does not know the setting ${key}.`;
  }
  return out;
}
