import { sql, type Sql } from "../../lib/runtime/sql";
import type { LdapAttributes, RepositoryTestAnswer } from "../../lib/safenet/contract";
import { LDAP_KIND, type RepositoryRow, type makeDirectory } from "../directory";
import { SafeNetError } from "../errors";
import { makeEventLog } from "../events";
import type { Keyring } from "../keys";
import { LdapFailure, makeLdapDirectory, type LdapSettings } from "./client";
import { checkedAttributes, checkedUserFilter, normalizeLdapUrl, sealBindPassword, settingsOf } from "./settings";

// Adding, changing, removing and trying LDAP repositories. A repository is saved only after its
// service account could bind and search, so a wrong bind password is a 400 at once, not a failure at
// the next sign-in. The bind password goes only to the server it was saved for: a change of URL
// without a new password is refused before any connection is made.

export interface LdapRepositoryInput {
  url: string;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  userFilter?: string;
  attributes?: Partial<LdapAttributes>;
}
export type LdapRepositoryPatch = Partial<LdapRepositoryInput>;

const builtIn = (name: string) =>
  new SafeNetError(409, "builtin_repository", `The built-in directory "${name}" cannot be changed or removed; add an LDAP repository instead.`, { repository: name });

const passwordAgain = () =>
  new SafeNetError(400, "bind_password_required", "The URL changed: enter the bind password again, so that it goes only to the server you chose.", {
    bindPassword: "enter the bind password again for the new URL",
  });

/** A saved repository's settings with `patch` applied; refuses a new URL without a new password. */
function merged(repo: RepositoryRow, keys: Keyring, patch: LdapRepositoryPatch): LdapSettings {
  const saved = settingsOf(repo, keys);
  const urlChanged = patch.url !== undefined && normalizeLdapUrl(patch.url) !== normalizeLdapUrl(saved.url);
  if (urlChanged && patch.bindPassword === undefined) throw passwordAgain();
  return {
    url: patch.url?.trim() ?? saved.url,
    bindDn: patch.bindDn?.trim() ?? saved.bindDn,
    bindPassword: patch.bindPassword ?? saved.bindPassword,
    baseDn: patch.baseDn?.trim() ?? saved.baseDn,
    userFilter: patch.userFilter !== undefined ? checkedUserFilter(patch.userFilter) : saved.userFilter,
    attributes: checkedAttributes(patch.attributes, saved.attributes),
  };
}

function fresh(input: LdapRepositoryInput): LdapSettings {
  return {
    url: input.url.trim(),
    bindDn: input.bindDn.trim(),
    bindPassword: input.bindPassword,
    baseDn: input.baseDn.trim(),
    userFilter: checkedUserFilter(input.userFilter),
    attributes: checkedAttributes(input.attributes),
  };
}

/** Binds and counts the users with `settings`; a failure is the client's to fix, so a 400 with its sentence. */
async function verified(settings: LdapSettings): Promise<number> {
  try {
    return await makeLdapDirectory(settings).countUsers();
  } catch (err) {
    if (err instanceof LdapFailure) {
      throw new SafeNetError(400, `directory_${err.status}`, `${err.message} Nothing was saved.`, { status: err.status });
    }
    throw err;
  }
}

/** The connection test: what a sign-in would meet, as an answer (a failure is not an error here). */
async function tryOut(settings: LdapSettings): Promise<RepositoryTestAnswer> {
  const started = Date.now();
  try {
    const { sample, users, groups } = await makeLdapDirectory(settings).check();
    return {
      ok: true,
      status: "ok",
      message: `Bound as ${settings.bindDn} and found ${users} users and ${groups} groups under ${settings.baseDn}.`,
      sample: sample.map((u) => ({ upn: u.upn, displayName: u.displayName, email: u.email, groups: u.groups })),
      users,
      groups,
      elapsedMs: Date.now() - started,
    };
  } catch (err) {
    if (!(err instanceof LdapFailure)) throw err;
    return { ok: false, status: err.status, message: err.message, sample: [], users: null, groups: null, elapsedMs: Date.now() - started };
  }
}

const netbiosOf = (name: string) => name.split(".")[0].toUpperCase().slice(0, 15);

