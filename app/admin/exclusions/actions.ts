"use server";

import { revalidatePath } from "next/cache";
import type { ActionState } from "@/lib/forms/state";
import { decideForConnection, decisionEvent, type ConnectionDecision } from "@/lib/server/mfa/decide-for-user";
import { classifyUser, coveringEntry, isDuplicate, LIST_NAMES, normalizeEntry, userListMatch, type ListKind, type RuleEntry } from "@/lib/mfa/rules";
import { changedFields, exclusionSettingsSchema, MODES, repositoryDomains, type ExclusionDefaults } from "@/lib/mfa/settings";
import { errorSentence, isSafeNetError } from "@/lib/safenet/token-actions";
import { safenet } from "@/lib/server/safenet/endpoints";
import { defineAction } from "@/lib/server/action";
import {
  addExclusionSchema,
  CONFIRM_KEY,
  LIST_TITLES,
  OUTCOME_TITLES,
  removeExclusionSchema,
  saveExclusionDefaultsSchema,
  testConnectionSchema,
  type TestResult,
  type TestState,
} from "./schemas";
import { store } from "@/lib/server/store";

const PAGE = "/admin/exclusions";

const ANYWAY = "If that is what you mean, tick “Add anyway” and add it again.";

/** What the directory says of a users-list entry: unknown user or group, or a user a listed group already covers. */
async function directoryWarning(value: string, existing: RuleEntry[]): Promise<string | null> {
  const { userRepository } = await store.getMfaSettings();
  const domains = repositoryDomains(userRepository);
  const rule = classifyUser(value, domains);
  const client = await safenet();
  try {
    if (rule.type === "group") {
      const { groups } = await client.groups();
      if (groups.some((g) => g.name.toLowerCase() === value.toLowerCase())) return null;
      return `The directory ${userRepository} has no group “${value}”, so this entry would match nobody. Check the spelling. ${ANYWAY}`;
    }
    if (rule.key === null) return `The domain of ${value} is not ${userRepository}'s, so this entry would match nobody. ${ANYWAY}`;
    const user = await client.getUser(rule.key);
    const covering = userListMatch(user, existing, domains);
    return covering ? `${value} is already covered by ${covering.value} in this list. ${ANYWAY}` : null;
  } catch (err) {
    if (isSafeNetError(err) && err.status === 404) return `The directory ${userRepository} has no user ${value}, so this entry would match nobody. Check the spelling. ${ANYWAY}`;
    return `The directory could not be asked whether ${value} exists (${errorSentence(err)}) ${ANYWAY}`;
  }
}

/** Why an entry may be a mistake (covered by another, unknown to the directory), or null. */
async function addWarning(kind: ListKind, value: string): Promise<string | null> {
  const existing = await store.loadRuleEntries();
  // An exact duplicate gets addExclusionRule's own refusal, which no "Add anyway" overrides.
  if (isDuplicate(kind, value, existing)) return null;
  const covering = coveringEntry(kind, value, existing, repositoryDomains((await store.getMfaSettings()).userRepository));
  if (covering) return `${value} is already covered by ${covering.value} in this list, so it would change nothing. ${ANYWAY}`;
  return kind === "users" ? directoryWarning(value, existing) : null;
}

export const addExclusion = defineAction({
  authorize: "admin",
  schema: addExclusionSchema,
  echo: ["value"],
  run: async ({ viewer, data: { kind, value, addAnyway }, fail }): Promise<ActionState> => {
    const normalized = normalizeEntry(kind, value);
    const confirmed = normalized.ok && addAnyway === normalized.value.value;
    if (normalized.ok && !confirmed) {
      const warning = await addWarning(kind, normalized.value.value);
      if (warning) return fail("Not added yet: see the message next to the field.", { value: warning, [CONFIRM_KEY]: normalized.value.value });
    }
    const added = await store.addExclusionRule(kind, value, viewer.upn);
    if (!added.ok) return fail("Not added: see the message next to the field.", { value: added.error });
    const { rule } = added;
    await store.recordEvent({
      type: "exclusions.add",
      kind: "exclusions",
      actor: viewer.upn,
      result: "success",
      detail: { id: rule.id, list: kind, value: rule.value, label: rule.label, ...(confirmed && { addedAnyway: true }) },
    });
    revalidatePath(PAGE);
    return { status: "success", message: `Added ${rule.value} to the ${LIST_NAMES[kind]} list.` };
  },
});

