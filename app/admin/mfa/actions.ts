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
const saveMfaSchema = mfaSettingsSchema.extend({ stepUpPasscode: z.string().prefault("") });

export const saveMfaSettingsAction = defineAction({
  authorize: "admin",
  schema: saveMfaSchema,
  echo: ["provider", "otpServiceUrl", "mode", "tokenType", "tmsUrl", "userRepository", "splitDelivery"],
  run: async ({ viewer, data: { stepUpPasscode, ...settings }, fail }): Promise<ActionState> => {
    const changes = changedFields(await store.getMfaSettings(), settings);
    if (changes.length === 0) return { status: "success", message: "Nothing to save: these settings are already in use." };
    if (changes.some((c) => c.field === "otpServiceUrl" || c.field === "tmsUrl")) {
      const stepUp = await requireRecentStepUp(viewer, stepUpPasscode);
      if (!stepUp.ok) {
        return fail("Confirm the change with your PIN and one-time password: see the message next to the field.", { stepUpPasscode: stepUp.message });
      }
    }
    await store.saveMfaSettings(settings, viewer.upn);
    await store.recordEvent({ type: "settings.mfa", kind: "settings", actor: viewer.upn, result: "success", detail: { changes } });
    revalidatePath("/admin/mfa");
    const fields = changes.length === 1 ? "1 setting" : `${changes.length} settings`;
    return { status: "success", message: `Saved ${fields}. The next sign-in uses them; no restart is needed.` };
  },
});
