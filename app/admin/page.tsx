import type { Metadata } from "next";
import Link from "next/link";
import { requireAdmin } from "@/lib/server/auth/session";
import { chartRange, planBuckets } from "@/lib/events/chart";
import { timelineQuery } from "@/lib/events/filters";
import { TOKEN_STATES, type RepositorySummary, type Token } from "@/lib/safenet/contract";
import { errorSentence } from "@/lib/safenet/token-actions";
import { safenet } from "@/lib/server/safenet/endpoints";
import { store } from "@/lib/server/store";
import { AuthChart } from "./events/auth-chart";
import { PendingInvitations } from "./invitations/pending-invitations";
import { syncSafeNetEvents } from "./events/sync";
import { LockedTokens } from "./locked-tokens";
import { formatWhen } from "./users/format";
import styles from "./overview.module.css";

export const metadata: Metadata = { title: "Admin console" };

type Read<T> = { ok: true; value: T } | { ok: false; message: string };
const read = <T,>(p: Promise<T>): Promise<Read<T>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => ({ ok: false as const, message: errorSentence(err) }),
  );

const LOCKED_SHOWN = 50;

// Unassigned tokens cannot be locked by a sign-in; the list keeps those with an owner to unlock for.
const owned = (tokens: Token[]) => tokens.filter((t): t is Token & { user: string } => !!t.user);
const lockedRows = (tokens: Token[]) =>
  owned(tokens).map((t) => ({ serial: t.serial, upn: t.user, lockedUntil: formatWhen(t.lockedUntil) ?? "Until unlocked" }));

// The console's home: what the repository and the last day look like, and what needs a hand now.
export default async function AdminHome() {
  const viewer = await requireAdmin();
  const notice = await syncSafeNetEvents();
  const plan = planBuckets(chartRange({}, Date.now()));
  const client = await safenet();
  const [summary, locked, buckets, signIns] = await Promise.all([
    read(client.summary()),
    read(client.listTokens({ state: "Locked", limit: LOCKED_SHOWN })),
    store.authBuckets(plan),
    store.signInCounts(plan),
  ]);

  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">Admin console</h1>
      <p>Signed in as {viewer.upn} with PIN and one-time password.</p>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}

      <h2 id="repository-title">Users and tokens</h2>
      {summary.ok ? (
        <Repository summary={summary.value} />
      ) : (
        <p role="alert" className="form-error">
          {summary.message}
        </p>
      )}

      <h2 id="locked-title">Locked tokens</h2>
      {locked.ok ? (
        <>
          <LockedTokens tokens={lockedRows(locked.value.tokens)} />
          {locked.value.nextCursor !== null && (
            <p className="muted">The first {LOCKED_SHOWN} locked tokens are shown; the rest unlock by themselves or from each user&apos;s page.</p>
          )}
        </>
      ) : (
        <p role="alert" className="form-error">
          {locked.message}
        </p>
      )}

      <PendingInvitations />

      <h2 id="day-title">The last 24 hours</h2>
      <p>
        Portal sign-ins: {signIns.success} successful,{" "}
        <Link href={`/admin/events${timelineQuery({ kind: "sign-in", result: "failure" })}`}>{signIns.failure} failed</Link>.
      </p>
      <AuthChart plan={plan} buckets={buckets} />
    </section>
  );
}

function Repository({ summary: s }: { summary: RepositorySummary }) {
  const share = s.users ? Math.round((s.usersWithActiveToken / s.users) * 1000) / 10 : 0;
  return (
    <>
      <ul className={styles.tiles} aria-labelledby="repository-title">
        <li className={styles.tile}>
          <span className={styles.figure}>{s.users.toLocaleString("en")}</span>
          <Link href="/admin/users">users in {s.repository}</Link>
        </li>
        <li className={styles.tile}>
          <span className={styles.figure}>{s.accounts.toLocaleString("en")}</span>
          SafeNet accounts
        </li>
        <li className={styles.tile}>
          <span className={styles.figure}>{share}%</span>
          <span id="enrolled-label">
            enrolled: {s.usersWithActiveToken.toLocaleString("en")} of {s.users.toLocaleString("en")} users have an Active token
          </span>
          <progress max={s.users || 1} value={s.usersWithActiveToken} aria-labelledby="enrolled-label" />
        </li>
      </ul>
      <table className={`stack ${styles.states}`}>
        <caption>Tokens by state</caption>
        <thead>
          <tr>
            {TOKEN_STATES.map((state) => (
              <th key={state} scope="col">
                {state}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            {TOKEN_STATES.map((state) => (
              <td key={state} data-label={state}>
                {s.tokensByState[state].toLocaleString("en")}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </>
  );
}
