import type { Metadata } from "next";
import Link from "next/link";
import type { Repository } from "@/lib/safenet/contract";
import { errorSentence } from "@/lib/safenet/token-actions";
import { requireAdmin } from "@/lib/server/auth/session";
import { safenet } from "@/lib/server/safenet/endpoints";
import { store } from "@/lib/server/store";
import { RemoveRepositoryButton } from "./remove-button";
import { RepositoryForm } from "./repository-form";
import styles from "./repositories.module.css";

export const metadata: Metadata = { title: "User repositories" };
export const dynamic = "force-dynamic";

const statusText = (r: Repository) => (r.status === undefined || r.status === "ok" ? "OK" : `Not usable (${r.status.replace(/_/g, " ")})`);

export default async function RepositoriesPage({ searchParams }: { searchParams: Promise<{ edit?: string | string[] }> }) {
  await requireAdmin();
  const editParam = (await searchParams).edit;
  const editName = (Array.isArray(editParam) ? editParam[0] : editParam) ?? "";
  const inUse = (await store.getMfaSettings()).userRepository;
  const listed = await (await safenet())
    .repositories()
    .then((a) => ({ ok: true as const, repositories: a.repositories }))
    .catch((err: unknown) => ({ ok: false as const, message: errorSentence(err) }));
  const editing = listed.ok ? listed.repositories.find((r) => r.name === editName && r.kind === "LDAP") : undefined;

  return (
    <section aria-labelledby="repositories-title">
      <h1 id="repositories-title">User repositories</h1>
      <p>
        The directories whose users SafeNet knows: its built-in Active Directory and any LDAP directory added here. The one chosen as
        User Repository under <Link href="/admin/mfa">Multi-factor authentication</Link> decides who can sign in; SafeNet checks each
        password by binding to the directory as that user.
      </p>

      <h2 id="list-title">Repositories</h2>
      {!listed.ok ? (
        <p role="alert" className="form-error">
          {listed.message}
        </p>
      ) : (
        <div className={styles.tableWrap}>
          <table className="stack" aria-labelledby="list-title">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Users</th>
                <th scope="col">Directory</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {listed.repositories.map((r) => (
                <tr key={r.name} data-testid={`repository-${r.name}`}>
                  <th scope="row" data-label="Name">
                    {r.name}
                    {r.name === inUse && <div className="muted">In use for sign-in</div>}
                  </th>
                  <td data-label="Kind">{r.kind}</td>
                  <td data-label="Status">
                    <span className={r.status && r.status !== "ok" ? "form-error" : undefined}>{statusText(r)}</span>
                    {r.message && <div className="muted">{r.message}</div>}
                  </td>
                  <td data-label="Users">{r.users ?? "unknown"}</td>
                  <td data-label="Directory">
                    {r.url ? (
                      <>
                        <code>{r.url}</code>
                        <div className="muted">{r.baseDn}</div>
                      </>
                    ) : (
                      "Built in"
                    )}
                  </td>
                  <td data-label="Actions">
                    {r.kind === "LDAP" && (
                      <div className={styles.actions}>
                        <Link href={`/admin/repositories?edit=${encodeURIComponent(r.name)}#edit-title`} aria-label={`Edit ${r.name}`}>
                          Edit
                        </Link>
                        <RemoveRepositoryButton name={r.name} />
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {editing ? (
        <>
          <h2 id="edit-title">Edit {editing.name}</h2>
          <p>
            <Link href="/admin/repositories">Cancel and add a repository instead</Link>
          </p>
          <RepositoryForm key={editing.name} mode="edit" saved={editing} />
        </>
      ) : (
        <>
          <h2 id="add-title">Add an LDAP repository</h2>
          {editName && (
            <p role="alert" className="form-error">
              There is no LDAP repository “{editName}” to edit. Choose one from the list above.
            </p>
          )}
          <RepositoryForm mode="add" />
        </>
      )}
    </section>
  );
}
