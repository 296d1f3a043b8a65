import path from "node:path";
import { derivedPepper, openPepper, sealPepper } from "../keys";
import { preparePrivateDatabase } from "../../lib/runtime/private-files";
import { migrateTarget, openSql, redactUrl, sql, type Sql, type SqlTarget } from "../../lib/runtime/sql";

// The simulator's database: SQLite in DATA_DIR (one process owns it), or PostgreSQL when
// SAFENET_DATABASE_URL holds a postgres:// URL (several simulators may share it). The same SQL runs
// on both; schema.ts and schema.pg.ts describe the same tables for drizzle-kit.

export const DB_FILE = "safenet.sqlite";
const MIGRATIONS = { sqlite: path.join(__dirname, "migrations"), postgres: path.join(__dirname, "migrations-pg") };
export const MIGRATION_LOCK = "safenet-migrations";

export interface DatabaseLocation {
  dataDir: string;
  databaseUrl?: string;
}

export function simTarget(where: DatabaseLocation): SqlTarget {
  return where.databaseUrl ? { dialect: "postgres", url: where.databaseUrl } : { dialect: "sqlite", file: path.join(where.dataDir, DB_FILE) };
}

/** Where the data lives, for messages: the SQLite file or the URL without its password. */
export function describeDatabase(where: DatabaseLocation): string {
  return where.databaseUrl ? redactUrl(where.databaseUrl) : path.join(where.dataDir, DB_FILE);
}

/** Opens (creating if needed) and migrates the simulator's database. */
export async function openDatabase(where: DatabaseLocation): Promise<Sql> {
  const target = simTarget(where);
  if (target.dialect === "sqlite") preparePrivateDatabase(target.file);
  await migrateTarget(target, MIGRATIONS, MIGRATION_LOCK);
  return openSql(target, { applicationName: "safenet-simulator" });
}

/** `value` under `key` in meta, inserted only when no instance stored one first; the stored value. */
async function metaOnce(db: Sql, key: string, value: string): Promise<string> {
  await db.run(sql`INSERT INTO meta (key, value) VALUES (${key}, ${value}) ON CONFLICT (key) DO NOTHING`);
  const row = await db.get<{ value: string }>(sql`SELECT value FROM meta WHERE key = ${key}`);
  if (!row) throw new Error(`meta.${key} vanished after it was written`);
  return row.value;
}

/**
 * Records which master key the database was created with, and refuses to run under another key:
 * sealed seeds would not open, and new ones would be sealed under a key the old ones do not share.
 * Instances starting at once on an empty database agree: the first insert wins, the rest compare.
 */
export async function checkMasterKey(db: Sql, keyCheck: string): Promise<void> {
  if ((await metaOnce(db, "key_check", keyCheck)) !== keyCheck) {
    throw new Error(
      "The master key does not match the one this database was created with. Restore the original SAFENET_MASTER_KEY (or DATA_DIR/master.key), or start with an empty database.",
    );
  }
}

/**
 * The PIN pepper, kept in the database sealed under `master`. A database from before it was stored
 * gets the pepper its PIN hashes were made with: the one derived from this, its first, master key.
 */
export async function pinPepper(db: Sql, master: Buffer): Promise<Buffer> {
  const stored = await metaOnce(db, "pin_pepper", sealPepper(master, derivedPepper(master)).toString("base64"));
  return openPepper(master, Buffer.from(stored, "base64"));
}
