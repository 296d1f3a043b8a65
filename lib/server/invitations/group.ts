import "server-only";
import type { Viewer } from "@/lib/server/auth/session";
import type { SafeNetClient } from "@/lib/server/safenet/client";
import { store } from "@/lib/server/store";
import { assignToken, type AssignOutcome } from "./invite";

// "Assign a token" for every direct member of a directory group, one member after another, with a
// summary: who was sent an invitation, who is enrolled already, who holds a pending one, who failed and why.

/** At most this many members per run; a run again picks up the rest (the invited are skipped). */
export const GROUP_RUN_LIMIT = 500;
const PAGE = 100;

export interface GroupSummary {
  group: string;
  sent: string[];
  enrolled: string[];
  invited: string[];
  failed: { upn: string; why: string }[];
  /** The group has members beyond GROUP_RUN_LIMIT that this run did not reach. */
  more: boolean;
}

export async function inviteGroup(client: SafeNetClient, actor: Viewer, group: string): Promise<GroupSummary> {
  const summary: GroupSummary = { group, sent: [], enrolled: [], invited: [], failed: [], more: false };
  const add = (o: AssignOutcome) => {
    if (o.result === "failed") summary.failed.push({ upn: o.upn, why: o.why });
    else summary[o.result].push(o.upn);
  };
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await client.listUsers({ group, limit: PAGE, cursor });
    for (const user of page.users) {
      if (seen === GROUP_RUN_LIMIT) {
        summary.more = true;
        break;
      }
      seen++;
      add(await assignToken(client, actor, user.upn, { skipInvited: true, user }));
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor && !summary.more);
  await store.recordEvent({
    type: "admin.invitation.group",
    kind: "admin",
    actor: actor.upn,
    result: summary.failed.length ? "failure" : "success",
    detail: { group, sent: summary.sent.length, enrolled: summary.enrolled.length, invited: summary.invited.length, failed: summary.failed.length, more: summary.more },
  });
  return summary;
}
