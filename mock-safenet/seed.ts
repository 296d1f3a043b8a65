import { eq } from "drizzle-orm";
import type { SimDb } from "./db";
import { repositories } from "./db/schema";
import type { Directory } from "./directory";
import { hashPassword } from "./keys";

// The demo directory `corp.local`, and a generator for large synthetic ones.

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

/** Creates corp.local with its groups and demo users when it is missing; returns the demo accounts. */
export async function seedDemoDirectory(db: SimDb, directory: Directory) {
  const exists = db.select().from(repositories).where(eq(repositories.name, DEMO_REPOSITORY.name)).get();
  if (!exists) {
    const repo = db.insert(repositories).values(DEMO_REPOSITORY).returning().get();
    directory.ensureGroups(repo.id, DEMO_GROUPS);
    for (const u of DEMO_USERS) {
      const user = await directory.createUser(repo, {
        upn: upnOf(u.sam),
        displayName: u.displayName,
        email: upnOf(u.sam),
        password: u.password,
        groups: u.groups,
      });
      directory.setAccount(user, u.account);
    }
  }
  return DEMO_USERS.map((u) => ({ upn: upnOf(u.sam), password: u.password, note: u.note }));
}

/**
 * Adds `count` synthetic users (user000001@corp.local …) in one transaction. They share one
 * password hash, so the cost is the inserts alone. Existing users are left as they are.
 */
export async function seedSyntheticUsers(db: SimDb, directory: Directory, count: number): Promise<number> {
  const repo = directory.repository(DEMO_REPOSITORY.name);
  const [domainUsers, contractors] = directory.ensureGroups(repo.id, ["Domain Users", "Contractors"]);
  const hash = await hashPassword(SYNTHETIC_PASSWORD);
  const width = Math.max(6, String(count).length);
  const sqlite = db.$client;
  const insertUser = sqlite.prepare(
    `INSERT OR IGNORE INTO users (repository_id, upn, sam, display_name, display_key, email, password_hash, safenet_account, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMember = sqlite.prepare("INSERT OR IGNORE INTO user_groups (user_id, group_id) VALUES (?, ?)");
  const now = Date.now();
  let added = 0;
  sqlite.transaction(() => {
    for (let i = 1; i <= count; i++) {
      const sam = `user${String(i).padStart(width, "0")}`;
      const name = `Synthetic User ${String(i).padStart(width, "0")}`;
      const info = insertUser.run(repo.id, upnOf(sam), sam, name, name.toLowerCase(), upnOf(sam), hash, i % 3 === 0 ? 1 : 0, now);
      if (info.changes === 0) continue;
      added++;
      insertMember.run(info.lastInsertRowid, domainUsers);
      if (i % 10 === 0) insertMember.run(info.lastInsertRowid, contractors);
    }
  })();
  return added;
}
