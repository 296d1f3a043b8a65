"use server";

import { revalidatePath } from "next/cache";
import { requireAdmin } from "@/lib/auth/session";
import { remainingBudget } from "@/lib/safenet/deadline";
import { requireRecentStepUp } from "@/lib/auth/step-up";
import { env } from "@/lib/config/env";
import type { ActionState } from "@/lib/forms";
import { formText, parseForm } from "@/lib/forms";
import { changedFields, mfaSettingsSchema } from "@/lib/mfa/settings";
import {
  checkOtpService,
  checkTmsApi,
  listRepositories,
  type CheckResult,
  type RepositoriesResult,
} from "@/lib/safenet/check-connection";
import { store } from "@/lib/server/store";

export type TmsCheck = { check: CheckResult; repositories?: RepositoriesResult };

// Server actions can be called with anything; only a string is a URL to check.
const asText = (value: unknown) => (typeof value === "string" ? value.slice(0, 2048) : "");

export async function checkOtpServiceAction(url: unknown): Promise<CheckResult> {
  await requireAdmin();
  return checkOtpService(asText(url), { timeoutMs: await remainingBudget() });
}

/** Checks the TMS URL as typed; only the saved URL gets the API key and lists its repositories. */
export async function checkTmsApiAction(url: unknown): Promise<TmsCheck> {
  await requireAdmin();
  const saved = { url: (await store.getMfaSettings()).tmsUrl, apiKey: env().SAFENET_TMS_API_KEY };
  const check = await checkTmsApi(asText(url), saved, { timeoutMs: await remainingBudget() });
  if (!check.ok || !check.keySent) return { check };
  return { check, repositories: await listRepositories(asText(url), saved, { timeoutMs: await remainingBudget() }) };
}

export async function saveMfaSettingsAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const viewer = await requireAdmin();
  const parsed = parseForm(mfaSettingsSchema, form);
  if (!parsed.ok) return parsed.state;
  const before = await store.getMfaSettings();
  const changes = changedFields(before, parsed.data);
  if (changes.length === 0) return { status: "success", message: "Nothing to save: these settings are already in use." };
  if (changes.some((c) => c.field === "otpServiceUrl" || c.field === "tmsUrl")) {
    const stepUp = await requireRecentStepUp(viewer, formText(form, "stepUpPasscode"));
    if (!stepUp.ok) {
      return {
        status: "error",
        message: "Confirm the change with your PIN and one-time password: see the message next to the field.",
        fieldErrors: { stepUpPasscode: stepUp.message },
        values: Object.fromEntries(Object.entries(parsed.data).map(([k, v]) => [k, typeof v === "boolean" ? (v ? "on" : "") : String(v)])),
      };
    }
  }
  await store.saveMfaSettings(parsed.data, viewer.upn);
  await store.recordEvent({ type: "settings.mfa", kind: "settings", actor: viewer.upn, result: "success", detail: { changes } });
  revalidatePath("/admin/mfa");
  const fields = changes.length === 1 ? "1 setting" : `${changes.length} settings`;
  return { status: "success", message: `Saved ${fields}. The next sign-in uses them; no restart is needed.` };
}
