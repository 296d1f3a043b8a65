import { and, asc, count, eq, gt, gte, inArray, lt, or, sql } from "drizzle-orm";
import type { SimDb } from "./db";
import { groups, repositories, userGroups, users } from "./db/schema";
import { SafeNetError, notFound } from "./errors";
import { hashPassword, verifyPassword } from "./keys";

// The simulated Active Directory: repositories, users, groups and the domain sign-in.

export type UserRow = typeof users.$inferSelect;
export type RepositoryRow = typeof repositories.$inferSelect;

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

export function makeDirectory(db: SimDb) {
  let dummyHash: Promise<string> | undefined;
  const byUpn = db
    .select()
    .from(users)
    .where(and(eq(users.repositoryId, sql.placeholder("repo")), eq(users.upn, sql.placeholder("name"))))
    .prepare();
  const bySam = db
    .select()
    .from(users)
    .where(and(eq(users.repositoryId, sql.placeholder("repo")), eq(users.sam, sql.placeholder("name"))))
    .prepare();

  function repository(name: string): RepositoryRow {
    const row = db.select().from(repositories).where(eq(repositories.name, name.toLowerCase())).get();
    if (!row) throw notFound(`The user repository "${name}"`, { repository: name });
    return row;
  }

  function findUser(repo: RepositoryRow, logonName: string): UserRow | undefined {
    const parsed = parseLogonName(logonName, repo);
    if (!parsed) return undefined;
    return parsed.upn
      ? byUpn.get({ repo: repo.id, name: parsed.upn })
      : bySam.get({ repo: repo.id, name: parsed.sam });
  }

  function groupsOf(userIds: number[]): Map<number, string[]> {
    const out = new Map<number, string[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return out;
    const rows = db
      .select({ userId: userGroups.userId, name: groups.name })
      .from(userGroups)
      .innerJoin(groups, eq(groups.id, userGroups.groupId))
      .where(inArray(userGroups.userId, userIds))
      .orderBy(asc(groups.name))
      .all();
    for (const r of rows) out.get(r.userId)!.push(r.name);
    return out;
  }

  function ensureGroups(repoId: number, names: string[]): number[] {
    return names.map((name) => {
      db.insert(groups).values({ repositoryId: repoId, name }).onConflictDoNothing().run();
      return db
        .select({ id: groups.id })
        .from(groups)
        .where(and(eq(groups.repositoryId, repoId), eq(groups.name, name)))
        .get()!.id;
    });
  }

  return {
    repository,
    findUser,
    groupsOf,

    listRepositories() {
      return db
        .select({ name: repositories.name, kind: repositories.kind, users: count(users.id) })
        .from(repositories)
        .leftJoin(users, eq(users.repositoryId, repositories.id))
        .groupBy(repositories.id)
        .orderBy(asc(repositories.name))
        .all();
    },

    /** Verifies a domain password; unknown users cost the same scrypt work as known ones. */
    async authenticate(repo: RepositoryRow, logonName: string, password: string): Promise<UserRow | null> {
      const user = findUser(repo, logonName);
      if (!user) {
        dummyHash ??= hashPassword(DUMMY_HASH_PASSWORD);
        await verifyPassword(password, await dummyHash);
        return null;
      }
      return (await verifyPassword(password, user.passwordHash)) ? user : null;
    },

    /** Prefix search on UPN or display name, paged by UPN so every page is an index range. */
    listUsers(repo: RepositoryRow, q: { search?: string; group?: string; limit: number; cursor?: string }) {
      const term = q.search?.trim().toLowerCase();
      const conds = [eq(users.repositoryId, repo.id)];
      if (q.cursor) conds.push(gt(users.upn, q.cursor));
      if (q.group) {
        // Direct members only, as the exclusion rules match groups.
        const members = db
          .select({ id: userGroups.userId })
          .from(userGroups)
          .innerJoin(groups, eq(groups.id, userGroups.groupId))
          .where(and(eq(groups.repositoryId, repo.id), eq(groups.name, q.group)));
        conds.push(inArray(users.id, members));
      }
      if (term) {
        const end = term + "\uffff";
        conds.push(
          or(
            and(gte(users.upn, term), lt(users.upn, end)),
            and(gte(users.displayKey, term), lt(users.displayKey, end)),
          )!,
        );
      }
      const rows = db
        .select()
        .from(users)
        .where(and(...conds))
        .orderBy(asc(users.upn))
        .limit(q.limit + 1)
        .all();
      const page = rows.slice(0, q.limit);
      return { users: page, nextCursor: rows.length > q.limit ? page[page.length - 1].upn : null };
    },

    async createUser(
      repo: RepositoryRow,
      input: { upn: string; displayName: string; email: string; password: string; groups?: string[] },
    ): Promise<UserRow> {
      const upn = input.upn.toLowerCase();
      const sam = upn.split("@")[0];
      const refuseIfTaken = () => {
        if (byUpn.get({ repo: repo.id, name: upn }) || bySam.get({ repo: repo.id, name: sam })) {
          throw new SafeNetError(409, "user_exists", `A user "${upn}" (or with the logon name "${sam}") already exists.`, { upn });
        }
      };
      refuseIfTaken();
      const passwordHash = await hashPassword(input.password);
      // Checked again after the (asynchronous) hash: another request may have created the user meanwhile.
      return db.transaction((tx) => {
        refuseIfTaken();
        const user = tx
          .insert(users)
          .values({
            repositoryId: repo.id,
            upn,
            sam,
            displayName: input.displayName,
            displayKey: input.displayName.toLowerCase(),
            email: input.email.toLowerCase(),
            passwordHash,
            createdAt: Date.now(),
          })
          .returning()
          .get();
        const groupIds = ensureGroups(repo.id, [...new Set(["Domain Users", ...(input.groups ?? [])])]);
        for (const groupId of groupIds) tx.insert(userGroups).values({ userId: user.id, groupId }).run();
        return user;
      });
    },

    /** `groups` replaces the user's memberships; every user stays in Domain Users. */
    updateUser(user: UserRow, patch: { email?: string; displayName?: string; groups?: string[] }): UserRow {
      return db.transaction((tx) => {
        if (patch.groups !== undefined) {
          const groupIds = ensureGroups(user.repositoryId, [...new Set(["Domain Users", ...patch.groups])]);
          tx.delete(userGroups).where(eq(userGroups.userId, user.id)).run();
          for (const groupId of groupIds) tx.insert(userGroups).values({ userId: user.id, groupId }).run();
        }
        if (patch.email === undefined && patch.displayName === undefined) return user;
        return tx
          .update(users)
          .set({
            ...(patch.email !== undefined && { email: patch.email.toLowerCase() }),
            ...(patch.displayName !== undefined && { displayName: patch.displayName, displayKey: patch.displayName.toLowerCase() }),
          })
          .where(eq(users.id, user.id))
          .returning()
          .get();
      });
    },

    setAccount(user: UserRow, on: boolean): void {
      db.update(users).set({ safenetAccount: on }).where(eq(users.id, user.id)).run();
    },

    listGroups(repo: RepositoryRow) {
      return db
        .select({ name: groups.name, members: count(userGroups.userId) })
        .from(groups)
        .leftJoin(userGroups, eq(userGroups.groupId, groups.id))
        .where(eq(groups.repositoryId, repo.id))
        .groupBy(groups.id)
        .orderBy(asc(groups.name))
        .all();
    },

    ensureGroups,
  };
}

export type Directory = ReturnType<typeof makeDirectory>;
