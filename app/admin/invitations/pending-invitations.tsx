import Link from "next/link";
import { store } from "@/lib/server/store";
import { formatWhen, userHref } from "../users/format";

/** For the admin overview: how many invitations wait for their users, and the newest few. Call requireAdmin() first. */
export async function PendingInvitations({ limit = 5 }: { limit?: number }) {
  const { count, newest } = await store.pendingInvitations(limit);
  return (
    <section aria-labelledby="pending-invitations-title">
      <h2 id="pending-invitations-title">Invitations pending</h2>
      <p>
        {count === 0
          ? "No invitation waits for its user."
          : `${count} ${count === 1 ? "invitation waits" : "invitations wait"} for ${count === 1 ? "its user" : "their users"} to enroll.`}{" "}
        <Link href="/admin/invitations">All invitations</Link>
      </p>
      {newest.length > 0 && (
        <ul>
          {newest.map((r) => (
            <li key={r.id}>
              <Link href={userHref(r.upn)}>{r.upn}</Link>, sent {formatWhen(new Date(r.createdAt).toISOString())} by {r.invitedBy}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
