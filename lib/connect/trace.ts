import type { Decision, DecisionCode, Mode, Outcome } from "../mfa/decision";
import { LIST_NAMES } from "../mfa/rules";
import { MODES } from "../mfa/settings";

// The decision as the connection test shows it: the checks in DESIGN.md's order, the rule that
// decided, and the outcome with the reason in the client's words. Pure, so it is unit-tested.

export const OUTCOME_TITLES: Record<Outcome, string> = {
  allow: "Allowed without MFA",
  require_otp: "OTP prompt",
  enroll: "New Account Info",
  deny: "Denied",
};

export interface TraceRow {
  check: string;
  passed: boolean;
  /** "yes" or "no", as read out next to the check. */
  answer: "yes" | "no";
  detail: string;
}

export interface RuleView {
  id: number;
  list: string;
  value: string;
  /** "Excluded by rule #3: 10.20.0.0/16 in the client IP list." */
  text: string;
  /** Set for administrators: the exclusions page filtered to this rule. */
  href?: string;
}

export interface DecisionView {
  outcome: Outcome;
  code: DecisionCode;
  title: string;
  /** The decision's own sentence. */
  reason: string;
  /** Why, in a few words: "Provider None: …", "Excluded by rule #3: …", "No SafeNet account, in mode …", … */
  because: string;
  rows: TraceRow[];
  rule: RuleView | null;
}

export function decisionView(decision: Decision, ctx: { mode: Mode; isAdmin: boolean }): DecisionView {
  const rule = decision.rule ? ruleView(decision, ctx.isAdmin) : null;
  return {
    outcome: decision.outcome,
    code: decision.code,
    title: OUTCOME_TITLES[decision.outcome],
    reason: decision.reason,
    because: because(decision.code, ctx.mode, rule),
    rows: decision.trace.map((s) => ({ check: s.check, passed: s.passed, answer: s.passed ? "yes" : "no", detail: s.detail })),
    rule,
  };
}

function ruleView(decision: Decision, isAdmin: boolean): RuleView {
  const r = decision.rule!;
  const where = `rule #${r.id}: ${r.value} in the ${LIST_NAMES[r.kind]} list`;
  const text = decision.code === "excluded" ? `Excluded by ${where}.` : `MFA applies because of ${where}.`;
  return {
    id: r.id,
    list: LIST_NAMES[r.kind],
    value: r.value,
    text,
    ...(isAdmin && { href: `/admin/exclusions?q=${encodeURIComponent(r.value)}` }),
  };
}

function because(code: DecisionCode, mode: Mode, rule: RuleView | null): string {
  switch (code) {
    case "provider_none":
      return "Provider None: no connection needs MFA.";
    case "excluded":
      return rule ? rule.text : "Excluded by a rule.";
    case "not_excluded_default_none":
      return "MFA for no connection by default, and no rule names this one.";
    case "no_account":
      return `No SafeNet account, in mode “${MODES[mode]}”.`;
    case "enroll":
      return `No token yet, in mode “${MODES[mode]}”.`;
    case "no_usable_token":
      return "No usable token.";
    case "otp":
      return "The user has an Active token.";
  }
}
