"use server";

import { revalidatePath } from "next/cache";
import { stepUpIsRecent } from "@/lib/auth/session-rules";
import type { ActionState } from "@/lib/forms/state";
import { defineAction } from "@/lib/server/action";
import { requireRecentStepUp } from "@/lib/server/auth/step-up";
import type { Viewer } from "@/lib/server/auth/session";
import { safenet } from "@/lib/server/safenet/endpoints";
import { store } from "@/lib/server/store";
import {
  addRepositorySchema,
  createBody,
  ECHO,
  editRepositorySchema,
  needsBindPassword,
  patchBody,
  removeRepositorySchema,
  testRepositorySchema,
  URL_NEEDS_PASSWORD,
  type TestState,
} from "./schemas";

// LDAP user repositories at SafeNet: add, change, remove, and Test connection on the form as typed.
// Adding or changing one changes who can sign in, so it needs a recent PIN + OTP like a URL change
// on the MFA page. The bind password goes to SafeNet's saved TMS URL only and never comes back.

const STEP_UP_NEEDED = "Adding or changing a user repository needs your PIN and one-time password from the last five minutes: enter them here.";

async function stepUp(viewer: Viewer, passcode: string) {
  if (!stepUpIsRecent(viewer.stepUpAt, Date.now()) && passcode.trim() === "") return { ok: false as const, message: STEP_UP_NEEDED };
  return requireRecentStepUp(viewer, passcode);
}

const STEP_UP_FAILED = "Confirm the change with your PIN and one-time password: see the message next to the field.";

/** The saved repository as SafeNet lists it (the source of truth, not the form), or null. */
async function savedRepository(name: string) {
  const { repositories } = await (await safenet()).repositories();
  return repositories.find((r) => r.name === name) ?? null;
}

export const addRepository = defineAction({
  authorize: "admin",
  schema: addRepositorySchema,
  echo: ECHO,
  run: async ({ viewer, data, fail }): Promise<ActionState> => {
    const confirmed = await stepUp(viewer, data.stepUpPasscode);
    if (!confirmed.ok) return fail(STEP_UP_FAILED, { stepUpPasscode: confirmed.message });
    const created = await (await safenet()).createRepository(createBody(data));
    await store.recordEvent({
      type: "settings.repository.add",
      kind: "settings",
      actor: viewer.upn,
      result: "success",
      detail: { name: created.name, url: created.url, bindDn: created.bindDn, baseDn: created.baseDn },
    });
    revalidatePath("/admin/repositories");
    return { status: "success", message: `Added ${created.name}. Choose it as the User Repository under Multi-factor authentication to let its users sign in.` };
  },
});

export const editRepository = defineAction({
  authorize: "admin",
  schema: editRepositorySchema,
  echo: ECHO,
  hidden: ["name"],
  run: async ({ viewer, data, fail }): Promise<ActionState> => {
    const saved = await savedRepository(data.name);
    if (!saved || saved.kind !== "LDAP") return fail(`SafeNet has no LDAP repository “${data.name}” any more. Reload the page to see the list.`);
    if (needsBindPassword(saved.url, data.url, data.bindPassword)) return fail("Not saved: see the message next to the bind password.", { bindPassword: URL_NEEDS_PASSWORD });
    const confirmed = await stepUp(viewer, data.stepUpPasscode);
    if (!confirmed.ok) return fail(STEP_UP_FAILED, { stepUpPasscode: confirmed.message });
    const body = patchBody(data);
    await (await safenet()).patchRepository(data.name, body);
    const changed = Object.keys(body).filter((k) => k !== "bindPassword");
    await store.recordEvent({
      type: "settings.repository.change",
      kind: "settings",
      actor: viewer.upn,
      result: "success",
      detail: { name: data.name, url: data.url, fields: changed, bindPasswordChanged: "bindPassword" in body },
    });
    revalidatePath("/admin/repositories");
    revalidatePath("/admin/mfa");
    return { status: "success", message: `Saved ${data.name}. The next sign-in uses it.` };
  },
});

export const removeRepository = defineAction({
  authorize: "admin",
  schema: removeRepositorySchema,
  hidden: ["name"],
  run: async ({ viewer, data, fail }): Promise<ActionState> => {
    if ((await store.getMfaSettings()).userRepository === data.name) {
      return fail(`${data.name} is the User Repository its users sign in with. Choose another under Multi-factor authentication first, then remove it.`);
    }
    await (await safenet()).deleteRepository(data.name);
    await store.recordEvent({ type: "settings.repository.remove", kind: "settings", actor: viewer.upn, result: "success", detail: { name: data.name } });
    revalidatePath("/admin/repositories");
    return { status: "success", message: `Removed ${data.name}.` };
  },
});

/** Bind, a sample search and counts, with the form as typed; nothing is saved. */
export const testRepositoryConnection = defineAction({
  authorize: "admin",
  schema: testRepositorySchema,
  run: async ({ data, fail }): Promise<TestState> => {
    const { mode, name, ...form } = data;
    const client = await safenet();
    if (mode === "add") {
      if (!form.bindPassword) return fail("Not tested: see the message next to the bind password.", { bindPassword: "Enter the bind password of that DN to test it." });
      const { name: _unnamed, kind, ...body } = createBody({ ...form, name: "" });
      return { status: "tested", answer: await client.testRepository({ kind, ...body }) };
    }
    const saved = await savedRepository(name);
    if (!saved || saved.kind !== "LDAP") return fail(`SafeNet has no LDAP repository “${name}” any more. Reload the page to see the list.`);
    if (needsBindPassword(saved.url, form.url, form.bindPassword)) return fail("Not tested: see the message next to the bind password.", { bindPassword: URL_NEEDS_PASSWORD });
    return { status: "tested", answer: await client.testRepository({ name, ...patchBody(form) }) };
  },
});
