"use client";

import { useActionState } from "react";
import { FormField } from "@/app/components/form-field";
import { inviteGroupMembers, type GroupInviteState } from "./actions";
import styles from "./invitations.module.css";

// Invite a whole group: one run processes the members one after another; while it runs the form
// is busy and says so, then a summary names who got what.
export function GroupInviteForm({ groups }: { groups: { name: string; members: number }[] }) {
  const [state, submit, pending] = useActionState(inviteGroupMembers, { status: "idle" } as GroupInviteState);
  const error = state.status === "error" ? state : null;
  const chosen = error?.values?.group ?? "";
  return (
    <>
      <form action={submit} aria-busy={pending} className="narrow">
        <FormField
          id="group"
          label="Group"
          hint="Every direct member without an Active or Assigned token gets an invitation; members who hold a pending one are skipped."
          error={error?.fieldErrors?.group}
        >
          {(aria) => (
            <select {...aria} name="group" defaultValue={chosen} key={chosen} disabled={pending}>
              <option value="">Choose a group</option>
              {groups.map((g) => (
                <option key={g.name} value={g.name}>
                  {g.name} ({g.members} {g.members === 1 ? "member" : "members"})
                </option>
              ))}
            </select>
          )}
        </FormField>
        <button type="submit" disabled={pending}>
          {pending ? "Sending invitations…" : "Send invitations to the group"}
        </button>
      </form>
      <div role="status" aria-live="polite" className={error ? "form-error" : undefined}>
        {pending ? (
          <p className={styles.progress}>
            <progress aria-label="Sending invitations" /> Sending invitations to the members, one after another. This page shows the
            summary when all are done.
          </p>
        ) : error ? (
          error.message
        ) : state.status === "done" ? (
          <GroupSummaryView summary={state.summary} />
        ) : null}
      </div>
    </>
  );
}

function GroupSummaryView({ summary }: { summary: Extract<GroupInviteState, { status: "done" }>["summary"] }) {
  const { group, sent, enrolled, invited, failed, more } = summary;
  const list = (upns: string[]) => (upns.length ? `: ${upns.join(", ")}` : "");
  return (
    <div className={styles.summary}>
      <p>
        <strong>Group {group} is done.</strong>
      </p>
      <ul>
        <li>Invitations sent: {sent.length}{list(sent)}</li>
        <li>Already enrolled (an Active or Assigned token): {enrolled.length}{list(enrolled)}</li>
        <li>Already holding a pending invitation: {invited.length}{list(invited)}</li>
        <li>
          Failed: {failed.length}
          {failed.length > 0 && (
            <ul>
              {failed.map((f) => (
                <li key={f.upn}>
                  {f.upn}: {f.why}
                </li>
              ))}
            </ul>
          )}
        </li>
      </ul>
      {more && <p>The group has more members than one run handles. Send invitations to the group again to reach the rest.</p>}
    </div>
  );
}
