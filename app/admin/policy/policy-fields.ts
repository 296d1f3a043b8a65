import type { Policy, PolicyField } from "@/lib/safenet/contract";
import {
  brokenRelations,
  OTP_LENGTHS,
  PIN_MODES,
  PIN_POSITIONS,
  POLICY_LIMITS,
  TIME_STEPS,
  type PolicyRelation,
  type RangedPolicyField,
} from "@/lib/safenet/contract/policy-rules";

// The SafeNet policy's fields as the form shows them, with the contract's limits (POLICY_LIMITS),
// which the simulator enforces too. Plain data: the client form and the server schema both read it.

export type { PolicyField };

export type FieldSpec =
  | { kind: "number"; label: string; hint: string; min: number; max: number }
  /** Seconds on the wire, minutes in the form (under `name`), where an administrator thinks in minutes. */
  | { kind: "minutes"; name: string; label: string; hint: string; min: number; max: number }
  | { kind: "choice"; label: string; hint: string; options: { value: string; label: string }[] };

const number = (field: RangedPolicyField, label: string, hint: (min: number, max: number) => string): FieldSpec => {
  const { min, max } = POLICY_LIMITS[field];
  return { kind: "number", label, hint: hint(min, max), min, max };
};

/** A choice with a label for every value the contract allows. */
const choice = <V extends string | number>(label: string, hint: string, values: readonly V[], labels: Record<V, string>): FieldSpec => ({
  kind: "choice",
  label,
  hint,
  options: values.map((v) => ({ value: String(v), label: labels[v] })),
});

export const POLICY_FIELDS: Record<PolicyField, FieldSpec> = {
  lockThreshold: number("lockThreshold", "Failures before a token locks", (min, max) => `Consecutive failed logons that lock a token: ${min} to ${max}. 0 never locks.`),
  lockDurationSeconds: {
    kind: "minutes",
    name: "lockDurationMinutes",
    label: "Lock duration (minutes)",
    hint: `How long a token stays locked before it unlocks by itself, in minutes: up to ${POLICY_LIMITS.lockDurationSeconds.max / 60} (${POLICY_LIMITS.lockDurationSeconds.max / 86_400} days); 0.5 is 30 seconds.`,
    ...POLICY_LIMITS.lockDurationSeconds,
  },
  pinMode: choice("PIN mode", "Where the PIN is checked.", PIN_MODES, {
    server: "Server: the PIN is typed with the one-time password",
    token: "Token: the PIN stays in MobilePASS",
  }),
  pinPosition: choice("PIN position", "Where a server PIN goes in the passcode.", PIN_POSITIONS, {
    prefix: "Before the one-time password",
    suffix: "After the one-time password",
  }),
  pinMinLength: number("pinMinLength", "Shortest PIN (digits)", (min, max) => `${min} to ${max}, not more than the longest PIN.`),
  pinMaxLength: number("pinMaxLength", "Longest PIN (digits)", (min, max) => `${min} to ${max}, not less than the shortest PIN.`),
  otpLength: choice("One-time password length", "Digits in each code of newly provisioned tokens.", OTP_LENGTHS, { 6: "6 digits", 8: "8 digits" }),
  timeStepSeconds: choice("Time step", "How often a time-based token shows a new code.", TIME_STEPS, { 30: "30 seconds", 60: "60 seconds" }),
  timeDriftSteps: number("timeDriftSteps", "Allowed clock drift (time steps)", (min, max) => `Steps a time-based token's clock may be off either way: ${min} to ${max}.`),
  lookAheadWindow: number("lookAheadWindow", "Look-ahead window (codes)", (min, max) => `Codes an event-based token may skip and still sign in: ${min} to ${max}.`),
  outerWindow: number(
    "outerWindow",
    "Outer window (codes or steps)",
    (min, max) => `Beyond the look-ahead, how far SafeNet still asks for the next code to resynchronise: ${min} to ${max}, more than the look-ahead window and the drift.`,
  ),
};

export const POLICY_GROUPS: { legend: string; fields: PolicyField[] }[] = [
  { legend: "Lockout", fields: ["lockThreshold", "lockDurationSeconds"] },
  { legend: "PIN", fields: ["pinMode", "pinPosition", "pinMinLength", "pinMaxLength"] },
  { legend: "One-time passwords", fields: ["otpLength", "timeStepSeconds"] },
  { legend: "Windows", fields: ["timeDriftSteps", "lookAheadWindow", "outerWindow"] },
];

export const isPolicyField = (k: string): k is PolicyField => Object.hasOwn(POLICY_FIELDS, k);

/** The sentence for a value outside a field's limits. */
export function limitSentence(field: PolicyField): string {
  const spec = POLICY_FIELDS[field];
  if (spec.kind === "choice") return `Choose one of: ${spec.options.map((o) => o.label).join("; ")}.`;
  if (spec.kind === "minutes") return `Enter a number of minutes from ${Math.ceil((spec.min / 60) * 100) / 100} to ${spec.max / 60}, such as 10 or 0.5.`;
  const never = field === "lockThreshold" ? " (0 never locks)" : "";
  return `Enter a whole number from ${spec.min} to ${spec.max}${never}.`;
}

// Each contract relation (POLICY_RELATIONS) in words, keyed by the field it compares with.
const RELATION_SENTENCES: Record<PolicyRelation["than"], (p: Policy) => string> = {
  pinMaxLength: (p) => `The shortest PIN must not be longer than the longest PIN (${p.pinMaxLength}).`,
  lookAheadWindow: (p) => `The outer window must be greater than the look-ahead window (${p.lookAheadWindow}).`,
  timeDriftSteps: (p) => `The outer window must be greater than the allowed clock drift (${p.timeDriftSteps}).`,
};

/** The rules between fields, as sentences keyed by the field they are shown next to (the first broken one per field). */
export function relationProblems(p: Policy): Partial<Record<PolicyField, string>> {
  const problems: Partial<Record<PolicyField, string>> = {};
  for (const r of brokenRelations(p)) problems[r.field] ??= RELATION_SENTENCES[r.than](p);
  return problems;
}

/** The name a field has in the form: a minutes field posts its minutes under its own name. */
export function formName(field: PolicyField): string {
  const spec = POLICY_FIELDS[field];
  return spec.kind === "minutes" ? spec.name : field;
}

/** Seconds as the minutes the form shows: at most two decimals, none when whole. */
export const secondsToMinutes = (seconds: number) => String(Math.round((seconds / 60) * 100) / 100);

/** The policy as the form's values, keyed by form name. */
export function policyValues(p: Policy): Record<string, string> {
  return Object.fromEntries(
    (Object.keys(POLICY_FIELDS) as PolicyField[]).map((f) => [formName(f), POLICY_FIELDS[f].kind === "minutes" ? secondsToMinutes(p[f] as number) : String(p[f])]),
  );
}
