"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { accountKey } from "@/lib/auth/throttle";
import { upn } from "@/lib/forms/fields";
import type { ActionState } from "@/lib/forms/state";
import { defineAction } from "@/lib/server/action";
import { store } from "@/lib/server/store";

/** An administrator clears a user's sign-in throttle (the account's, whatever spelling was used). */
export const clearThrottleAction = defineAction({
  authorize: "admin",
  schema: z.object({ upn }),
  hidden: ["upn"],
  run: async ({ viewer, data }): Promise<ActionState> => {
    const key = accountKey(data.upn);
    const before = await store.throttleState(key);
    const cleared = await store.clearThrottle(key);
    if (!cleared) return { status: "success", message: `${data.upn} has no failed sign-ins to clear.` };
    await store.recordEvent({
      type: "admin.throttle-cleared",
      kind: "admin",
      actor: viewer.upn,
      user: data.upn,
      result: "success",
      detail: { failures: before?.failures ?? 0, wasBlocked: !!before?.blockedUntil && before.blockedUntil > Date.now() },
    });
    revalidatePath("/admin/users/[upn]", "page");
    return { status: "success", message: `Cleared: ${data.upn} may sign in again at once.` };
  },
});
