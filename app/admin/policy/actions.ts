"use server";

import { revalidatePath } from "next/cache";
import type { ActionState } from "@/lib/forms/state";
import { type Policy } from "@/lib/safenet/contract";
import { isSafeNetError } from "@/lib/safenet/token-actions";
import { defineAction } from "@/lib/server/action";
import { formName, POLICY_FIELDS, type PolicyField } from "./policy-fields";
import { fieldErrorsFromSafeNet, savePolicySchema } from "./policy-schema";
import { store } from "@/lib/server/store";
import { safenet } from "@/lib/server/safenet/endpoints";

function changedFields(before: Policy, next: Policy): PolicyField[] {
  return (Object.keys(POLICY_FIELDS) as PolicyField[]).filter((k) => before[k] !== next[k]);
}

const pick = (p: Policy, keys: PolicyField[]) => Object.fromEntries(keys.map((k) => [k, p[k]]));

export const savePolicy = defineAction({
  authorize: "admin",
  schema: savePolicySchema,
  echo: (Object.keys(POLICY_FIELDS) as PolicyField[]).map(formName) as ("lockDurationMinutes" | Exclude<PolicyField, "lockDurationSeconds">)[],
  run: async ({ viewer, data: next }): Promise<ActionState> => {
    const client = await safenet();
    const before = await client.policy();
    const changed = changedFields(before, next);
    if (changed.length === 0) return { status: "success", message: "Nothing to save: the policy already has these values." };
    // Only the changed fields, so SafeNet's own policy.changed event names just those.
    const after = await client.setPolicy(pick(next, changed));

    const saved = changedFields(before, after);
    await store.recordEvent({
      type: "settings.policy",
      kind: "settings",
      actor: viewer.upn,
      result: "success",
      detail: { before: pick(before, saved), after: pick(after, saved) },
    });
    revalidatePath("/admin/policy");
    const names = saved.map((k) => POLICY_FIELDS[k].label.toLowerCase()).join(", ");
    return { status: "success", message: `Policy saved. Changed: ${names}. It applies from the next sign-in.` };
  },
  failed: async (err, { viewer, data, sentence, fail }) => {
    const refused = isSafeNetError(err) && err.status === 400;
    const message = refused ? "SafeNet refused the policy: see the messages next to the fields." : sentence;
    await store.recordEvent({
      type: "settings.policy",
      kind: "settings",
      actor: viewer.upn,
      result: "failure",
      reason: isSafeNetError(err) ? err.code : "error",
      detail: { message: isSafeNetError(err) ? err.message : message, ...(refused && { fields: Object.keys(err.details ?? {}) }) },
    });
    return fail(message, refused ? fieldErrorsFromSafeNet(err.details, data) : undefined);
  },
});