export function makeRepositoryAdmin(db: Sql, keys: Keyring, directory: ReturnType<typeof makeDirectory>) {
  const events = makeEventLog(db);

  async function ldapRepository(name: string): Promise<RepositoryRow> {
    const repo = await directory.repository(name);
    if (repo.kind !== LDAP_KIND) throw builtIn(repo.name);
    return repo;
  }

  return {
    /** The saved repository and its users counted by the check that preceded the save. */
    async create(input: LdapRepositoryInput & { name: string }): Promise<{ repo: RepositoryRow; users: number }> {
      const name = input.name.trim().toLowerCase();
      const taken = () => new SafeNetError(409, "repository_exists", `A user repository named "${name}" exists already; choose another name.`, { name });
      if (await db.get(sql`SELECT id FROM repositories WHERE name = ${name}`)) throw taken();
      const settings = fresh(input);
      const users = await verified(settings);
      const row = await db.get<{ id: number }>(
        sql`INSERT INTO repositories (name, kind, netbios_name, url, bind_dn, bind_password_sealed, base_dn, user_filter, attributes, created_at)
            VALUES (${name}, ${LDAP_KIND}, ${netbiosOf(name)}, ${settings.url}, ${settings.bindDn}, ${sealBindPassword(keys, name, settings.bindPassword)},
                    ${settings.baseDn}, ${settings.userFilter}, ${JSON.stringify(settings.attributes)}, ${Date.now()})
            ON CONFLICT DO NOTHING RETURNING id`,
      );
      if (!row) throw taken();
      await events.record({ type: "repository.created", result: "success", detail: { repository: name, url: settings.url, baseDn: settings.baseDn } });
      return { repo: await directory.repository(name), users };
    },

    async patch(name: string, patch: LdapRepositoryPatch): Promise<{ repo: RepositoryRow; users: number }> {
      const repo = await ldapRepository(name);
      const settings = merged(repo, keys, patch);
      const users = await verified(settings);
      const sealed = patch.bindPassword !== undefined ? sealBindPassword(keys, repo.name, settings.bindPassword) : repo.bindPasswordSealed;
      await db.run(
        sql`UPDATE repositories SET url = ${settings.url}, bind_dn = ${settings.bindDn}, bind_password_sealed = ${sealed}, base_dn = ${settings.baseDn},
                   user_filter = ${settings.userFilter}, attributes = ${JSON.stringify(settings.attributes)}
             WHERE id = ${repo.id}`,
      );
      const fields = Object.keys(patch).filter((k) => k !== "bindPassword");
      if (patch.bindPassword !== undefined) fields.push("bindPassword (changed)");
      await events.record({ type: "repository.updated", result: "success", detail: { repository: repo.name, fields } });
      return { repo: await directory.repository(repo.name), users };
    },

    /** Refused while SafeNet accounts or tokens of its users exist: they would be orphaned. */
    async remove(name: string): Promise<void> {
      const repo = await ldapRepository(name);
      await db.transaction(async (tx) => {
        const held = await tx.get<{ accounts: number; tokens: number }>(
          sql`SELECT (SELECT COUNT(*) FROM users WHERE repository_id = ${repo.id} AND safenet_account = 1) AS accounts,
                     (SELECT COUNT(*) FROM tokens t JOIN users u ON u.id = t.user_id WHERE u.repository_id = ${repo.id}) AS tokens`,
        );
        const accounts = Number(held?.accounts ?? 0);
        const tokens = Number(held?.tokens ?? 0);
        if (accounts > 0 || tokens > 0) {
          throw new SafeNetError(
            409,
            "repository_in_use",
            `The repository "${repo.name}" still has ${accounts} SafeNet accounts and ${tokens} tokens. Delete those accounts first, then remove the repository.`,
            { accounts, tokens },
          );
        }
        await tx.run(sql`DELETE FROM user_groups WHERE user_id IN (SELECT id FROM users WHERE repository_id = ${repo.id})`);
        await tx.run(sql`DELETE FROM users WHERE repository_id = ${repo.id}`);
        await tx.run(sql`DELETE FROM "groups" WHERE repository_id = ${repo.id}`);
        await tx.run(sql`DELETE FROM repositories WHERE id = ${repo.id}`);
        await makeEventLog(tx).record({ type: "repository.deleted", result: "success", detail: { repository: repo.name } });
      });
    },

    /** POST /repositories/test: a new configuration, or a saved one's name plus changes. */
    async test(body: (LdapRepositoryInput & { kind?: string }) | (LdapRepositoryPatch & { name: string })): Promise<RepositoryTestAnswer> {
      if ("name" in body) {
        const { name, ...patch } = body;
        return tryOut(merged(await ldapRepository(name), keys, patch));
      }
      return tryOut(fresh(body));
    },
  };
}

export const noLdapWrites = (repo: RepositoryRow, what: string) =>
  repo.kind === LDAP_KIND
    ? new SafeNetError(405, "read_only_directory", `The repository "${repo.name}" is an LDAP directory, read-only here: ${what} in the directory itself.`, {
        repository: repo.name,
      })
    : null;
