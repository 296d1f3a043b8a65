import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import path from "node:path";
import { dataDir } from "../lib/runtime/env";
import { preparePrivateDatabase } from "../lib/runtime/private-files";
import journal from "./migrations/meta/_journal.json";
import * as schema from "./schema";

export type PortalDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export function portalDbFile(dir = dataDir()): string {
  return path.resolve(dir, "portal.sqlite");
}

export function openPortalDb(file = portalDbFile(), options: { mustExist?: boolean } = {}): PortalDb {
  if (!options.mustExist) preparePrivateDatabase(file);
  const sqlite = new Database(file, { fileMustExist: options.mustExist ?? false });
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return drizzle({ client: sqlite, schema });
}

// Next dev reloads modules; keep one connection per process.
const globalForDb = globalThis as unknown as { portalDb?: PortalDb };

/** The portal's database; it must already exist, since migrations run before the portal starts. */
export function getDb(): PortalDb {
  globalForDb.portalDb ??= openPortalDb(portalDbFile(), { mustExist: true });
  return globalForDb.portalDb;
}

export type DatabaseStatus = { ok: true } | { ok: false; message: string };

const migrateHint = "run `npm run db:migrate` (or `npm start`, which migrates first) and try again";

/** Whether the database answers and has every migration this build ships with. */
export function checkDatabase(): DatabaseStatus {
  let db: PortalDb;
  try {
    db = getDb();
  } catch {
    return { ok: false, message: `The portal database ${portalDbFile()} does not exist yet; ${migrateHint}.` };
  }
  const latest = journal.entries.at(-1)?.when ?? 0;
  try {
    const row = db.$client
      .prepare("SELECT max(created_at) AS applied FROM __drizzle_migrations")
      .get() as { applied: number | null };
    if ((row.applied ?? 0) >= latest) return { ok: true };
    return { ok: false, message: `The portal database has pending migrations; ${migrateHint}.` };
  } catch {
    return { ok: false, message: `The portal database is not migrated; ${migrateHint}.` };
  }
}

export { schema };
