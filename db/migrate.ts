import path from "node:path";
import { pathToFileURL } from "node:url";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { dataDir } from "../lib/runtime/env";
import { ensurePrivateDir } from "../lib/runtime/private-files";
import { openPortalDb, portalDbFile } from "./index";

/** Applies db/migrations to ${DATA_DIR}/portal.sqlite, creating both when missing. */
export function migratePortal(options: { root?: string; dir?: string } = {}): string {
  const root = options.root ?? process.cwd();
  const dir = path.resolve(root, options.dir ?? dataDir());
  ensurePrivateDir(dir);
  const file = portalDbFile(dir);
  const db = openPortalDb(file);
  try {
    migrate(db, { migrationsFolder: path.join(root, "db", "migrations") });
  } finally {
    db.$client.close();
  }
  return file;
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) {
  try {
    process.loadEnvFile(".env");
  } catch {
    // No .env: the environment and the defaults are enough to migrate.
  }
  console.log(`Portal database migrated: ${migratePortal()}`);
}
