import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { openPortalDb, type PortalDb } from "../../../db/index";
import { migratePortal } from "../../../db/migrate";
import type { SqlTarget } from "../../../lib/runtime/sql";

// The portal's database for an integration test, on each dialect this run has: SQLite always, and
// PostgreSQL when TEST_POSTGRES_URL names an admin database on a running cluster (npm run
// test:postgres, or scripts/pg-cluster.ts). Each call makes a fresh, migrated database.

const ROOT = path.resolve(__dirname, "../../..");

export type PortalDialect = "sqlite" | "postgres";

/**
 * The dialects to run the portal's database tests on: `describe.each(portalDialects())`. SQLite
 * always, and PostgreSQL with TEST_POSTGRES_URL; TEST_DIALECTS=postgres (set by `npm run
 * test:postgres`, after `npm test` ran the SQLite half) leaves SQLite out.
 */
export function portalDialects(): PortalDialect[] {
  if (!process.env.TEST_POSTGRES_URL) return ["sqlite"];
  return process.env.TEST_DIALECTS === "postgres" ? ["postgres"] : ["sqlite", "postgres"];
}

/** A new, empty PostgreSQL database on TEST_POSTGRES_URL's cluster; resolves to its URL and a way to drop it. */
export async function createPostgresDatabase(prefix = "portal_test"): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.TEST_POSTGRES_URL;
  if (!admin) throw new Error("TEST_POSTGRES_URL is not set: it names an admin database on a running PostgreSQL cluster.");
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const run = async (work: (client: pg.Client) => Promise<unknown>) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await work(client);
    } finally {
      await client.end();
    }
  };
  await run((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  // A closed pool's connections take a moment to leave; FORCE would otherwise cut them mid-goodbye (a logged error).
  const drop = () =>
    run(async (c) => {
      for (let i = 0; i < 40; i++) {
        const { rows } = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
        if (rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
  return { url: url.toString(), drop };
}

export interface TestPortalDb {
  db: PortalDb;
  target: SqlTarget;
  /** SQLite: the DATA_DIR holding portal.sqlite; PostgreSQL: undefined. */
  dir?: string;
  /** Another connection (pool) to the same database, as a second portal instance would have. */
  openAnother(): PortalDb;
  close(): Promise<void>;
}

/** A fresh portal database on `dialect`, migrated as `npm start` does. */
export async function freshPortalDb(dialect: PortalDialect): Promise<TestPortalDb> {
  const others: PortalDb[] = [];
  if (dialect === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-db-"));
    const target = await migratePortal({ root: ROOT, dir, url: undefined });
    const db = openPortalDb(target);
    return {
      db,
      target,
      dir,
      openAnother: () => (others[others.length] = openPortalDb(target, { mustExist: true })),
      async close() {
        for (const o of others) await o.close();
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const created = await createPostgresDatabase();
  const target = await migratePortal({ root: ROOT, url: created.url });
  const db = openPortalDb(target);
  return {
    db,
    target,
    openAnother: () => (others[others.length] = openPortalDb(target)),
    async close() {
      for (const o of others) await o.close();
      await db.close();
      await created.drop();
    },
  };
}

/**
 * A fresh database for the enclosing describe (made before its tests, dropped after), emptied of
 * `tables` before each test. Read `.db` and `.t` inside the tests.
 */
export function portalDbPerSuite(dialect: PortalDialect, tables: string[] = []): { readonly db: PortalDb; readonly t: TestPortalDb } {
  let t: TestPortalDb | undefined;
  beforeAll(async () => {
    t = await freshPortalDb(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    for (const table of tables) await t!.db.exec(`DELETE FROM ${table}`);
  });
  return {
    get t() {
      if (!t) throw new Error("The test database is made in beforeAll: read it inside a test or hook.");
      return t;
    },
    get db() {
      return this.t.db;
    },
  };
}

/** A 127.0.0.1 port nothing listens on, for "the service does not answer". */
export async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}
