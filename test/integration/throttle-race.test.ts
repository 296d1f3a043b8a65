import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PortalDb } from "../../db/index";
import { reserveAttempt, type ThrottleKey } from "../../db/queries/throttle";
import { ACCOUNT_LIMIT, ADDRESS_LIMIT, accountKey, addressKey } from "../../lib/auth/throttle";
import { ROOT, startSimulator, TMS, type Simulator } from "./harness";
import { closedPort, freshPortalDb, portalDialects, type TestPortalDb } from "./support/portal-db";

// The attacker's test of the sign-in throttle: many wrong passwords for one account at the same
// moment, from two portal processes on one database, must not reach SafeNet more often than the
// limit allows; and an attempt SafeNet never answered still counts. On SQLite (one file) and, with
// TEST_POSTGRES_URL, on one PostgreSQL database shared by the two processes.

const run = promisify(execFile);
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
let sim: Simulator;
let dataDir: string;
let databaseUrl: string | undefined;

const portalEnv = (dir: string): NodeJS.ProcessEnv => ({
  NODE_ENV: "test",
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  DATA_DIR: dir,
  ...(databaseUrl && { DATABASE_URL: databaseUrl }),
  SAFENET_TMS_API_KEY: "test-tms-key-0123456789abcdef",
  SAFENET_AGENT_KEY: "test-agent-key-0123456789abcdef",
  NEXTAUTH_SECRET: "throttle-test-secret",
});

/** Runs `count` parallel guesses in a new portal process; resolves to how they ended. */
async function guesses(tmsUrl: string, username: string, count: number): Promise<Record<string, number>> {
  const { stdout } = await run(TSX, ["test/integration/support/guess-passwords.ts", tmsUrl, username, String(count)], {
    cwd: ROOT,
    env: portalEnv(dataDir),
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, number>;
}


describe.each(portalDialects())("sign-in throttle under attack (%s)", (dialect) => {
  let t: TestPortalDb;

  beforeAll(async () => {
    sim = await startSimulator();
    // A database of its own, migrated (again, finding nothing to do) the way an operator does it: `tsx db/migrate.ts`.
    t = await freshPortalDb(dialect);
    dataDir = t.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "portal-throttle-"));
    databaseUrl = t.target.dialect === "postgres" ? t.target.url : undefined;
    await run(TSX, ["db/migrate.ts"], { cwd: ROOT, env: portalEnv(dataDir) });
  }, 60_000);

  afterAll(async () => {
    await sim?.stop();
    await t?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("lets at most 5 of 40 parallel wrong passwords from two portal processes reach SafeNet", async () => {
    const [a, b] = await Promise.all([guesses(`${sim.base}${TMS}`, "dave", 20), guesses(`${sim.base}${TMS}`, "CORP\\dave", 20)]);
    // Every spelling counts: the simulator records a failure under the name as typed.
    const res = await sim.tms(`${TMS}/events?type=directory.authenticate&limit=100`);
    const { events } = (await res.json()) as { events: { result: string }[] };
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThanOrEqual(ACCOUNT_LIMIT.maxFailures);
    expect((a.wrong_password ?? 0) + (b.wrong_password ?? 0)).toBe(events.length);
    expect((a.throttled ?? 0) + (b.throttled ?? 0)).toBe(40 - events.length);
  }, 60_000);

  it("counts an attempt that SafeNet never answered", async () => {
    const dead = `http://127.0.0.1:${await closedPort()}${TMS}`;
    const first = await guesses(dead, "erin", ACCOUNT_LIMIT.maxFailures);
    expect(first).toEqual({ unavailable: ACCOUNT_LIMIT.maxFailures });
    // SafeNet is back, but the account has used its attempts: the right password must wait too.
    const after = await guesses(`${sim.base}${TMS}`, "erin", 1);
    expect(after).toEqual({ throttled: 1 });
  }, 60_000);

  it("reserves at most 5 of 40 parallel attempts for one account, over two connections as two instances have", async () => {
    // Two pools on PostgreSQL; on SQLite one connection (two in one process would block each other's event loop).
    const other: PortalDb = dialect === "postgres" ? t.openAnother() : t.db;
    for (const name of ["mallory", "trent"]) {
      const keys = (i: number): ThrottleKey[] => [
        { key: accountKey(i % 2 ? `CORP\\${name}` : `${name}@corp.local`), limit: ACCOUNT_LIMIT },
        { key: addressKey(`198.51.100.${i % 7}`), limit: ADDRESS_LIMIT },
      ];
      const waits = await Promise.all(Array.from({ length: 40 }, (_, i) => reserveAttempt(i % 2 ? other : t.db, keys(i))));
      expect(waits.filter((w) => w === 0)).toHaveLength(ACCOUNT_LIMIT.maxFailures);
      expect(waits.filter((w) => w > 0)).toHaveLength(40 - ACCOUNT_LIMIT.maxFailures);
    }
  });
});
