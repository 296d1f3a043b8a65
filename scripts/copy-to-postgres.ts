import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { DataDirLockedError, lockDataDir } from "../mock-safenet/data-dir-lock";
import { isPostgresUrl, migrateTarget, openSql, redactUrl, sql, type Sql } from "../lib/runtime/sql";

// `npm run db:copy -- --portal-url postgres://… --safenet-url postgres://…` (either or both): moves an
// installation from SQLite (DATA_DIR/portal.sqlite, DATA_DIR/safenet.sqlite) into EMPTY PostgreSQL
// databases. Each target is migrated first; every table is copied in foreign-key order, in chunks,
// inside one PostgreSQL transaction per database, and each bigserial sequence is moved past the
// largest id. Values go over as they are stored: sealed seeds, PIN hashes and sealed mail are the
// same bytes afterwards, so the simulator needs the same master key. Nothing secret is printed.

const ROOT = path.resolve(__dirname, "..");
const ROWS_PER_INSERT = 1000;

export interface Part {
  /** What the messages call it. */
  label: string;
  file: string;
  folders: { sqlite: string; postgres: string };
  lockName: string;
  /** What to point the process at afterwards. */
  urlVariable: string;
}

export const PARTS = {
  portal: {
    label: "portal",
    file: "portal.sqlite",
    folders: { sqlite: path.join(ROOT, "db/migrations"), postgres: path.join(ROOT, "db/migrations-pg") },
    lockName: "portal-migrations",
    urlVariable: "DATABASE_URL",
  },
  safenet: {
    label: "simulator",
    file: "safenet.sqlite",
    folders: { sqlite: path.join(ROOT, "mock-safenet/db/migrations"), postgres: path.join(ROOT, "mock-safenet/db/migrations-pg") },
    lockName: "safenet-migrations",
    urlVariable: "SAFENET_DATABASE_URL",
  },
} satisfies Record<string, Part>;

/** A refusal the operator can act on: printed as it is, exit code 1, nothing changed. */
export class CopyRefused extends Error {}

export interface TableCount {
  table: string;
  rows: number;
}

export interface PartResult {
  label: string;
  target: string;
  tables: TableCount[];
  sequences: number;
  seconds: number;
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

interface SqliteColumn {
  name: string;
}

/** The tables to copy (drizzle's own bookkeeping left out) with their columns, from the SQLite file itself. */
function sqliteTables(db: Database.Database): Map<string, string[]> {
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '__drizzle_migrations' ORDER BY name")
    .pluck()
    .all() as string[];
  return new Map(names.map((name) => [name, (db.prepare(`PRAGMA table_info(${ident(name)})`).all() as SqliteColumn[]).map((c) => c.name)]));
}

/** Parents before children: Kahn's order over the foreign keys both sides declare, by name where free. */
export function dependencyOrder(tables: string[], edges: { child: string; parent: string }[]): string[] {
  const set = new Set(tables);
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const { child, parent } of edges) if (set.has(child) && set.has(parent) && child !== parent) parents.get(child)!.add(parent);
  const order: string[] = [];
  const done = new Set<string>();
  while (order.length < tables.length) {
    const ready = tables.filter((t) => !done.has(t) && [...parents.get(t)!].every((p) => done.has(p))).sort();
    if (ready.length === 0) {
      const left = tables.filter((t) => !done.has(t));
      throw new CopyRefused(`The tables ${left.join(", ")} refer to each other in a cycle; this command cannot order them.`);
    }
    for (const t of ready) {
      done.add(t);
      order.push(t);
    }
  }
  return order;
}

interface PgColumn {
  table: string;
  column: string;
  type: string;
  /** The type's own name (int8, text, bytea…), for the array casts. */
  udt: string;
  required: boolean;
}

