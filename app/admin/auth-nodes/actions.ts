"use server";

import crypto from "node:crypto";
import { revalidatePath } from "next/cache";
import { requireRecentStepUp } from "@/lib/server/auth/step-up";
import { defineAction } from "@/lib/server/action";
import { safenet } from "@/lib/server/safenet/endpoints";
import { store } from "@/lib/server/store";
import { isSafeNetError } from "@/lib/safenet/token-actions";
import { addAuthNodeSchema, removeAuthNodeSchema, type AddState, type RemoveState } from "./schemas";

// Auth nodes decide who may ask SafeNet over RADIUS, so adding or removing one needs the same
// recent PIN + OTP as changing a service URL (lib/server/auth/step-up.ts). The secret is made here
// unless the administrator typed one, goes to SafeNet, and comes back to this browser once, in the
// answer to the add: it is never echoed by a failed form, stored by the portal or put in an event.

const PAGE = "/admin/auth-nodes";
const STEP_UP_FAILED = "Confirm with your PIN and one-time password: see the message next to the field.";

export const addAuthNode = defineAction({
  authorize: "admin",
  schema: addAuthNodeSchema,
  echo: ["name", "address", "requireMessageAuthenticator"],
  run: async ({ viewer, data, fail }): Promise<AddState> => {
    const stepUp = await requireRecentStepUp(viewer, data.stepUpPasscode, Date.now(), "Adding an auth node");
    if (!stepUp.ok) return fail(STEP_UP_FAILED, { stepUpPasscode: stepUp.message });
    const secret = data.secret || crypto.randomBytes(32).toString("base64url");
    const requireMessageAuthenticator = data.requireMessageAuthenticator === "on";
    let node;
    try {
      node = await (await safenet()).createAuthNode({ name: data.name, address: data.address, secret, requireMessageAuthenticator });
    } catch (err) {
      if (isSafeNetError(err) && err.status === 409) return fail("Not added: see the message next to the field.", { name: `An auth node named “${data.name}” exists already. Choose another name, or remove that node first.` });
      if (isSafeNetError(err) && err.status === 400) {
        const fields = Object.keys(err.details ?? {}).filter((k) => k === "name" || k === "address" || k === "secret");
        const sentence = `SafeNet refused this value: ${err.message}`;
        if (fields.length) return fail("Not added: see the message next to the field.", Object.fromEntries(fields.map((f) => [f, sentence])));
      }
      throw err;
    }
    await store.recordEvent({
      type: "settings.authnode.add",
      kind: "settings",
      actor: viewer.upn,
      result: "success",
      detail: { id: node.id, name: node.name, address: node.address, requireMessageAuthenticator: node.requireMessageAuthenticator, secret: data.secret ? "typed" : "generated" },
    });
    revalidatePath(PAGE);
    return {
      status: "added",
      message: `Added the auth node ${node.name} for ${node.address}. Copy its secret now: it will not be shown again.`,
      name: node.name,
      address: node.address,
      secret,
    };
  },
});

export const removeAuthNode = defineAction({
  authorize: "admin",
  schema: removeAuthNodeSchema,
  hidden: ["id"],
  run: async ({ viewer, data, fail }): Promise<RemoveState> => {
    const stepUp = await requireRecentStepUp(viewer, data.stepUpPasscode, Date.now(), "Removing an auth node");
    if (!stepUp.ok) return { ...fail(STEP_UP_FAILED, { stepUpPasscode: stepUp.message }), id: data.id };
    const client = await safenet();
    const node = (await client.listAuthNodes()).find((n) => n.id === data.id);
    try {
      await client.deleteAuthNode(data.id);
    } catch (err) {
      if (!(isSafeNetError(err) && err.status === 404)) throw err;
      revalidatePath(PAGE);
      return fail("That node was already removed, perhaps by another administrator; the list is up to date now.");
    }
    await store.recordEvent({
      type: "settings.authnode.remove",
      kind: "settings",
      actor: viewer.upn,
      result: "success",
      detail: { id: data.id, ...(node && { name: node.name, address: node.address }) },
    });
    revalidatePath(PAGE);
    return { status: "success", message: `Removed the auth node ${node?.name ?? data.id}. RADIUS requests from ${node?.address ?? "its address"} are dropped from now on.` };
  },
});
