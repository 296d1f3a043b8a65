import { sql, type Fragment, type Sql } from "../lib/runtime/sql";
import type { Repository } from "../lib/safenet/contract";
import { SafeNetError, notFound } from "./errors";
import { hashPassword, verifyPassword, type Keyring } from "./keys";
import { LdapFailure, makeLdapDirectory, type LdapUser } from "./ldap/client";
import { settingsOf, shownSettings, type StoredLdapColumns } from "./ldap/settings";
import { startsWith } from "./like";

// The simulated Active Directory: repositories, users, groups and the domain sign-in. One SQL text
// for SQLite and PostgreSQL; UPNs, logon names and the display-name key are stored lower-cased, so
// every comparison here is a plain one and letter case is settled before the query.
//
// A repository of kind "LDAP" is a real directory (ldap/client.ts): its users, groups and passwords
// are read from it on every call. SafeNet accounts and tokens stay here, keyed by UPN: an LDAP user
// gets a local `users` row (no usable password hash) when an account or token is made for them
// (`materialize`), so tokens, the validator and events work as for the built-in directory; the row's
// display name and email are refreshed from the directory whenever the user is read.

/** The LDAP columns (ldap/settings.ts) are null for the built-in directory. */
export interface RepositoryRow extends StoredLdapColumns {
  id: number;
  kind: string;
  netbiosName: string;
}

export interface UserRow {
  id: number;
  repositoryId: number;
  upn: string;
  sam: string;
  displayName: string;
  displayKey: string;
  email: string;
  passwordHash: string;
  safenetAccount: boolean;
  createdAt: number;
  /** An LDAP user's groups, as the directory says now; a built-in user's are rows (groupsOf). */
  groups?: string[];
}

type StoredUser = Omit<UserRow, "safenetAccount"> & { safenetAccount: number | boolean };

const USER_COLUMNS = sql`id, repository_id AS "repositoryId", upn, sam, display_name AS "displayName", display_key AS "displayKey",
  email, password_hash AS "passwordHash", safenet_account AS "safenetAccount", created_at AS "createdAt"`;

const REPOSITORY_COLUMNS = sql`id, name, kind, netbios_name AS "netbiosName", url, bind_dn AS "bindDn",
  bind_password_sealed AS "bindPasswordSealed", base_dn AS "baseDn", user_filter AS "userFilter", attributes`;

export const LDAP_KIND = "LDAP";
/** The password hash of an LDAP user's local row: no scrypt hash, so it never verifies. */
const NO_LOCAL_PASSWORD = "!ldap: the directory checks the password";
/** How long GET /repositories waits for an LDAP directory's bind and count. */
export const STATUS_TIMEOUT_MS = 2500;

/** A directory failure as the API answers it: 503 with the sentence saying what to fix. */
export function directoryUnavailable(err: unknown, repository: string): unknown {
  if (!(err instanceof LdapFailure)) return err;
  return new SafeNetError(503, `directory_${err.status}`, err.message, { repository, status: err.status });
}

// 0/1 in both schemas.
const toUser = (r: StoredUser): UserRow => ({ ...r, safenetAccount: r.safenetAccount === 1 || r.safenetAccount === true });

/** Splits `alice@corp.local`, `CORP\alice` or `alice` into what to look up; null if the domain is foreign. */
export function parseLogonName(
  raw: string,
  repo: Pick<RepositoryRow, "name" | "netbiosName">,
): { upn: string; sam?: undefined } | { sam: string; upn?: undefined } | null {
  const name = raw.trim().toLowerCase();
  const slash = name.indexOf("\\");
  if (slash >= 0) {
    const domain = name.slice(0, slash);
    if (domain !== repo.netbiosName.toLowerCase() && domain !== repo.name.toLowerCase()) return null;
    return { sam: name.slice(slash + 1) };
  }
  if (name.includes("@")) return { upn: name };
  return { sam: name };
}

