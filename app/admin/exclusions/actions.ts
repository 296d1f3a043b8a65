"use server";

import { revalidatePath } from "next/cache";
import { requireAdmin } from "@/lib/auth/session";
import { formValues, parseForm, type ActionState } from "@/lib/forms";
import { decideForConnection, type ConnectionDecision } from "@/lib/mfa/decide-for-user";
import { LIST_NAMES } from "@/lib/mfa/rules";
import { changedFields, exclusionSettingsSchema, MODES, type ExclusionDefaults } from "@/lib/mfa/settings";
import {
  addExclusionSchema,
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

export async function addExclusion(_prev: ActionState, form: FormData): Promise<ActionState> {
  const admin = await requireAdmin();
  const parsed = parseForm(addExclusionSchema, form);
  if (!parsed.ok) return parsed.state;
  const { kind, value } = parsed.data;
  const added = await store.addExclusionRule(kind, value, admin.upn);
  if (!added.ok) {
    return { status: "error", message: "Not added: see the message next to the field.", fieldErrors: { value: added.error }, values: { value } };
  }
  const { rule } = added;
  await store.recordEvent({
    type: "exclusions.add",
    kind: "exclusions",
    actor: admin.upn,
    result: "success",
    detail: { id: rule.id, list: kind, value: rule.value, label: rule.label },
  });
  revalidatePath(PAGE);
  return { status: "success", message: `Added ${rule.value} to the ${LIST_NAMES[kind]} list.` };
}

export async function removeExclusion(_prev: ActionState, form: FormData): Promise<ActionState> {
  const admin = await requireAdmin();
  const parsed = parseForm(removeExclusionSchema, form);
  if (!parsed.ok) return { status: "error", message: "Choose the entry to remove, then confirm." };
  const removed = await store.removeExclusionRule(parsed.data.id);
  revalidatePath(PAGE);
  if (!removed) return { status: "error", message: "That entry was already removed, perhaps by another administrator; the list is up to date now." };
  await store.recordEvent({
    type: "exclusions.remove",
    kind: "exclusions",
    actor: admin.upn,
    result: "success",
    detail: { id: removed.id, list: removed.kind, value: removed.value, label: removed.label },
  });
  return { status: "success", message: `Removed ${removed.value} from the ${LIST_NAMES[removed.kind]} list.` };
}

// One flat record per setting, so the event log names "clientIps" rather than all of "enabled".
const flat = (d: ExclusionDefaults) => ({ defaultMode: d.defaultMode, ...d.enabled });

export async function saveExclusionDefaultsAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const admin = await requireAdmin();
  const parsed = parseForm(saveExclusionDefaultsSchema.pipe(exclusionSettingsSchema), form);
  if (!parsed.ok) return parsed.state;
  const changes = changedFields(flat(await store.getExclusionDefaults()), flat(parsed.data));
  if (changes.length === 0) return { status: "success", message: "Nothing to save: these settings are already in use." };
  await store.saveExclusionDefaults(parsed.data, admin.upn);
  await store.recordEvent({ type: "exclusions.defaults", kind: "exclusions", actor: admin.upn, result: "success", detail: { changes } });
  revalidatePath(PAGE);
  const off = (Object.keys(parsed.data.enabled) as (keyof ExclusionDefaults["enabled"])[]).filter((k) => !parsed.data.enabled[k]);
  const lists = off.length ? `lists switched off: ${off.map((k) => LIST_NAMES[k]).join(", ")}` : "all lists in use";
  const mode = parsed.data.defaultMode === "mfa" ? "MFA for all connections except those listed" : "MFA for no connection except those listed";
  return { status: "success", message: `Saved: ${mode}; ${lists}. The next logon uses this.` };
}

/** Plays the logon decision for a user and connection; reads SafeNet, signs nobody in. */
export async function testConnection(_prev: TestState, form: FormData): Promise<TestState> {
  const admin = await requireAdmin();
  const parsed = parseForm(testConnectionSchema, form);
  if (!parsed.ok) return parsed.state as TestState;
  const values = formValues(form);
  const answer = await decideForConnection(parsed.data);
  if (!answer.ok) {
    const fieldErrors = answer.reason === "unknown_user" ? { username: answer.error } : undefined;
    return { status: "error", message: fieldErrors ? "No decision: see the message next to the user field." : answer.error, fieldErrors, values };
  }
  const result = describe(answer);
  const { decision } = answer;
  await store.recordEvent({
    type: "decision.test",
    kind: "decision",
    actor: admin.upn,
    user: answer.user.upn,
    result: "info",
    reason: decision.code,
    clientIp: parsed.data.clientIp || null,
    detail: {
      outcome: decision.outcome,
      rule: decision.rule && { id: decision.rule.id, list: decision.rule.kind, value: decision.rule.value },
      clientMac: parsed.data.clientMac || null,
      gateway: parsed.data.gateway || null,
    },
  });
  return { status: "decided", message: `${result.title}. ${result.reason}`, values, result };
}

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
