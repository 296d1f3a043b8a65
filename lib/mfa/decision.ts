import type { TokenState } from "../safenet/contract";
import { LIST_KINDS, LIST_NAMES, type CompiledRules, type ExclusionSettings, type RuleEntry } from "./rules";

// The RAS logon decision (DESIGN.md, "MFA decision"): provider, exclusions, authentication mode,
// token state → allow, require OTP, enroll (New Account Info) or deny, with the path that led there.

export type Provider = "none" | "safenet";
/** RAS: Mandatory for all users; Create token for Domain Authenticated Users; Use only for users with a SafeNet account. */
export type Mode = "mandatory" | "create_token" | "account_only";
export type { TokenState };
export interface DecisionInput {
  provider: Provider;
  mode: Mode;
  /** Governs the default mode and which lists are on; `rules` is only asked per list. */
  exclusions: ExclusionSettings;
  rules: CompiledRules;
  user: { upn: string; groups: string[]; safenetAccount: boolean; tokens: { serial: string; state: TokenState }[] };
  connection: { clientIp?: string; clientMac?: string; gateway?: string };
}
export type Outcome = "allow" | "require_otp" | "enroll" | "deny";
export type DecisionCode = "provider_none" | "excluded" | "not_excluded_default_none" | "no_account" | "enroll" | "no_usable_token" | "otp";
export interface TraceStep {
  check: string;
  /** Whether what `check` names holds, e.g. "Client IP rule matches" → true when one does. */
  passed: boolean;
  detail: string;
}
export interface Decision {
  outcome: Outcome;
  /** A sentence for people. */
  reason: string;
  code: DecisionCode;
  /** The exclusion that allowed the logon, or (default mode "none") the rule that put MFA on. */
  rule: RuleEntry | null;
  trace: TraceStep[];
}

/** Token states that could still lead to a logon, after activation or an administrator's help. */
const STILL_USABLE: ReadonlySet<TokenState> = new Set(["Assigned", "Active", "Suspended", "Locked"]);
const CHECK_NAMES = { users: "User or group rule matches", clientIps: "Client IP rule matches", macs: "Client MAC rule matches", gateways: "Gateway rule matches" };

const STATE_SENTENCES: Record<TokenState, (serial: string) => string> = {
  Assigned: (s) => `Token ${s} is enrolled but not activated yet; activate it with the key from the activation email.`,
  Active: (s) => `Token ${s} is active.`,
  Suspended: (s) => `Token ${s} is suspended; ask an administrator to reactivate it.`,
  Locked: (s) => `Token ${s} is locked after too many wrong passcodes; ask an administrator to unlock it.`,
  Lost: (s) => `Token ${s} is reported lost and cannot be used.`,
  Inventory: (s) => `Token ${s} is in inventory and not assigned to you.`,
};

export function decide(input: DecisionInput): Decision {
  const { user, connection: conn, exclusions } = input;
  const trace: TraceStep[] = [];
  const done = (outcome: Outcome, code: DecisionCode, reason: string, rule: RuleEntry | null = null): Decision => ({ outcome, code, reason, rule, trace });

  const safenet = input.provider === "safenet";
  trace.push({ check: "MFA provider is SafeNet", passed: safenet, detail: safenet ? "The MFA provider is SafeNet." : "The MFA provider is None." });
  if (!safenet) return done("allow", "provider_none", "No MFA: the MFA provider is None, so domain credentials are enough.");

  const inverted = exclusions.defaultMode === "none";
  let hit: RuleEntry | null = null;
  for (const kind of LIST_KINDS) {
    if (!exclusions.enabled[kind]) {
      trace.push({ check: CHECK_NAMES[kind], passed: false, detail: `The ${LIST_NAMES[kind]} list is switched off.` });
      continue;
    }
    const { entry, detail } = input.rules.checkList(kind, user, conn);
    hit = entry;
    trace.push({ check: CHECK_NAMES[kind], passed: hit !== null, detail });
    if (hit) break;
  }
  if (!inverted && hit) {
    return done("allow", "excluded", `No MFA: ${lowerFirst(trace[trace.length - 1].detail)}`, hit);
  }
  if (inverted && !hit) {
    return done("allow", "not_excluded_default_none", "No MFA: MFA is on only for connections a rule names, and no rule names this one.");
  }
  const rule = inverted ? hit : null;

  if (input.mode === "account_only") {
    trace.push({
      check: "User has a SafeNet account",
      passed: user.safenetAccount,
      detail: user.safenetAccount ? `${user.upn} has a SafeNet account.` : `${user.upn} has no SafeNet account.`,
    });
    if (!user.safenetAccount) {
      return done("allow", "no_account", `No MFA: ${user.upn} has no SafeNet account, and MFA applies only to users who have one.`, rule);
    }
  }

  const usable = user.tokens.filter((t) => STILL_USABLE.has(t.state));
  if (input.mode === "create_token") {
    trace.push({
      check: "User has a token that can still be used",
      passed: usable.length > 0,
      detail: usable.length ? `Usable: ${listTokens(usable)}.` : `${user.upn} has no token in Assigned, Active, Suspended or Locked state.`,
    });
    if (!usable.length) return done("enroll", "enroll", `${user.upn} has no token yet; New Account Info will enrol one.`, rule);
  }

  const active = usable.find((t) => t.state === "Active");
  trace.push({
    check: "User has an Active token",
    passed: active !== undefined,
    detail: active ? `Token ${active.serial} is Active; the logon asks for PIN and passcode.` : `No Active token: ${user.tokens.length ? listTokens(user.tokens) : `${user.upn} has no token`}.`,
  });
  if (active) return done("require_otp", "otp", `Enter your PIN and the passcode from token ${active.serial}.`, rule);

  const assigned = usable.find((t) => t.state === "Assigned");
  if (assigned && input.mode === "create_token") {
    return done("enroll", "enroll", STATE_SENTENCES.Assigned(assigned.serial), rule);
  }
  const reason = user.tokens.length
    ? user.tokens.map((t) => STATE_SENTENCES[t.state](t.serial)).join(" ")
    : `${user.upn} has no token; ask an administrator to assign one.`;
  return done("deny", "no_usable_token", `Logon refused: ${lowerFirst(reason)}`, rule);
}

function listTokens(tokens: { serial: string; state: TokenState }[]) {
  return tokens.map((t) => `${t.serial} (${t.state})`).join(", ");
}

function lowerFirst(s: string) {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
