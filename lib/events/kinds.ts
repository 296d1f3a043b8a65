// The kinds of event on the one timeline: the portal's own (recordEvent) and the simulator's,
// whose `type` maps to a kind when it is ingested.

export const PORTAL_KINDS = ["sign-in", "settings", "exclusions", "admin", "decision", "enrollment", "self-service"] as const;
export const SAFENET_KINDS = ["validation", "token", "directory", "policy", "other"] as const;
export const TIMELINE_KINDS = [...PORTAL_KINDS, ...SAFENET_KINDS] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const RESULTS = ["success", "failure", "challenge", "info"] as const;
export type TimelineResult = (typeof RESULTS)[number];

export const KIND_LABELS: Record<TimelineKind, string> = {
  "sign-in": "Portal sign-in",
  settings: "Settings change",
  exclusions: "Exclusion rules",
  admin: "Admin action",
  decision: "MFA decision",
  enrollment: "Enrollment",
  "self-service": "Self-service",
  validation: "SafeNet validation",
  token: "SafeNet token",
  directory: "SafeNet directory",
  policy: "SafeNet policy",
  other: "Other SafeNet event",
};

export const RESULT_LABELS: Record<TimelineResult, string> = {
  success: "Success",
  failure: "Failure",
  challenge: "Challenge (next code needed)",
  info: "Information",
};

/** The timeline kind of a simulator event type (`auth`, `token.suspend`, `policy.changed`, …). */
export function kindOfSafeNetType(type: string): TimelineKind {
  if (type === "auth") return "validation";
  if (type.startsWith("token.")) return "token";
  if (type === "directory.authenticate" || type.startsWith("user.") || type.startsWith("account.")) return "directory";
  if (type.startsWith("policy.")) return "policy";
  return "other";
}

/** Simulator results outside the known four are kept, but filed as information. */
export function normaliseResult(result: string): TimelineResult {
  return (RESULTS as readonly string[]).includes(result) ? (result as TimelineResult) : "info";
}