export const removeExclusion = defineAction({
  authorize: "admin",
  schema: removeExclusionSchema,
  invalid: { status: "error", message: "Choose the entry to remove, then confirm." },
  run: async ({ viewer, data, fail }): Promise<ActionState> => {
    const removed = await store.removeExclusionRule(data.id);
    revalidatePath(PAGE);
    if (!removed) return fail("That entry was already removed, perhaps by another administrator; the list is up to date now.");
    await store.recordEvent({
      type: "exclusions.remove",
      kind: "exclusions",
      actor: viewer.upn,
      result: "success",
      detail: { id: removed.id, list: removed.kind, value: removed.value, label: removed.label },
    });
    return { status: "success", message: `Removed ${removed.value} from the ${LIST_NAMES[removed.kind]} list.` };
  },
});

// One flat record per setting, so the event log names "clientIps" rather than all of "enabled".
const flat = (d: ExclusionDefaults) => ({ defaultMode: d.defaultMode, ...d.enabled });

export const saveExclusionDefaultsAction = defineAction({
  authorize: "admin",
  schema: saveExclusionDefaultsSchema.pipe(exclusionSettingsSchema),
  echo: ["defaultMode", "users", "clientIps", "macs", "gateways"],
  run: async ({ viewer, data }): Promise<ActionState> => {
    const changes = changedFields(flat(await store.getExclusionDefaults()), flat(data));
    if (changes.length === 0) return { status: "success", message: "Nothing to save: these settings are already in use." };
    await store.saveExclusionDefaults(data, viewer.upn);
    await store.recordEvent({ type: "exclusions.defaults", kind: "exclusions", actor: viewer.upn, result: "success", detail: { changes } });
    revalidatePath(PAGE);
    const off = (Object.keys(data.enabled) as (keyof ExclusionDefaults["enabled"])[]).filter((k) => !data.enabled[k]);
    const lists = off.length ? `lists switched off: ${off.map((k) => LIST_NAMES[k]).join(", ")}` : "all lists in use";
    const mode = data.defaultMode === "mfa" ? "MFA for all connections except those listed" : "MFA for no connection except those listed";
    return { status: "success", message: `Saved: ${mode}; ${lists}. The next logon uses this.` };
  },
});

/** Plays the logon decision for a user and connection; reads SafeNet, signs nobody in. */
export const testConnection = defineAction({
  authorize: "admin",
  schema: testConnectionSchema,
  echo: ["username", "clientIp", "clientMac", "gateway"],
  run: async ({ viewer, data, echoed, fail }): Promise<TestState> => {
    const answer = await decideForConnection(data);
    if (!answer.ok) {
      if (answer.reason !== "unknown_user") return fail(answer.error);
      return fail("No decision: see the message next to the user field.", { username: answer.error });
    }
    const result = describe(answer);
    await store.recordEvent(decisionEvent("decision.test", viewer.upn, answer, data));
    return { status: "decided", message: `${result.title}. ${result.reason}`, values: echoed, result };
  },
});

function describe(answer: Extract<ConnectionDecision, { ok: true }>): TestResult {
  const { decision, user, provider, mode, exclusions } = answer;
  const rule = decision.rule;
  const where = rule ? `${rule.value} in the ${LIST_TITLES[rule.kind]} list` : "";
  const decidedBy = rule
    ? decision.code === "excluded"
      ? `Excluded from MFA by ${where}.`
      : `MFA applies because of ${where}.`
    : decision.code === "provider_none"
      ? "No rule: the MFA provider is None."
      : decision.code === "not_excluded_default_none"
        ? "No rule matched, and by default MFA applies to no connection."
        : "No exclusion rule matched, so MFA applies as for every connection.";
  const defaultText = exclusions.defaultMode === "mfa" ? "MFA for all connections, except those listed" : "MFA for no connection, except those listed";
  return {
    outcome: decision.outcome,
    title: OUTCOME_TITLES[decision.outcome],
    reason: decision.reason,
    decidedBy,
    trace: decision.trace,
    user: {
      upn: user.upn,
      displayName: user.displayName,
      groups: user.groups,
      safenetAccount: user.safenetAccount,
      tokens: user.tokens.map((t) => `${t.serial} (${t.state})`),
    },
    settings: `Provider ${provider === "safenet" ? "SafeNet" : "None"}; mode “${MODES[mode]}”; default: ${defaultText}.`,
  };
}