/** Refuses a target where any table of its schema holds a row. */
async function refuseRowsIn(db: Sql, tables: string[], target: string): Promise<void> {
  const nonEmpty: string[] = [];
  for (const table of tables) {
    const row = await db.get<{ any: boolean }>(sql`SELECT EXISTS (SELECT 1 FROM ${sql.raw(ident(table))}) AS "any"`);
    if (row?.any) nonEmpty.push(table);
  }
  if (nonEmpty.length) throw new CopyRefused(`${target} is not empty (rows in ${nonEmpty.join(", ")}). Copy only into a new, empty database (CREATE DATABASE …).`);
}

async function refuseRows(url: string, target: string): Promise<void> {
  const db = openSql({ dialect: "postgres", url, poolSize: 1 }, { applicationName: "db:copy" });
  try {
    const tables = await db.all<{ name: string }>(
      sql`SELECT table_name AS "name" FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    await refuseRowsIn(
      db,
      tables.map((t) => t.name),
      target,
    );
  } catch (error) {
    if (error instanceof CopyRefused) throw error;
    throw new CopyRefused(`Could not reach ${target}: ${(error as Error).message}`);
  } finally {
    await db.close();
  }
}

/** Copies one SQLite database into one PostgreSQL database. Throws CopyRefused (nothing changed) when it must not. */
export async function copyPart(part: Part, dataDir: string, url: string, log: (line: string) => void): Promise<PartResult> {
  const started = performance.now();
  const file = path.join(dataDir, part.file);
  const target = redactUrl(url);
  if (!fs.existsSync(file)) throw new CopyRefused(`There is no ${part.label} database to copy: ${file} does not exist (check DATA_DIR).`);

  log(`${part.label}: ${file} → ${target}`);
  // A database in use is refused before anything else happens to it (checked again inside the copy's transaction).
  await refuseRows(url, target);
  // Both ends at this build's schema: the SQLite file as the process would migrate it at start, the target from empty.
  await migrateTarget({ dialect: "sqlite", file }, part.folders, part.lockName);
  try {
    await migrateTarget({ dialect: "postgres", url }, part.folders, part.lockName);
  } catch (error) {
    const e = error as Error & { cause?: Error };
    throw new CopyRefused(`Could not migrate ${target}: ${e.cause?.message ?? e.message}`);
  }

  const source = new Database(file, { readonly: true, fileMustExist: true });
  const pg = openSql({ dialect: "postgres", url: url }, { applicationName: "db:copy" });
  try {
    // One read transaction: every table is read from the same snapshot of the SQLite file.
    source.exec("BEGIN");
    const tables = sqliteTables(source);
    const sourceEdges = [...tables.keys()].flatMap((child) =>
      (source.prepare(`PRAGMA foreign_key_list(${ident(child)})`).all() as { table: string }[]).map((fk) => ({ child, parent: fk.table })),
    );

    const result = await pg.transaction(async (tx) => {
      // Two copies into one database at once: the second waits here, then finds rows and refuses.
      await tx.lock("db-copy-to-postgres");
      const pgColumns = await tx.all<PgColumn>(sql`
        SELECT c.table_name AS "table", c.column_name AS "column", c.data_type AS "type", c.udt_name AS "udt",
               (c.is_nullable = 'NO' AND c.column_default IS NULL AND c.is_identity = 'NO') AS "required"
        FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
        ORDER BY c.table_name, c.ordinal_position`);
      const onPg = new Map<string, PgColumn[]>();
      for (const c of pgColumns) onPg.set(c.table, [...(onPg.get(c.table) ?? []), c]);

      const problems: string[] = [];
      for (const [table, columns] of tables) {
        const pgCols = onPg.get(table);
        if (!pgCols) {
          problems.push(`table ${table} does not exist there`);
          continue;
        }
        const missing = columns.filter((c) => !pgCols.some((p) => p.column === c));
        if (missing.length) problems.push(`table ${table} lacks the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
        const unfilled = pgCols.filter((p) => p.required && !columns.includes(p.column)).map((p) => p.column);
        if (unfilled.length) problems.push(`table ${table} requires ${unfilled.join(", ")}, which the SQLite file does not have`);
      }
      if (problems.length) {
        throw new CopyRefused(
          `${target} does not match ${part.file} (${problems.join("; ")}). Its migrations (${path.relative(ROOT, part.folders.postgres)}) must be from the same version of the code as the SQLite file's.`,
        );
      }

      await refuseRowsIn(tx, [...onPg.keys()], target);

      const pgEdges = await tx.all<{ child: string; parent: string }>(sql`
        SELECT ch.relname AS "child", pa.relname AS "parent"
        FROM pg_constraint k
        JOIN pg_class ch ON ch.oid = k.conrelid
        JOIN pg_class pa ON pa.oid = k.confrelid
        JOIN pg_namespace n ON n.oid = ch.relnamespace
        WHERE k.contype = 'f' AND n.nspname = current_schema()`);
      const order = dependencyOrder([...tables.keys()], [...sourceEdges, ...pgEdges]);

      const counts: TableCount[] = [];
      for (const table of order) {
        const columns = tables.get(table)!;
        const booleans = new Set(onPg.get(table)!.filter((c) => c.type === "boolean").map((c) => c.column));
        const flag = columns.map((c) => booleans.has(c));
        // One array parameter per column (unnest): a statement of a few parameters, whatever the chunk.
        const pgTypes = new Map(onPg.get(table)!.map((c) => [c.column, sql.raw(`${ident(c.udt)}[]`)]));
        const into = sql.raw(`${ident(table)} (${columns.map(ident).join(", ")})`);
        // Integers as BigInt: every stored value goes over exactly, whatever its size.
        const read = source.prepare(`SELECT ${columns.map(ident).join(", ")} FROM ${ident(table)}`).raw(true).safeIntegers(true);
        let arrays: unknown[][] = columns.map(() => []);
        let rows = 0;
        let copied = 0;
        const flush = async () => {
          if (rows === 0) return;
          const unnest = sql.join(columns.map((c, i) => sql`${arrays[i]}::${pgTypes.get(c)}`));
          await tx.run(sql`INSERT INTO ${into} SELECT * FROM unnest(${unnest})`);
          copied += rows;
          rows = 0;
          arrays = columns.map(() => []);
        };
        for (const row of read.iterate() as Iterable<unknown[]>) {
          for (let i = 0; i < row.length; i++) arrays[i].push(flag[i] && row[i] !== null ? Number(row[i]) !== 0 : row[i]);
          if (++rows >= ROWS_PER_INSERT) await flush();
        }
        await flush();
        const check = await tx.get<{ n: number }>(sql`SELECT count(*) AS "n" FROM ${sql.raw(ident(table))}`);
        if (check?.n !== copied) throw new Error(`${table}: ${copied} rows sent but ${check?.n} arrived`);
        counts.push({ table, rows: copied });
      }

      // Each bigserial continues after the largest id copied, so the next insert does not collide.
      const serials = await tx.all<{ table: string; column: string; seq: string }>(sql`
        SELECT c.table_name AS "table", c.column_name AS "column",
               pg_get_serial_sequence(quote_ident(c.table_schema) || '.' || quote_ident(c.table_name), c.column_name) AS "seq"
        FROM information_schema.columns c
        WHERE c.table_schema = current_schema()
          AND pg_get_serial_sequence(quote_ident(c.table_schema) || '.' || quote_ident(c.table_name), c.column_name) IS NOT NULL`);
      for (const s of serials) {
        await tx.get(sql`SELECT setval(${s.seq}, COALESCE((SELECT max(${sql.raw(ident(s.column))}) FROM ${sql.raw(ident(s.table))}), 0) + 1, false)`);
      }
      return { counts, sequences: serials.length };
    });
    const seconds = (performance.now() - started) / 1000;
    for (const { table, rows } of result.counts) log(`  ${table.padEnd(24)} ${rows.toLocaleString("en").padStart(10)} rows`);
    return { label: part.label, target, tables: result.counts, sequences: result.sequences, seconds };
  } finally {
    if (source.inTransaction) source.exec("COMMIT");
    source.close();
    await pg.close();
  }
}

