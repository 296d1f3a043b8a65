"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ActionFailure, ActionState } from "@/lib/forms/state";
import { defineAction } from "@/lib/server/action";
import { inviteGroup, type GroupSummary } from "@/lib/server/invitations/group";
import { withdrawInvitation } from "@/lib/server/invitations/invite";
import { safenet } from "@/lib/server/safenet/endpoints";

export type GroupInviteState = { status: "idle" } | ActionFailure | { status: "done"; summary: GroupSummary };

const groupSchema = z.object({
  group: z.string().trim().min(1, "Choose the group whose members should get a token.").max(256, "Choose a group from the list.").prefault(""),
});

/** Invites every direct member of a directory group who has no Active or Assigned token yet. */
export const inviteGroupMembers = defineAction({
  authorize: "admin",
  schema: groupSchema,
  echo: ["group"],
  run: async ({ viewer, data, fail }): Promise<GroupInviteState> => {
    const client = await safenet();
    const { groups } = await client.groups();
    if (!groups.some((g) => g.name === data.group)) {
      return fail(`The directory has no group “${data.group}”. Choose a group from the list.`, { group: "Choose a group from the list." });
    }
    const summary = await inviteGroup(client, viewer, data.group);
    revalidatePath("/admin/invitations");
    return { status: "done", summary };
  },
});

/** Withdraws a pending invitation: its link stops working at once. */
export const withdrawInvitationById = defineAction({
  authorize: "admin",
  schema: z.object({ id: z.coerce.number().int().positive() }),
  hidden: ["id"],
  run: async ({ viewer, data, fail }): Promise<ActionState> => {
    const outcome = await withdrawInvitation(viewer, data.id);
    revalidatePath("/admin/invitations");
    if (!outcome.ok) return fail(outcome.message);
    return { status: "success", message: `The invitation of ${outcome.upn} is withdrawn; its link no longer works.` };
  },
});
