import path from "node:path";
import { dataDir, databaseUrl } from "../lib/runtime/env";
import { preparePrivateDatabase } from "../lib/runtime/private-files";
import { appliedMigration, isPostgresUrl, openSql, redactUrl, type Sql, type SqlTarget } from "../lib/runtime/sql";
import sqliteJournal from "./migrations/meta/_journal.json";
import pgJournal from "./migrations-pg/meta/_journal.json";

// The portal's database: ${DATA_DIR}/portal.sqlite, or PostgreSQL when DATABASE_URL holds a
// postgres:// URL. Everything above db/ sees only the `Sql` handle and never the dialect.

export type PortalDb = Sql;

export function portalDbFile(dir = dataDir()): string {
  return path.resolve(dir, "portal.sqlite");
}

/** Where the portal's data lives: DATABASE_URL when set (it must be postgres://), else the SQLite file in `dir`. */
export function portalTarget(options: { dir?: string; url?: string } = {}): SqlTarget {
  const url = "url" in options ? options.url : databaseUrl();
  if (url) {
    if (!isPostgresUrl(url)) {
      throw new Error("DATABASE_URL must be a postgres:// URL; leave it unset to keep the portal's data in DATA_DIR/portal.sqlite.");
    }
    return { dialect: "postgres", url };
  }
  return { dialect: "sqlite", file: portalDbFile(options.dir) };
}

/** The database for messages: the file, or the URL without its password. */
export function describeTarget(target: SqlTarget): string {
  return target.dialect === "sqlite" ? target.file : redactUrl(target.url);
}

/** Opens the portal's database; a SQLite file that may be created is made private (0600) first. */
export function openPortalDb(target: SqlTarget = portalTarget(), options: { mustExist?: boolean } = {}): PortalDb {
  if (target.dialect === "sqlite") {
    if (!options.mustExist) preparePrivateDatabase(target.file);
    return openSql({ ...target, mustExist: options.mustExist ?? false });
  }
  return openSql(target, { applicationName: "safenet-portal" });
}

// Next dev reloads modules; keep one connection (SQLite) or one pool (PostgreSQL) per process.
const globalForDb = globalThis as unknown as { portalDb?: PortalDb };

/** The portal's database; it must already exist, since migrations run before the portal starts. */
export function getDb(): PortalDb {
  globalForDb.portalDb ??= openPortalDb(portalTarget(), { mustExist: true });
  return globalForDb.portalDb;
}

export type DatabaseStatus = { ok: true } | { ok: false; message: string };

const migrateHint = "run `npm run db:migrate` (or `npm start`, which migrates first) and try again";
// A load balancer's probe must get its answer quickly even when PostgreSQL's host does not answer at all.
const PROBE_TIMEOUT_MS = 3_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error("timed out"), { code: "PROBE_TIMEOUT" })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

// PostgreSQL's "relation/schema does not exist": the database answers but was never migrated.
const NOT_MIGRATED = new Set(["42P01", "3F000"]);

/** Whether the database answers and has every migration this build ships with. */
export async function checkDatabase(): Promise<DatabaseStatus> {
  let target: SqlTarget;
  let db: PortalDb;
  try {
    target = portalTarget();
    db = getDb();
  } catch (err) {
    if (err instanceof Error && /DATABASE_URL/.test(err.message)) return { ok: false, message: err.message };
    return { ok: false, message: `The portal database ${portalDbFile()} does not exist yet; ${migrateHint}.` };
  }
  const latest = (target.dialect === "sqlite" ? sqliteJournal : pgJournal).entries.at(-1)?.when ?? 0;
  try {
    const applied = await withTimeout(appliedMigration(db), PROBE_TIMEOUT_MS);
    if ((applied ?? 0) >= latest) return { ok: true };
    return { ok: false, message: `The portal database has pending migrations; ${migrateHint}.` };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (target.dialect === "sqlite" || (code && NOT_MIGRATED.has(code))) {
      return { ok: false, message: `The portal database is not migrated; ${migrateHint}.` };
    }
    return {
      ok: false,
      message: `The portal database at ${describeTarget(target)} does not answer${code === "PROBE_TIMEOUT" ? ` within ${PROBE_TIMEOUT_MS / 1000} s` : ""}; check that PostgreSQL is running and reachable, then try again.`,
    };
  }
}
