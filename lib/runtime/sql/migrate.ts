import Database from "better-sqlite3";
import { drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { migrate as migrateSqlite } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { sql } from "./fragment";
import type { Sql, SqlTarget } from "./types";

// Migrations per dialect, written by drizzle-kit from each dialect's schema and applied at start.
// On PostgreSQL several instances may start at once: the migration runs under a session advisory
// lock, so one applies and the others find nothing left to do.

export interface MigrationFolders {
  sqlite: string;
  postgres: string;
}

export async function migrateTarget(target: SqlTarget, folders: MigrationFolders, lockName: string): Promise<void> {
  if (target.dialect === "sqlite") {
    const client = new Database(target.file);
    try {
      client.pragma("journal_mode = WAL");
      client.pragma("busy_timeout = 5000");
      migrateSqlite(drizzleSqlite({ client }), { migrationsFolder: folders.sqlite });
    } finally {
      client.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [lockName]);
    await migratePg(drizzlePg({ client }), { migrationsFolder: folders.postgres });
  } finally {
    await client.end();
  }
}

/** When the newest applied migration was made (drizzle's `created_at`), or null when none was. */
export async function appliedMigration(db: Sql): Promise<number | null> {
  const table = db.dialect === "sqlite" ? sql.raw("__drizzle_migrations") : sql.raw("drizzle.__drizzle_migrations");
  const row = await db.get<{ applied: number | null }>(sql`SELECT max(created_at) AS applied FROM ${table}`);
  return row?.applied ?? null;
}
