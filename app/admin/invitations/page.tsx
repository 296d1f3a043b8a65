import type { Metadata } from "next";
import Link from "next/link";
import { invitationState, type InvitationState } from "@/lib/invitations/state";
import { errorSentence } from "@/lib/safenet/token-actions";
import { requireAdmin } from "@/lib/server/auth/session";
import { safenet } from "@/lib/server/safenet/endpoints";
import { store } from "@/lib/server/store";
import { formatWhen, userHref } from "../users/format";
import { GroupInviteForm } from "./group-invite-form";
import styles from "./invitations.module.css";
import { WithdrawButton } from "./withdraw-button";

export const metadata: Metadata = { title: "Invitations" };
export const dynamic = "force-dynamic";

const PAGE = 50;

const STATE_LABELS: Record<InvitationState, string> = { sent: "Sent", used: "Used", expired: "Expired", withdrawn: "Withdrawn" };

const when = (ms: number | null) => (ms === null ? "" : formatWhen(new Date(ms).toISOString()));

export default async function InvitationsPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  await requireAdmin();
  const before = Number.parseInt((await searchParams).before ?? "", 10);
  const rows = await store.listInvitations({ limit: PAGE + 1, before: Number.isFinite(before) && before > 0 ? before : undefined });
  const page = rows.slice(0, PAGE);
  const groups = await (await safenet())
    .groups()
    .then((g) => ({ ok: true as const, groups: g.groups }))
    .catch((err: unknown) => ({ ok: false as const, message: errorSentence(err) }));
  const now = Date.now();

  return (
    <section aria-labelledby="invitations-title">
      <h1 id="invitations-title">Invitations</h1>
      <p>
        An invitation assigns a token: SafeNet creates the user&apos;s account when missing, and the user gets an email at the address
        the directory holds with a link that works once, only for them, for 7 days. They sign in with their own password and choose
        their own PIN in New Account Info. To invite one person, open them under <Link href="/admin/users">Users and tokens</Link>.
      </p>

      <h2 id="group-title">Invite a group</h2>
      {groups.ok ? (
        <GroupInviteForm groups={groups.groups} />
      ) : (
        <p role="alert" className="form-error">
          {groups.message}
        </p>
      )}

      <h2 id="sent-title">Sent invitations</h2>
      {page.length === 0 ? (
        <p role="status">{Number.isFinite(before) ? "There are no older invitations." : "No invitation was sent yet."}</p>
      ) : (
        <div className={styles.tableWrap}>
          <table className="stack" aria-labelledby="sent-title">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">State</th>
                <th scope="col">Invited by</th>
                <th scope="col">Sent</th>
                <th scope="col">Works until</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {page.map((r) => {
                const state = invitationState(r, now);
                return (
                  <tr key={r.id} data-testid={`invitation-${r.upn}`}>
                    <th scope="row" data-label="User">
                      <Link href={userHref(r.upn)}>{r.upn}</Link>
                      <div className="muted">{r.email}</div>
                    </th>
                    <td data-label="State" data-testid="invitation-state">
                      {STATE_LABELS[state]}
                      {state === "used" && <div className="muted">{when(r.usedAt)}</div>}
                      {state === "withdrawn" && <div className="muted">{`${when(r.withdrawnAt)} by ${r.withdrawnBy}`}</div>}
                    </td>
                    <td data-label="Invited by">{r.invitedBy}</td>
                    <td data-label="Sent">{when(r.createdAt)}</td>
                    <td data-label="Works until">{when(r.expiresAt)}</td>
                    <td data-label="Action">{state === "sent" ? <WithdrawButton id={r.id} upn={r.upn} /> : null}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > PAGE && (
        <p>
          <Link href={`/admin/invitations?before=${page[page.length - 1].id}`}>Older invitations</Link>
        </p>
      )}
    </section>
  );
}
