"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import type { ActionState } from "@/lib/forms/state";
import { defineAction } from "@/lib/server/action";
import { acceptInvitation } from "@/lib/server/invitations/accept";

// Accepting an invitation (its landing page is app/(portal)/invite/): only the signed-in user it was
// sent to uses it up, once; then New Account Info. It lives with New Account Info because a
// password-only session may use it.
export const acceptInvitationLink = defineAction({
  authorize: "enrollee",
  schema: z.object({ token: z.string().max(128).prefault("") }),
  hidden: ["token"],
  run: async ({ viewer, data, fail }): Promise<ActionState> => {
    const outcome = await acceptInvitation(viewer.upn, data.token);
    if (!outcome.ok) return fail(outcome.message);
    redirect("/enroll?invited=1");
  },
});
