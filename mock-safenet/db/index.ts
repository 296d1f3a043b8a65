import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { eq } from "drizzle-orm";
import * as schema from "./schema";
import { derivedPepper, openPepper, sealPepper } from "../keys";
import { preparePrivateDatabase } from "../../lib/runtime/private-files";

export type SimDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const DB_FILE = "safenet.sqlite";
const MIGRATIONS = path.join(__dirname, "migrations");

/** Opens (creating if needed) and migrates the simulator's database under `dataDir`. */
export function openDatabase(dataDir: string): SimDb {
  preparePrivateDatabase(path.join(dataDir, DB_FILE));
  const sqlite = new Database(path.join(dataDir, DB_FILE));
  // WAL with synchronous=NORMAL: every commit survives a crash of the process; one fsync per checkpoint.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema }) as SimDb;
  migrate(db, { migrationsFolder: MIGRATIONS });
  return db;
}

/**
 * Records which master key the database was created with, and refuses to run under another key:
 * sealed seeds would not open, and new ones would be sealed under a key the old ones do not share.
 */
export function checkMasterKey(db: SimDb, keyCheck: string): void {
  const row = db.select().from(schema.meta).where(eq(schema.meta.key, "key_check")).get();
  if (!row) {
    db.insert(schema.meta).values({ key: "key_check", value: keyCheck }).run();
    return;
  }
  if (row.value !== keyCheck) {
    throw new Error(
      "The master key does not match the one this database was created with. Restore the original SAFENET_MASTER_KEY (or DATA_DIR/master.key), or start with an empty DATA_DIR.",
    );
  }
}

/**
 * The PIN pepper, kept in the database sealed under `master`. A database from before it was stored
 * gets the pepper its PIN hashes were made with: the one derived from this, its first, master key.
 */
export function pinPepper(db: SimDb, master: Buffer): Buffer {
  const row = db.select().from(schema.meta).where(eq(schema.meta.key, "pin_pepper")).get();
  if (row) return openPepper(master, Buffer.from(row.value, "base64"));
  const pepper = derivedPepper(master);
  db.insert(schema.meta).values({ key: "pin_pepper", value: sealPepper(master, pepper).toString("base64") }).run();
  return pepper;
}