const usage = `Usage: npm run db:copy -- [--portal-url postgres://…] [--safenet-url postgres://…]
Copies DATA_DIR/portal.sqlite and/or DATA_DIR/safenet.sqlite into empty PostgreSQL databases.
Stop the portal and the simulator first. DATA_DIR comes from the environment or .env, as for npm start.`;

export interface CopyOptions {
  dataDir: string;
  portalUrl?: string;
  safenetUrl?: string;
  log?: (line: string) => void;
}

/** Copies the parts asked for, holding DATA_DIR's lock so the simulator cannot run on the files meanwhile. */
export async function copyToPostgres(options: CopyOptions): Promise<PartResult[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const asked = [
    ["--portal-url", options.portalUrl, PARTS.portal],
    ["--safenet-url", options.safenetUrl, PARTS.safenet],
  ] as const;
  const jobs = asked.filter(([, url]) => url !== undefined);
  if (jobs.length === 0) throw new CopyRefused(`Nothing to copy: give --portal-url, --safenet-url or both.\n${usage}`);
  for (const [flag, url, part] of jobs) {
    if (!isPostgresUrl(url)) throw new CopyRefused(`Nothing copied: ${flag} must be a postgres:// or postgresql:// URL.`);
    const file = path.join(options.dataDir, part.file);
    if (!fs.existsSync(file)) throw new CopyRefused(`Nothing copied: there is no ${part.label} database, ${file} does not exist (check DATA_DIR).`);
  }
  let release: () => void;
  try {
    release = lockDataDir(options.dataDir, "a copy to PostgreSQL");
  } catch (error) {
    if (error instanceof DataDirLockedError) throw new CopyRefused(`Nothing copied: ${error.message}`);
    throw error;
  }
  try {
    const results: PartResult[] = [];
    for (const [, url, part] of jobs) {
      let r: PartResult;
      try {
        r = await copyPart(part, options.dataDir, url!, log);
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        const what = error instanceof CopyRefused ? "nothing changed in its database" : "its transaction was rolled back";
        error.message = `The ${part.label} was not copied (${what}): ${error.message}`;
        if (results.length > 0) error.message += ` The ${results.map((d) => d.label).join(" and ")} was copied: run the command again without its URL.`;
        throw error;
      }
      const rows = r.tables.reduce((n, t) => n + t.rows, 0);
      log(`${r.label}: copied ${rows.toLocaleString("en")} rows in ${r.tables.length} tables to ${r.target} in ${r.seconds.toFixed(1)} s.`);
      results.push(r);
    }
    return results;
  } finally {
    release();
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && import.meta.url === pathToFileURL(path.resolve(entry)).href;
}

function args() {
  try {
    return parseArgs({
      options: { "portal-url": { type: "string" }, "safenet-url": { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
    }).values;
  } catch (error) {
    throw new CopyRefused(`${(error as Error).message}\n${usage}`);
  }
}

async function main(): Promise<void> {
  const values = args();
  if (values.help) {
    console.log(usage);
    return;
  }
  const envFile = path.resolve(".env");
  if (fs.existsSync(envFile)) process.loadEnvFile(envFile);
  const dataDir = path.resolve(process.env.DATA_DIR || "data");
  const results = await copyToPostgres({ dataDir, portalUrl: values["portal-url"], safenetUrl: values["safenet-url"] });
  const next = results.map((r) => (r.label === "portal" ? PARTS.portal.urlVariable : PARTS.safenet.urlVariable));
  console.log(
    `Done. Set ${next.join(" and ")} (in .env or the environment) to the new database${next.length > 1 ? "s" : ""} and start again` +
      (results.some((r) => r.label === "simulator") ? "; the simulator needs the same SAFENET_MASTER_KEY (or DATA_DIR/master.key) as before." : "."),
  );
}

if (isMain()) {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(message);
    process.exit(1);
  });
}
