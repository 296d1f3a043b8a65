import type { Policy } from "./policy";

// SafeNet's policy as plain data: the limits each field may take, the defaults and the rules
// between fields. No zod here (policySchema is in policy.ts): client components import this file directly.

export const POLICY_LIMITS = {
  lockThreshold: { min: 0, max: 100 },
  lockDurationSeconds: { min: 1, max: 30 * 86_400 },
  pinMinLength: { min: 4, max: 8 },
  pinMaxLength: { min: 4, max: 8 },
  timeDriftSteps: { min: 0, max: 10 },
  lookAheadWindow: { min: 1, max: 100 },
  outerWindow: { min: 1, max: 1000 },
} as const;
export type RangedPolicyField = keyof typeof POLICY_LIMITS;

export const PIN_MODES = ["server", "token"] as const;
export const PIN_POSITIONS = ["prefix", "suffix"] as const;
export const OTP_LENGTHS = [6, 8] as const;
export const TIME_STEPS = [30, 60] as const;

export const DEFAULT_POLICY: Readonly<Policy> = {
  lockThreshold: 3,
  lockDurationSeconds: 600,
  pinMode: "server",
  pinPosition: "prefix",
  pinMinLength: 4,
  pinMaxLength: 4,
  otpLength: 6,
  timeStepSeconds: 30,
  timeDriftSteps: 1,
  lookAheadWindow: 10,
  outerWindow: 100,
};

/**
 * The rules between fields that a per-field schema cannot see, in the order they are checked.
 * "greater": `field` must be greater than `than`; "notGreater": it must not be.
 */
export const POLICY_RELATIONS = [
  { field: "pinMinLength", than: "pinMaxLength", rule: "notGreater" },
  { field: "outerWindow", than: "lookAheadWindow", rule: "greater" },
  { field: "outerWindow", than: "timeDriftSteps", rule: "greater" },
] as const satisfies readonly { field: RangedPolicyField; than: RangedPolicyField; rule: "greater" | "notGreater" }[];
export type PolicyRelation = (typeof POLICY_RELATIONS)[number];

/** The relations `p` breaks, in POLICY_RELATIONS order. */
export function brokenRelations(p: Policy): PolicyRelation[] {
  return POLICY_RELATIONS.filter((r) => (r.rule === "greater" ? p[r.field] <= p[r.than] : p[r.field] > p[r.than]));
}