const DUMMY_HASH_PASSWORD = "no such user: spend the same time as a real check";

// The hash of a constant, made once per process: it only pads the time of an unknown user's check.
let dummyHash: Promise<string> | undefined;

/** Membership rows for `userId` in `groupIds`, written in one statement. */
async function addMemberships(db: Sql, userId: number, groupIds: number[]): Promise<void> {
  if (groupIds.length === 0) return;
  const rows = [...new Set(groupIds)].map((g) => sql`(${userId}, ${g})`);
  await db.run(sql`INSERT INTO user_groups (user_id, group_id) VALUES ${sql.join(rows)} ON CONFLICT DO NOTHING`);
}

/** The ids of the named groups of `repoId`, in the order of `names`, creating the missing ones. */
export async function ensureGroupsOn(db: Sql, repoId: number, names: string[]): Promise<number[]> {
  if (names.length === 0) return [];
  // Sorted: two transactions creating the same groups take their row locks in the same order.
  const distinct = [...new Set(names)].sort();
  const values = distinct.map((name) => sql`(${repoId}, ${name})`);
  await db.run(sql`INSERT INTO "groups" (repository_id, name) VALUES ${sql.join(values)} ON CONFLICT DO NOTHING`);
  const rows = await db.all<{ id: number; name: string }>(
    sql`SELECT id, name FROM "groups" WHERE repository_id = ${repoId} AND name IN (${sql.join(distinct)})`,
  );
  const ids = new Map(rows.map((r) => [r.name, r.id]));
  return names.map((n) => ids.get(n)!);
}

