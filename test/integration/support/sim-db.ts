import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateTarget, openSql, type Sql, type SqlTarget } from "../../../lib/runtime/sql";
import { createPostgresDatabase } from "./portal-db";

// A fresh, migrated simulator database on SQLite (a temporary file) or on PostgreSQL (a new database
// on the cluster TEST_POSTGRES_URL names), for tests that drive the data-access modules directly.

export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL;

const MIGRATIONS = path.resolve(__dirname, "../../../mock-safenet/db/migrations");
const MIGRATIONS_PG = path.resolve(__dirname, "../../../mock-safenet/db/migrations-pg");

export type TestDialect = "sqlite" | "postgres";

/** The dialects to run on: SQLite always, PostgreSQL when TEST_POSTGRES_URL is set. */
export const DIALECTS: TestDialect[] = TEST_POSTGRES_URL ? ["sqlite", "postgres"] : ["sqlite"];

export interface TestDatabase {
  db: Sql;
  target: SqlTarget;
  /** Another connection to the same database, as a second simulator instance would hold. */
  open(): Sql;
  /** Closes every connection opened here and removes the database. */
  drop(): Promise<void>;
}

export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  let target: SqlTarget;
  let cleanup: () => Promise<void>;
  if (dialect === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-db-"));
    target = { dialect: "sqlite", file: path.join(dir, "safenet.sqlite") };
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const database = await createPostgresDatabase("sim_test");
    target = { dialect: "postgres", url: database.url };
    cleanup = database.drop;
  }
  await migrateTarget(target, { sqlite: MIGRATIONS, postgres: MIGRATIONS_PG }, "safenet-migrate");
  const opened: Sql[] = [];
  const open = () => {
    const db = openSql(target);
    opened.push(db);
    return db;
  };
  return {
    db: open(),
    target,
    open,
    async drop() {
      await Promise.allSettled(opened.map((db) => db.close()));
      await cleanup();
    },
  };
}
