import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { requireAdmin } from "@/lib/server/auth/session";
import { type User } from "@/lib/safenet/contract";
import { errorSentence } from "@/lib/safenet/token-actions";
import { listHref, MAX_PAGE_SIZE, PAGE_SIZE, userHref } from "./format";
import { endpoints, safenet } from "@/lib/server/safenet/endpoints";

export const metadata: Metadata = { title: "Users and tokens" };

type Query = { search?: string | string[]; cursor?: string | string[]; limit?: string | string[] };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

function readQuery(q: Query) {
  const search = one(q.search).trim().slice(0, 256);
  const cursor = one(q.cursor).slice(0, 256);
  const n = Number.parseInt(one(q.limit), 10);
  const limit = Number.isFinite(n) ? Math.min(Math.max(n, 1), MAX_PAGE_SIZE) : PAGE_SIZE;
  return { search, cursor, limit };
}

// Pages by the TMS cursor (the last UPN seen), never by offset, so every page is one index range.
export default async function UsersPage({ searchParams }: { searchParams: Promise<Query> }) {
  await requireAdmin();
  const { search, cursor, limit } = readQuery(await searchParams);
  const repository = (await endpoints()).repository;
  // `CORP\erin` finds erin@corp.local: the directory searches by the start of the UPN or display name.
  const term = search.slice(search.lastIndexOf("\\") + 1);
  const result = await (await safenet())
    .listUsers({ search: term, cursor: cursor || undefined, limit })
    .then((page) => ({ ok: true as const, ...page }))
    .catch((err: unknown) => ({ ok: false as const, message: errorSentence(err) }));

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users and tokens</h1>
      <p>
        Users of the repository <code>{repository}</code>, their SafeNet accounts and tokens. Open a user to suspend, unlock,
        resynchronise or revoke a token, or to assign one. <Link href="/admin/invitations">Invitations</Link> sends them to a whole
        group and lists, and withdraws, the ones sent.
      </p>

      <Form action="/admin/users" role="search" aria-label="Users" className="narrow">
        <div className="field">
          <label htmlFor="search">Search users</label>
          <p id="search-hint" className="hint">
            The start of a user name (UPN, or CORP\name) or display name, for example “alice” or “Alice Smith”.
          </p>
          <input id="search" name="search" type="search" defaultValue={search} maxLength={256} aria-describedby="search-hint" />
        </div>
        {limit !== PAGE_SIZE && <input type="hidden" name="limit" value={limit} />}
        <button type="submit">Search</button>
      </Form>

      {result.ok ? (
        <UsersTable users={result.users} nextCursor={result.nextCursor} search={search} cursor={cursor} limit={limit} />
      ) : (
        <p role="alert" className="form-error">
          {result.message}
        </p>
      )}
    </section>
  );
}

function UsersTable(props: { users: User[]; nextCursor: string | null; search: string; cursor: string; limit: number }) {
  const { users, nextCursor, search, cursor, limit } = props;
  const count = `${users.length} ${users.length === 1 ? "user" : "users"} on this page${nextCursor ? "; more on the next page" : ""}.`;
  const paging = (nextCursor || cursor) && (
    <nav aria-label="Pages of users">
      <ul>
        {cursor && (
          <li>
            <Link href={listHref({ search, limit })}>First page</Link>
          </li>
        )}
        {nextCursor && (
          <li>
            <Link href={listHref({ search, cursor: nextCursor, limit })}>Next page</Link>
          </li>
        )}
      </ul>
    </nav>
  );

  if (users.length === 0) {
    return (
      <>
        <p role="status">
          {search
            ? `No user’s name or display name starts with “${search}”. Check the spelling, or search by the first letters only.`
            : cursor
              ? "There are no more users after this page. Go back to the first page."
              : "The repository has no users yet."}
        </p>
        {paging}
      </>
    );
  }

  return (
    <>
      <p role="status">{count}</p>
      <table className="stack">
        <caption className="muted">
          {search ? `Users whose name starts with “${search}”` : "All users"}
          {cursor ? `, after ${cursor}` : ""}
        </caption>
        <thead>
          <tr>
            <th scope="col">User name</th>
            <th scope="col">Display name</th>
            <th scope="col">SafeNet account</th>
            <th scope="col">Tokens</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.upn}>
              <th scope="row" data-label="User name">
                <Link href={userHref(u.upn)}>{u.upn}</Link>
              </th>
              <td data-label="Display name">{u.displayName}</td>
              <td data-label="SafeNet account">{u.safenetAccount ? "Yes" : "No"}</td>
              <td data-label="Tokens">
                {u.tokens.length === 0
                  ? "None"
                  : u.tokens.map((t) => (
                      <div key={t.serial}>
                        {t.state} <span className="muted">({t.serial})</span>
                      </div>
                    ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {paging}
    </>
  );
}
