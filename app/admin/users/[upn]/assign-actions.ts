"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { upn } from "@/lib/forms/fields";
import type { ActionState } from "@/lib/forms/state";
import { defineAction } from "@/lib/server/action";
import { assignToken } from "@/lib/server/invitations/invite";
import { safenet } from "@/lib/server/safenet/endpoints";
import { formatWhen } from "../format";

// "Assign a token" on a user's page: the SafeNet account when missing, and an invitation to the
// address the directory holds; the user chooses the PIN when they enroll.
export const assignTokenToUser = defineAction({
  authorize: "admin",
  schema: z.object({ upn }),
  hidden: ["upn"],
  run: async ({ viewer, data, fail }): Promise<ActionState> => {
    const outcome = await assignToken(await safenet(), viewer, data.upn);
    revalidatePath("/admin/users/[upn]", "page");
    revalidatePath("/admin/invitations");
    switch (outcome.result) {
      case "failed":
        return fail(outcome.why);
      case "enrolled":
        return fail(`${outcome.upn} already has a token in state ${outcome.state}; no invitation was sent. Manage it in the list of tokens above.`);
      case "invited":
        return fail(`${outcome.upn} already holds a pending invitation.`);
      case "sent":
        return {
          status: "success",
          message: `An invitation went to ${outcome.to}. Its link works once, for ${outcome.upn} only, until ${formatWhen(new Date(outcome.expiresAt).toISOString())}.`,
        };
    }
  },
});
