import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openSql, type Sql, type SqlTarget } from "../../../lib/runtime/sql";
import { openDatabase, simTarget } from "../../../mock-safenet/db";
import { createPostgresDatabase } from "./portal-db";

// A fresh, migrated simulator database on SQLite (a temporary file) or on PostgreSQL (a new database
// on the cluster TEST_POSTGRES_URL names), for tests that drive the data-access modules directly.

export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL;

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
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-db-"));
  const database = dialect === "postgres" ? await createPostgresDatabase("sim_test") : undefined;
  const where = { dataDir, databaseUrl: database?.url };
  // Opened (and migrated) as the simulator opens it.
  const opened: Sql[] = [await openDatabase(where)];
  const target = simTarget(where);
  const open = () => {
    const db = openSql(target);
    opened.push(db);
    return db;
  };
  return {
    db: opened[0],
    target,
    open,
    async drop() {
      await Promise.allSettled(opened.map((db) => db.close()));
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
