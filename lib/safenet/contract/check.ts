import type { z } from "zod";

// Checking an answer against its schema and saying what is wrong in words that never repeat a
// value from the answer (it may hold an activation key or a seed).

export type AnswerCheck<T> = { ok: true; data: T } | { ok: false; problems: string };

const MAX_PROBLEMS = 3;

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function describe(issue: z.core.$ZodIssue, value: unknown): string {
  const where = issue.path.length ? issue.path.map(String).join(".") : "the answer";
  // The contract's own messages continue the field's name ("is not 16 letters and digits"); zod's
  // stand alone ("Too big: …"). Neither ever holds the input.
  if (/^[a-z]/.test(issue.message)) return `${where} ${issue.message}`;
  if (issue.path.length && valueAt(value, issue.path) === undefined) return `${where} is missing`;
  if (issue.code === "invalid_type") return `${where} is not ${/^[aeiou]/.test(issue.expected) ? "an" : "a"} ${issue.expected}`;
  return `${where}: ${issue.message}`;
}

/** The issues of a failed parse as one sentence fragment, at most three of them. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], value: unknown): string {
  const listed = issues.slice(0, MAX_PROBLEMS).map((i) => describe(i, value));
  const more = issues.length > MAX_PROBLEMS ? ` and ${issues.length - MAX_PROBLEMS} more` : "";
  return listed.join("; ") + more;
}

export function checkAnswer<T>(schema: z.ZodType<T>, value: unknown): AnswerCheck<T> {
  const result = schema.safeParse(value);
  return result.success ? { ok: true, data: result.data } : { ok: false, problems: describeIssues(result.error.issues, value) };
}
