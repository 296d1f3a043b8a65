import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { dataDir } from "../lib/runtime/env";
import { preparePrivateDatabase } from "../lib/runtime/private-files";
import { migrateTarget, type SqlTarget } from "../lib/runtime/sql";
import { describeTarget, portalTarget } from "./index";

/**
 * Applies the portal's migrations: db/migrations to ${DATA_DIR}/portal.sqlite (creating the folder
 * and the file, private, when missing), or db/migrations-pg to DATABASE_URL's PostgreSQL, where
 * several instances starting at once take turns. Resolves to the database it migrated.
 */
export async function migratePortal(options: { root?: string; dir?: string; url?: string } = {}): Promise<SqlTarget> {
  const root = options.root ?? process.cwd();
  const target = portalTarget({
    dir: path.resolve(root, options.dir ?? dataDir()),
    ...("url" in options && { url: options.url }),
  });
  if (target.dialect === "sqlite") preparePrivateDatabase(target.file);
  await migrateTarget(target, { sqlite: path.join(root, "db", "migrations"), postgres: path.join(root, "db", "migrations-pg") }, "portal-migrations");
  return target;
}

/**
 * The same in a child process, for synchronous start-up code (scripts/start.ts): resolves to the
 * database migrated, as a file name or a URL without its password; throws with the child's message.
 */
export function migratePortalNow(root: string): string {
  const tsx = path.join(root, "node_modules", ".bin", "tsx");
  const child = spawnSync(tsx, [path.join(root, "db", "migrate.ts")], { cwd: root, env: process.env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (child.status !== 0) throw new Error(child.stderr.trim() || child.error?.message || `The portal migration failed (exit ${child.status}).`);
  if (child.stderr.trim()) process.stderr.write(child.stderr);
  return child.stdout.trim().split("\n").at(-1)?.replace(/^Portal database migrated: /, "") ?? "";
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) {
  try {
    process.loadEnvFile(".env");
  } catch {
    // No .env: the environment and the defaults are enough to migrate.
  }
  migratePortal().then(
    (target) => console.log(`Portal database migrated: ${describeTarget(target)}`),
    (err: unknown) => {
      console.error(`The portal database could not be migrated: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
