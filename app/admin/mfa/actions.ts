"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireRecentStepUp } from "@/lib/server/auth/step-up";
import { env } from "@/lib/runtime/env";
import type { ActionState } from "@/lib/forms/state";
import { changedFields, mfaSettingsSchema } from "@/lib/mfa/settings";
import { checkOtpService, checkTmsApi, listRepositories, type CheckResult, type RepositoriesResult } from "@/lib/server/safenet/check-connection";
import { remainingBudget } from "@/lib/server/safenet/deadline";
import { defineAction } from "@/lib/server/action";
import { store } from "@/lib/server/store";
import { failedUrlKey, saveAnywayName, SERVICE_URL_FIELDS, type ServiceUrlField } from "./url-check";

export type TmsCheck = { check: CheckResult; repositories?: RepositoriesResult };

// Server actions can be called with anything; only a string is a URL to check.
const urlToCheck = z.unknown().transform((value) => (typeof value === "string" ? value.slice(0, 2048) : ""));

export const checkOtpServiceAction = defineAction({
  authorize: "admin",
  input: "argument",
  schema: urlToCheck,
  run: async ({ data: url }): Promise<CheckResult> => checkOtpService(url, { timeoutMs: await remainingBudget() }),
});

/** Checks the TMS URL as typed; only the saved URL gets the API key and lists its repositories. */
export const checkTmsApiAction = defineAction({
  authorize: "admin",
  input: "argument",
  schema: urlToCheck,
  run: async ({ data: url }): Promise<TmsCheck> => {
    const saved = { url: (await store.getMfaSettings()).tmsUrl, apiKey: env().SAFENET_TMS_API_KEY };
    const check = await checkTmsApi(url, saved, { timeoutMs: await remainingBudget() });
    if (!check.ok || !check.keySent) return { check };
    return { check, repositories: await listRepositories(url, saved, { timeoutMs: await remainingBudget() }) };
  },
});

// The step-up passcode rides along with the settings; requireRecentStepUp reads it only when a URL changes.
// A "Save anyway" box carries the URL it confirms; it counts only for that URL.
const saveMfaSchema = mfaSettingsSchema.extend({
  stepUpPasscode: z.string().prefault(""),
  "saveAnyway-otpServiceUrl": z.string().prefault(""),
  "saveAnyway-tmsUrl": z.string().prefault(""),
});

type UrlCheck = "checked" | "saved_anyway";

/** The check Check connection runs, for a URL about to be saved. */
async function checkServiceUrl(field: ServiceUrlField, url: string): Promise<CheckResult> {
  const timeoutMs = await remainingBudget();
  if (field === "otpServiceUrl") return checkOtpService(url, { timeoutMs });
  return checkTmsApi(url, { url: (await store.getMfaSettings()).tmsUrl, apiKey: env().SAFENET_TMS_API_KEY }, { timeoutMs });
}

/**
 * Each changed service URL is checked before it is saved: one that does not answer as that service is
 * refused (its field says why and names the URL) unless "Save anyway" confirms that very URL.
 */
async function checkChangedUrls(fields: ServiceUrlField[], data: z.output<typeof saveMfaSchema>) {
  const results = await Promise.all(fields.map((field) => checkServiceUrl(field, data[field])));
  const outcome: Partial<Record<ServiceUrlField, UrlCheck>> = {};
  const refused: Record<string, string> = {};
  fields.forEach((field, i) => {
    const result = results[i];
    if (result.ok) outcome[field] = "checked";
    else if (data[saveAnywayName(field)] === data[field]) outcome[field] = "saved_anyway";
    else {
      refused[field] = `Not saved: ${result.message} If SafeNet will answer there later, tick “Save anyway” below and save again.`;
      refused[failedUrlKey(field)] = data[field];
    }
  });
  return { outcome, refused };
}

export const saveMfaSettingsAction = defineAction({
  authorize: "admin",
  schema: saveMfaSchema,
  echo: ["provider", "otpServiceUrl", "mode", "tokenType", "tmsUrl", "userRepository", "splitDelivery"],
  run: async ({ viewer, data, fail }): Promise<ActionState> => {
    const { stepUpPasscode, "saveAnyway-otpServiceUrl": _o, "saveAnyway-tmsUrl": _t, ...settings } = data;
    const changes = changedFields(await store.getMfaSettings(), settings);
    if (changes.length === 0) return { status: "success", message: "Nothing to save: these settings are already in use." };
    const urlFields = SERVICE_URL_FIELDS.filter((field) => changes.some((c) => c.field === field));
    let urlCheck: Partial<Record<ServiceUrlField, UrlCheck>> | undefined;
    if (urlFields.length > 0) {
      const stepUp = await requireRecentStepUp(viewer, stepUpPasscode);
      if (!stepUp.ok) {
        return fail("Confirm the change with your PIN and one-time password: see the message next to the field.", { stepUpPasscode: stepUp.message });
      }
      const checked = await checkChangedUrls(urlFields, data);
      if (Object.keys(checked.refused).length > 0) {
        return fail("A new service URL did not answer as SafeNet, so nothing was saved: see the message next to the field.", checked.refused);
      }
      urlCheck = checked.outcome;
    }
    await store.saveMfaSettings(settings, viewer.upn);
    await store.recordEvent({ type: "settings.mfa", kind: "settings", actor: viewer.upn, result: "success", detail: { changes, ...(urlCheck && { urlCheck }) } });
    revalidatePath("/admin/mfa");
    const fields = changes.length === 1 ? "1 setting" : `${changes.length} settings`;
    const anyway = Object.values(urlCheck ?? {}).includes("saved_anyway") ? " A URL that did not answer was saved anyway, as you confirmed." : "";
    return { status: "success", message: `Saved ${fields}.${anyway} The next sign-in uses them; no restart is needed.` };
  },
});
