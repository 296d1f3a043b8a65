import { sql, type Sql } from "../lib/runtime/sql";
import { ensureGroupsOn, type Directory } from "./directory";
import { SafeNetError } from "./errors";
import { hashPassword } from "./keys";

// The demo directory `corp.local`, and a generator for large synthetic ones. Both are safe when two
// simulators start at once on one empty database: the demo seed runs in one transaction under a named
// lock (PostgreSQL; SQLite's write lock serialises already), and every insert skips rows that exist.

export const DEMO_REPOSITORY = { name: "corp.local", netbiosName: "CORP", kind: "ActiveDirectory" };

export const DEMO_GROUPS = ["Domain Users", "RAS Admins", "Contractors", "MFA Exempt"];

export const DEMO_USERS = [
  { sam: "alice", displayName: "Alice Andersen", password: "Alice!2026", groups: [], account: true, note: "employee" },
  { sam: "bob", displayName: "Bob Brandt", password: "Bob!2026", groups: ["RAS Admins"], account: true, note: "administrator (RAS Admins)" },
  { sam: "carol", displayName: "Carol Chen", password: "Carol!2026", groups: ["MFA Exempt"], account: true, note: "in MFA Exempt" },
  { sam: "dave", displayName: "Dave Dorsey", password: "Dave!2026", groups: ["Contractors"], account: true, note: "contractor" },
  { sam: "erin", displayName: "Erin Evans", password: "Erin!2026", groups: [], account: false, note: "no SafeNet account" },
];

export const SYNTHETIC_PASSWORD = "Synthetic!2026";

const upnOf = (sam: string) => `${sam}@${DEMO_REPOSITORY.name}`;

export interface SeededAccount {
  upn: string;
  password: string;
  note: string;
}

async function exists(directory: Directory): Promise<boolean> {
  try {
    await directory.repository(DEMO_REPOSITORY.name);
    return true;
  } catch (err) {
    if (err instanceof SafeNetError && err.status === 404) return false;
    throw err;
  }
}

/**
 * Creates corp.local with its groups and demo users when it is missing. Returns the demo accounts
 * this call created: empty when the directory was there already, or another instance made it first.
 */
export async function seedDemoDirectory(db: Sql, directory: Directory): Promise<SeededAccount[]> {
  // The usual start: the directory is there, and no password is hashed.
  if (await exists(directory)) return [];
  const hashed = await Promise.all(DEMO_USERS.map(async (u) => ({ ...u, hash: await hashPassword(u.password) })));
  return db.transaction(async (tx) => {
    // Two instances starting on one empty database: the second waits here, then finds the directory made.
    await tx.lock("seed");
    if (await tx.get(sql`SELECT id FROM repositories WHERE name = ${DEMO_REPOSITORY.name}`)) return [];
    const repo = await tx.get<{ id: number }>(
      sql`INSERT INTO repositories (name, kind, netbios_name) VALUES (${DEMO_REPOSITORY.name}, ${DEMO_REPOSITORY.kind}, ${DEMO_REPOSITORY.netbiosName})
          RETURNING id`,
    );
    const ids = await ensureGroupsOn(tx, repo!.id, DEMO_GROUPS);
    const groupId = new Map(DEMO_GROUPS.map((name, i) => [name, ids[i]]));
    const created: SeededAccount[] = [];
    for (const u of hashed) {
      const upn = upnOf(u.sam);
      const user = await tx.get<{ id: number }>(
        sql`INSERT INTO users (repository_id, upn, sam, display_name, display_key, email, password_hash, safenet_account, created_at)
            VALUES (${repo!.id}, ${upn}, ${u.sam}, ${u.displayName}, ${u.displayName.toLowerCase()}, ${upn}, ${u.hash}, ${u.account ? 1 : 0}, ${Date.now()})
            ON CONFLICT DO NOTHING RETURNING id`,
      );
      if (!user) continue;
      const member = ["Domain Users", ...u.groups].map((g) => sql`(${user.id}, ${groupId.get(g)})`);
      await tx.run(sql`INSERT INTO user_groups (user_id, group_id) VALUES ${sql.join(member)} ON CONFLICT DO NOTHING`);
      created.push({ upn, password: u.password, note: u.note });
    }
    return created;
  });
}

/** Rows per INSERT: 9 parameters each stays far below both databases' parameter limits. */
const CHUNK = 1000;

/**
 * Adds `count` synthetic users (user000001@corp.local …) in one transaction, a thousand rows per
 * statement. They share one password hash, so the cost is the inserts alone. Existing users are left
 * as they are.
 */
export async function seedSyntheticUsers(db: Sql, directory: Directory, count: number): Promise<number> {
  const repo = await directory.repository(DEMO_REPOSITORY.name);
  const hash = await hashPassword(SYNTHETIC_PASSWORD);
  const width = Math.max(6, String(count).length);
  const now = Date.now();
  return db.transaction(async (tx) => {
    const [domainUsers, contractors] = await ensureGroupsOn(tx, repo.id, ["Domain Users", "Contractors"]);
    let added = 0;
    for (let from = 1; from <= count; from += CHUNK) {
      const rows = [];
      for (let i = from; i < from + CHUNK && i <= count; i++) {
        const n = String(i).padStart(width, "0");
        const sam = `user${n}`;
        const name = `Synthetic User ${n}`;
        rows.push(sql`(${repo.id}, ${upnOf(sam)}, ${sam}, ${name}, ${name.toLowerCase()}, ${upnOf(sam)}, ${hash}, ${i % 3 === 0 ? 1 : 0}, ${now})`);
      }
      const inserted = await tx.all<{ id: number; sam: string }>(
        sql`INSERT INTO users (repository_id, upn, sam, display_name, display_key, email, password_hash, safenet_account, created_at)
            VALUES ${sql.join(rows)} ON CONFLICT DO NOTHING RETURNING id, sam`,
      );
      if (inserted.length === 0) continue;
      added += inserted.length;
      const members = inserted.flatMap((u) => {
        const own = [sql`(${u.id}, ${domainUsers})`];
        if (Number(u.sam.slice(4)) % 10 === 0) own.push(sql`(${u.id}, ${contractors})`);
        return own;
      });
      for (let m = 0; m < members.length; m += CHUNK) {
        await tx.run(sql`INSERT INTO user_groups (user_id, group_id) VALUES ${sql.join(members.slice(m, m + CHUNK))} ON CONFLICT DO NOTHING`);
      }
    }
    return added;
  });
}
