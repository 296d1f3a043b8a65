import { z } from "zod";
import { OTP_LENGTHS, PIN_MODES, PIN_POSITIONS, POLICY_LIMITS, TIME_STEPS, type RangedPolicyField } from "./policy-rules";

// SafeNet's authentication policy as a schema built from the contract's limits (policy-rules.ts).
// The simulator refuses a PUT outside them; the portal's form says so first.

const ranged = (field: RangedPolicyField) => z.number().int().min(POLICY_LIMITS[field].min).max(POLICY_LIMITS[field].max);
const oneOf = <const T extends readonly [number, number]>(values: T) => z.union([z.literal(values[0]), z.literal(values[1])]);

export const policySchema = z.object({
  lockThreshold: ranged("lockThreshold"),
  lockDurationSeconds: ranged("lockDurationSeconds"),
  pinMode: z.enum(PIN_MODES),
  pinPosition: z.enum(PIN_POSITIONS),
  pinMinLength: ranged("pinMinLength"),
  pinMaxLength: ranged("pinMaxLength"),
  otpLength: oneOf(OTP_LENGTHS),
  timeStepSeconds: oneOf(TIME_STEPS),
  timeDriftSteps: ranged("timeDriftSteps"),
  lookAheadWindow: ranged("lookAheadWindow"),
  outerWindow: ranged("outerWindow"),
});
export type Policy = z.infer<typeof policySchema>;
export type PolicyField = keyof Policy;

/** A PUT /policy body: any subset of the fields, nothing else. */
export const policyPatchSchema = policySchema.partial().strict();

