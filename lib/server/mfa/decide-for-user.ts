import "server-only";
import type { PortalEvent } from "@/db/queries/events";
import { SafeNetError, type User } from "@/lib/safenet/contract";
import { decide, type Decision, type Mode, type Provider } from "../../mfa/decision";
import { compileRules, type CompiledRules } from "../../mfa/rules";
import { repositoryDomains, type ExclusionDefaults } from "../../mfa/settings";
import { store } from "@/lib/server/store";
import { safenet } from "@/lib/server/safenet/endpoints";

// Server glue for the MFA decision: today's settings and rules, the user as SafeNet knows them.
// It only reads; nobody is signed in and nothing is written.

export interface ConnectionInput {
  /** Any logon-name form SafeNet accepts: alice@corp.local, CORP\alice, alice. */
  username: string;
  clientIp?: string;
  clientMac?: string;
  gateway?: string;
}

export type ConnectionDecision =
  | { ok: true; decision: Decision; user: User; provider: Provider; mode: Mode; exclusions: ExclusionDefaults }
  | { ok: false; reason: "unknown_user" | "safenet_unavailable"; error: string };

// Compiling 10 000 rules takes ~100 ms and a match microseconds: keep the compiled form while the
// stored rules and list switches are unchanged. It is derived state; the database stays the truth.
let compiled: { key: string; rules: CompiledRules } | undefined;

async function currentRules(exclusions: ExclusionDefaults, repository: string): Promise<CompiledRules> {
  const key = `${await store.ruleSetVersion()}|${JSON.stringify(exclusions)}|${repository}`;
  if (compiled?.key !== key) compiled = { key, rules: compileRules(await store.loadRuleEntries(), exclusions, repositoryDomains(repository)) };
  return compiled.rules;
}

export async function decideForConnection(input: ConnectionInput): Promise<ConnectionDecision> {
  const mfa = await store.getMfaSettings();
  const exclusions = await store.getExclusionDefaults();
  const username = input.username.trim();
  let user: User;
  try {
    user = await (await safenet()).getUser(username);
  } catch (err) {
    if (err instanceof SafeNetError && err.status === 404 && !err.details?.repository) {
      return { ok: false, reason: "unknown_user", error: `SafeNet knows no user "${username}" in ${mfa.userRepository}; check the spelling, or try the UPN (alice@corp.local).` };
    }
    if (err instanceof SafeNetError && err.status === 400) {
      return { ok: false, reason: "unknown_user", error: `SafeNet cannot look up "${username}": ${err.message}` };
    }
    const why = err instanceof SafeNetError ? err.message : "SafeNet could not be asked.";
    return { ok: false, reason: "safenet_unavailable", error: `${why} The decision needs the user's groups and tokens from SafeNet.` };
  }
  const blankToUndefined = (v?: string) => (v?.trim() ? v.trim() : undefined);
  const decision = decide({
    provider: mfa.provider,
    mode: mfa.mode,
    exclusions,
    rules: await currentRules(exclusions, mfa.userRepository),
    user: { upn: user.upn, groups: user.groups, safenetAccount: user.safenetAccount, tokens: user.tokens },
    connection: { clientIp: blankToUndefined(input.clientIp), clientMac: blankToUndefined(input.clientMac), gateway: blankToUndefined(input.gateway) },
  });
  return { ok: true, decision, user, provider: mfa.provider, mode: mfa.mode, exclusions };
}

/** The timeline's record of a decision played out for `actor` (a test, not a logon): the rule that decided and the connection. */
export function decisionEvent(type: string, actor: string, answer: Extract<ConnectionDecision, { ok: true }>, connection: Omit<ConnectionInput, "username">): PortalEvent {
  const { decision } = answer;
  return {
    type,
    kind: "decision",
    actor,
    user: answer.user.upn,
    result: "info",
    reason: decision.code,
    clientIp: connection.clientIp || null,
    detail: {
      outcome: decision.outcome,
      rule: decision.rule && { id: decision.rule.id, list: decision.rule.kind, value: decision.rule.value },
      clientMac: connection.clientMac || null,
      gateway: connection.gateway || null,
    },
  };
}
