import type { SafeNetPolicy } from "@/lib/safenet/client";

// The SafeNet policy's fields as the form shows them, with the simulator's limits
// (mock-safenet/policy.ts). Plain data: the client form and the server schema both read it.

export type PolicyField = keyof SafeNetPolicy;

export type FieldSpec =
  | { kind: "number"; label: string; hint: string; min: number; max: number }
  | { kind: "choice"; label: string; hint: string; options: { value: string; label: string }[] };

// Each option as [the value the form posts, its label].
const choice = (label: string, hint: string, options: [string, string][]): FieldSpec => ({
  kind: "choice",
  label,
  hint,
  options: options.map(([value, text]) => ({ value, label: text })),
});

export const POLICY_FIELDS: Record<PolicyField, FieldSpec> = {
  lockThreshold: {
    kind: "number",
    label: "Failures before a token locks",
    hint: "Consecutive failed logons that lock a token: 0 to 100. 0 never locks.",
    min: 0,
    max: 100,
  },
  lockDurationSeconds: {
    kind: "number",
    label: "Lock duration (seconds)",
    hint: "How long a token stays locked before it unlocks by itself: 1 to 2592000 (30 days).",
    min: 1,
    max: 2_592_000,
  },
  pinMode: choice("PIN mode", "Where the PIN is checked.", [["server", "Server: the PIN is typed with the one-time password"], ["token", "Token: the PIN stays in MobilePASS"]]),
  pinPosition: choice("PIN position", "Where a server PIN goes in the passcode.", [["prefix", "Before the one-time password"], ["suffix", "After the one-time password"]]),
  pinMinLength: { kind: "number", label: "Shortest PIN (digits)", hint: "4 to 8, not more than the longest PIN.", min: 4, max: 8 },
  pinMaxLength: { kind: "number", label: "Longest PIN (digits)", hint: "4 to 8, not less than the shortest PIN.", min: 4, max: 8 },
  otpLength: choice("One-time password length", "Digits in each code of newly provisioned tokens.", [["6", "6 digits"], ["8", "8 digits"]]),
  timeStepSeconds: choice("Time step", "How often a time-based token shows a new code.", [["30", "30 seconds"], ["60", "60 seconds"]]),
  timeDriftSteps: {
    kind: "number",
    label: "Allowed clock drift (time steps)",
    hint: "Steps a time-based token's clock may be off either way: 0 to 10.",
    min: 0,
    max: 10,
  },
  lookAheadWindow: {
    kind: "number",
    label: "Look-ahead window (codes)",
    hint: "Codes an event-based token may skip and still sign in: 1 to 100.",
    min: 1,
    max: 100,
  },
  outerWindow: {
    kind: "number",
    label: "Outer window (codes or steps)",
    hint: "Beyond the look-ahead, how far SafeNet still asks for the next code to resynchronise: 1 to 1000, more than the look-ahead window and the drift.",
    min: 1,
    max: 1000,
  },
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
  const never = field === "lockThreshold" ? " (0 never locks)" : "";
  return `Enter a whole number from ${spec.min} to ${spec.max}${never}.`;
}

/** The rules between fields, as sentences keyed by the field they are shown next to. */
export function relationProblems(p: SafeNetPolicy): Partial<Record<PolicyField, string>> {
  const problems: Partial<Record<PolicyField, string>> = {};
  if (p.pinMinLength > p.pinMaxLength) {
    problems.pinMinLength = `The shortest PIN must not be longer than the longest PIN (${p.pinMaxLength}).`;
  }
  if (p.outerWindow <= p.lookAheadWindow) {
    problems.outerWindow = `The outer window must be greater than the look-ahead window (${p.lookAheadWindow}).`;
  } else if (p.outerWindow <= p.timeDriftSteps) {
    problems.outerWindow = `The outer window must be greater than the allowed clock drift (${p.timeDriftSteps}).`;
  }
  return problems;
}

export function policyValues(p: SafeNetPolicy): Record<PolicyField, string> {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)])) as Record<PolicyField, string>;
}