/** `keys` opens LDAP repositories' bind passwords; without it only the built-in directory can be read. */
export function makeDirectory(db: Sql, keys?: Keyring) {
  async function repository(name: string): Promise<RepositoryRow> {
    const row = await db.get<RepositoryRow>(sql`SELECT ${REPOSITORY_COLUMNS} FROM repositories WHERE name = ${name.toLowerCase()}`);
    if (!row) throw notFound(`The user repository "${name}"`, { repository: name });
    return row;
  }

  async function userBy(on: Sql, repoId: number, key: { upn: string } | { sam: string }): Promise<UserRow | undefined> {
    const where = "upn" in key ? sql`upn = ${key.upn}` : sql`sam = ${key.sam}`;
    const row = await on.get<StoredUser>(sql`SELECT ${USER_COLUMNS} FROM users WHERE repository_id = ${repoId} AND ${where}`);
    return row && toUser(row);
  }

  async function findUser(repo: RepositoryRow, logonName: string): Promise<UserRow | undefined> {
    const parsed = parseLogonName(logonName, repo);
    if (!parsed) return undefined;
    return parsed.upn !== undefined ? userBy(db, repo.id, { upn: parsed.upn }) : userBy(db, repo.id, { sam: parsed.sam });
  }

  async function groupsOf(userIds: number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return out;
    const rows = await db.all<{ userId: number; name: string }>(
      sql`SELECT ug.user_id AS "userId", g.name FROM user_groups ug JOIN "groups" g ON g.id = ug.group_id
           WHERE ug.user_id IN (${sql.join(userIds)}) ORDER BY g.name`,
    );
    for (const r of rows) out.get(r.userId)!.push(r.name);
    return out;
  }

  const ensureGroups = (repoId: number, names: string[]) => ensureGroupsOn(db, repoId, names);

  const isLdap = (repo: Pick<RepositoryRow, "kind">) => repo.kind === LDAP_KIND;

  function ldapOf(repo: RepositoryRow, timeoutMs?: number) {
    if (!keys) throw new Error("An LDAP repository needs the keyring to open its bind password.");
    return makeLdapDirectory(settingsOf(repo, keys), timeoutMs);
  }

  /** Runs an LDAP read, turning a directory failure into a 503 with its sentence. */
  async function fromLdap<T>(repo: RepositoryRow, work: (ldap: ReturnType<typeof ldapOf>) => Promise<T>): Promise<T> {
    try {
      return await work(ldapOf(repo));
    } catch (err) {
      throw directoryUnavailable(err, repo.name);
    }
  }

  /**
   * LDAP users with their local rows (SafeNet account, token owner), refreshing a row's display name
   * and email when the directory changed them. A user without a row gets id 0 and no account.
   */
  async function withLocal(repo: RepositoryRow, found: LdapUser[]): Promise<UserRow[]> {
    if (found.length === 0) return [];
    const rows = await db.all<StoredUser>(
      sql`SELECT ${USER_COLUMNS} FROM users WHERE repository_id = ${repo.id} AND upn IN (${sql.join(found.map((u) => u.upn))})`,
    );
    const byUpn = new Map(rows.map((r) => [r.upn, toUser(r)]));
    return Promise.all(
      found.map(async (u): Promise<UserRow> => {
        const local = byUpn.get(u.upn);
        if (!local) {
          return {
            id: 0, repositoryId: repo.id, upn: u.upn, sam: u.sam, displayName: u.displayName, displayKey: u.displayName.toLowerCase(),
            email: u.email, passwordHash: NO_LOCAL_PASSWORD, safenetAccount: false, createdAt: 0, groups: u.groups,
          };
        }
        if (local.displayName !== u.displayName || local.email !== u.email) {
          await db.run(
            sql`UPDATE users SET display_name = ${u.displayName}, display_key = ${u.displayName.toLowerCase()}, email = ${u.email} WHERE id = ${local.id}`,
          );
        }
        return { ...local, displayName: u.displayName, displayKey: u.displayName.toLowerCase(), email: u.email, groups: u.groups };
      }),
    );
  }

  async function findLdapUser(repo: RepositoryRow, logonName: string): Promise<UserRow | undefined> {
    const parsed = parseLogonName(logonName, repo);
    if (!parsed) return undefined;
    const found = await fromLdap(repo, (ldap) => ldap.findUser(parsed.upn ?? parsed.sam));
    return found ? (await withLocal(repo, [found]))[0] : undefined;
  }

  /** What GET /repositories shows of one repository: LDAP ones with a live status, checked now. */
  async function listing(r: RepositoryRow & { users: number }): Promise<Repository> {
    if (!isLdap(r)) return { name: r.name, kind: r.kind, users: Number(r.users), status: "ok" };
    const shown = shownSettings(r);
    try {
      const users = await ldapOf(r, STATUS_TIMEOUT_MS).countUsers();
      return { ...shown, users, status: "ok" };
    } catch (err) {
      if (!(err instanceof LdapFailure)) throw err;
      return { ...shown, users: null, status: err.status, message: err.message };
    }
  }

  return {
    repository,
    groupsOf,
    ensureGroups,
    isLdap,

    async findUser(repo: RepositoryRow, logonName: string): Promise<UserRow | undefined> {
      return isLdap(repo) ? findLdapUser(repo, logonName) : findUser(repo, logonName);
    },

    /**
     * The user's local row, made now for an LDAP user who has none (before an account or token is
     * created for them). Two requests at once end with one row: the unique (repository, upn) decides.
     */
    async materialize(user: UserRow): Promise<UserRow> {
      if (user.id !== 0) return user;
      const insert = (sam: string) =>
        db.get<StoredUser>(
          sql`INSERT INTO users (repository_id, upn, sam, display_name, display_key, email, password_hash, safenet_account, created_at)
              VALUES (${user.repositoryId}, ${user.upn}, ${sam}, ${user.displayName}, ${user.displayKey}, ${user.email}, ${NO_LOCAL_PASSWORD}, 0, ${Date.now()})
              ON CONFLICT DO NOTHING RETURNING ${USER_COLUMNS}`,
        );
      const row = (await insert(user.sam)) ?? (await userBy(db, user.repositoryId, { upn: user.upn })) ?? (await insert(user.upn));
      if (!row) throw new SafeNetError(409, "user_exists", `The user "${user.upn}" could not be recorded: another user has the same logon name.`, { upn: user.upn });
      return { ...toUser(row), groups: user.groups };
    },

    /** Users in the repository: the directory's count for LDAP, the rows for the built-in one. */
    async countUsers(repo: RepositoryRow): Promise<number | null> {
      return isLdap(repo) ? fromLdap(repo, (ldap) => ldap.countUsers()) : null;
    },

    async listRepositories(): Promise<Repository[]> {
      const rows = await db.all<RepositoryRow & { users: number }>(
        sql`SELECT ${REPOSITORY_COLUMNS}, (SELECT COUNT(*) FROM users u WHERE u.repository_id = repositories.id) AS users
              FROM repositories ORDER BY name`,
      );
      // Every directory is asked at once: the slowest one sets the time the listing takes.
      return Promise.all(rows.map((r) => listing(r)));
    },

    /** Verifies a domain password; unknown users cost the same scrypt work as known ones. */
    async authenticate(repo: RepositoryRow, logonName: string, password: string): Promise<UserRow | null> {
      if (isLdap(repo)) {
        const parsed = parseLogonName(logonName, repo);
        if (!parsed) return null;
        const user = await fromLdap(repo, (ldap) => ldap.authenticate(parsed.upn ?? parsed.sam, password));
        return user ? (await withLocal(repo, [user]))[0] : null;
      }
      const user = await findUser(repo, logonName);
      if (!user) {
        dummyHash ??= hashPassword(DUMMY_HASH_PASSWORD);
        await verifyPassword(password, await dummyHash);
        return null;
      }
      return (await verifyPassword(password, user.passwordHash)) ? user : null;
    },

    /**
     * Prefix search on UPN or display name, paged by UPN (keyset: `cursor` is the last UPN of the
     * previous page), so that every page is a walk of the (repository, upn) index.
     */
    async listUsers(repo: RepositoryRow, q: { search?: string; group?: string; limit: number; cursor?: string }) {
      if (isLdap(repo)) {
        const page = await fromLdap(repo, (ldap) => ldap.listUsers(q));
        return { users: await withLocal(repo, page.users), nextCursor: page.nextCursor };
      }
      const term = q.search?.trim().toLowerCase();
      const conds = [sql`repository_id = ${repo.id}`];
      if (q.cursor) conds.push(sql`upn > ${q.cursor}`);
      if (q.group) {
        // Direct members only, as the exclusion rules match groups. The group's id is looked up first:
        // given the id, PostgreSQL can tell a group of one from one of thousands and plan for it.
        const group = await db.get<{ id: number }>(sql`SELECT id FROM "groups" WHERE repository_id = ${repo.id} AND name = ${q.group}`);
        if (!group) return { users: [], nextCursor: null };
        conds.push(sql`id IN (SELECT user_id FROM user_groups WHERE group_id = ${group.id})`);
      }
      if (term) {
        const like = startsWith(term);
        // The stored keys are lower-case, so a plain LIKE decides on both databases. SQLite's LIKE
        // never uses a binary index, so there the prefix is also given as a range; PostgreSQL turns
        // the LIKE prefix into a range itself where its collation allows, and a range written here
        // could drop rows under a linguistic collation.
        const end = term + "\u{10FFFF}";
        const range = (column: Fragment) => (db.dialect === "sqlite" ? sql` AND ${column} >= ${term} AND ${column} < ${end}` : sql.empty);
        conds.push(
          sql`((upn LIKE ${like} ESCAPE '\\'${range(sql.raw("upn"))}) OR (display_key LIKE ${like} ESCAPE '\\'${range(sql.raw("display_key"))}))`,
        );
      }
      const rows = await db.all<StoredUser>(
        sql`SELECT ${USER_COLUMNS} FROM users WHERE ${sql.join(conds, " AND ")} ORDER BY upn LIMIT ${q.limit + 1}`,
      );
      const page = rows.slice(0, q.limit).map(toUser);
      return { users: page, nextCursor: rows.length > q.limit ? page[page.length - 1].upn : null };
    },

    async createUser(
      repo: RepositoryRow,
      input: { upn: string; displayName: string; email: string; password: string; groups?: string[] },
    ): Promise<UserRow> {
      const upn = input.upn.toLowerCase();
      const sam = upn.split("@")[0];
      const taken = () => new SafeNetError(409, "user_exists", `A user "${upn}" (or with the logon name "${sam}") already exists.`, { upn });
      // A cheap refusal before the scrypt work; the insert below decides.
      if ((await userBy(db, repo.id, { upn })) || (await userBy(db, repo.id, { sam }))) throw taken();
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (tx) => {
        // Another request (or instance) may have created the user meanwhile: the unique indexes decide.
        const row = await tx.get<StoredUser>(
          sql`INSERT INTO users (repository_id, upn, sam, display_name, display_key, email, password_hash, safenet_account, created_at)
              VALUES (${repo.id}, ${upn}, ${sam}, ${input.displayName}, ${input.displayName.toLowerCase()}, ${input.email.toLowerCase()},
                      ${passwordHash}, 0, ${Date.now()})
              ON CONFLICT DO NOTHING RETURNING ${USER_COLUMNS}`,
        );
        if (!row) throw taken();
        const user = toUser(row);
        await addMemberships(tx, user.id, await ensureGroupsOn(tx, repo.id, ["Domain Users", ...(input.groups ?? [])]));
        return user;
      });
    },

    /** `groups` replaces the user's memberships; every user stays in Domain Users. */
    async updateUser(user: UserRow, patch: { email?: string; displayName?: string; groups?: string[] }): Promise<UserRow> {
      return db.transaction(async (tx) => {
        if (patch.groups !== undefined) {
          const groupIds = await ensureGroupsOn(tx, user.repositoryId, ["Domain Users", ...patch.groups]);
          await tx.run(sql`DELETE FROM user_groups WHERE user_id = ${user.id}`);
          await addMemberships(tx, user.id, groupIds);
        }
        const set = [
          ...(patch.email !== undefined ? [sql`email = ${patch.email.toLowerCase()}`] : []),
          ...(patch.displayName !== undefined ? [sql`display_name = ${patch.displayName}`, sql`display_key = ${patch.displayName.toLowerCase()}`] : []),
        ];
        if (set.length === 0) return user;
        const row = await tx.get<StoredUser>(sql`UPDATE users SET ${sql.join(set)} WHERE id = ${user.id} RETURNING ${USER_COLUMNS}`);
        if (!row) throw notFound(`The user "${user.upn}"`, { upn: user.upn });
        return toUser(row);
      });
    },

    /** Turns the SafeNet account on or off; true when this call changed it (so one caller records the change). */
    async setAccount(user: UserRow, on: boolean): Promise<boolean> {
      const flag = on ? 1 : 0;
      return (await db.run(sql`UPDATE users SET safenet_account = ${flag} WHERE id = ${user.id} AND safenet_account <> ${flag}`)) > 0;
    },

    async listGroups(repo: RepositoryRow): Promise<{ name: string; members: number }[]> {
      if (isLdap(repo)) return fromLdap(repo, (ldap) => ldap.listGroups());
      return db.all(
        sql`SELECT g.name, COUNT(ug.user_id) AS members FROM "groups" g LEFT JOIN user_groups ug ON ug.group_id = g.id
             WHERE g.repository_id = ${repo.id} GROUP BY g.id, g.name ORDER BY g.name`,
      );
    },
  };
}

export type Directory = ReturnType<typeof makeDirectory>;
