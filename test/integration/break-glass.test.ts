import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantAdmission, openAdmissions, takeAdmission } from "../../db/queries/break-glass";
import { readSetting } from "../../db/queries/settings";
import { sql } from "../../lib/runtime/sql";
import { ROOT, startSimulator, TMS_KEY, AGENT_KEY, type Simulator } from "./harness";
import { freshPortalDb, portalDialects, type TestPortalDb } from "./support/portal-db";

// `npm run break-glass`, run as the host's operator runs it: a child process on a DATA_DIR of its
// own, or with DATABASE_URL on a PostgreSQL database of its own.

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator();
}, 60_000);
afterAll(async () => {
  await sim?.stop();
});

describe.each(portalDialects())("break-glass (%s)", (dialect) => {
  let t: TestPortalDb;
  let dataDir: string;
  let databaseUrl: string | undefined;

  beforeAll(async () => {
    t = await freshPortalDb(dialect);
    dataDir = t.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "break-glass-"));
    databaseUrl = t.target.dialect === "postgres" ? t.target.url : undefined;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function breakGlass(...args: string[]) {
    const env = {
      NODE_ENV: "test" as const,
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      ...(databaseUrl && { DATABASE_URL: databaseUrl }),
      SAFENET_URL: sim.base,
      SAFENET_TMS_API_KEY: TMS_KEY,
      SAFENET_AGENT_KEY: AGENT_KEY,
      NEXTAUTH_SECRET: "break-glass-test-secret",
    };
    // cwd is the data dir: no .env there, so the environment above is all the script knows. Node with
    // tsx's loader, as `npm run break-glass` ends up running it, without the tsx command's second
    // process (each start costs seconds of CPU on a busy two-core machine, and this file makes 17).
    return spawnSync(process.execPath, ["--import", pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href, path.join(ROOT, "scripts/break-glass.ts"), ...args], {
      cwd: dataDir,
      env: { ...env, TSX_TSCONFIG_PATH: path.join(ROOT, "tsconfig.json") },
      encoding: "utf8",
    });
  }

  const setting = async (key: string) => (await readSetting(t.db, key)) as Record<string, unknown> | undefined;
  const events = (type: string) =>
    t.db.all<{ actor: string; user: string; detail: string }>(sql`SELECT actor, "user", result, detail FROM events WHERE type = ${type} ORDER BY id`);

  describe("npm run break-glass", () => {
    it.each([
      [[], "Name a command."],
      [["reset"], "“reset” is not a break-glass command."],
      [["reset-safenet", "now"], "reset-safenet takes no arguments."],
      [["admit"], "Name the user to admit"],
      [["admit", "CORP\\bob"], "is not a user name of the form user@domain"],
      [["admit", "bob@corp.local", "--minutes", "0"], "--minutes takes a whole number of minutes from 1 to 60, not “0”."],
      [["admit", "bob@corp.local", "--minutes", "61"], "not “61”"],
      [["admit", "bob@corp.local", "--minutes", "1.5"], "not “1.5”"],
      [["admit", "bob@corp.local", "--minutes"], "not “”"],
      [["admit", "bob@corp.local", "--hours", "1"], "“--hours” is not an option of admit"],
      [["admit", "nobody@corp.local"], "The repository corp.local has no user nobody@corp.local"],
      [["admit", "carol@corp.local"], "carol@corp.local is not in RAS Admins"],
    ])("refuses %j with a sentence and exit code 2", async (args, sentence) => {
      const run = breakGlass(...args);
      expect(run.stderr).toContain(sentence);
      expect(run.stderr).toContain("Usage: npm run break-glass");
      expect(run.status).toBe(2);
      expect(await setting("break-glass")).toBeUndefined();
    });

    it("reset-safenet puts the provider and both service URLs back to the defaults and keeps the rest", async () => {
      const broken = {
        provider: "none",
        otpServiceUrl: "http://127.0.0.1:9/TokenValidator/TokenValidator.asmx",
        mode: "account_only",
        tokenType: "event",
        tmsUrl: "http://127.0.0.1:9/TMSWebAPI/v1",
        userRepository: "corp.local",
        splitDelivery: true,
      };
      await t.db.run(sql`INSERT INTO settings (key, value, updated_at) VALUES ('mfa', ${JSON.stringify(broken)}, ${Date.now()})`);

      const run = breakGlass("reset-safenet");
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`OTP Service URL  ${sim.base}/TokenValidator/TokenValidator.asmx`);
      expect(run.stdout).toContain("(3 changed)");
      expect(await setting("mfa")).toEqual({
        ...broken,
        provider: "safenet",
        otpServiceUrl: `${sim.base}/TokenValidator/TokenValidator.asmx`,
        tmsUrl: `${sim.base}/TMSWebAPI/v1`,
      });
      const [event] = await events("break-glass.reset-safenet");
      expect(event.actor).toBe("break-glass (host operator)");
      expect(JSON.parse(event.detail).changes).toHaveLength(3);
    });

    it("admit grants one administrator one sign-in within the minutes given, recorded in Events", async () => {
      const before = Date.now();
      const run = breakGlass("admit", "BOB@corp.local", "--minutes", "5");
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toContain("bob@corp.local may sign in to the admin console once");
      const { grants } = (await setting("break-glass")) as { grants: { upn: string; expiresAt: number }[] };
      expect(grants).toHaveLength(1);
      expect(grants[0].upn).toBe("bob@corp.local");
      expect(grants[0].expiresAt).toBeGreaterThanOrEqual(before + 5 * 60_000);
      expect(grants[0].expiresAt).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
      expect(await events("break-glass.grant")).toMatchObject([{ user: "bob@corp.local", actor: "break-glass (host operator)" }]);

      // A second grant for the same user replaces the first; the default is 15 minutes.
      expect(breakGlass("admit", "bob@corp.local").status).toBe(0);
      const again = ((await setting("break-glass")) as { grants: { expiresAt: number }[] }).grants;
      expect(again).toHaveLength(1);
      expect(again[0].expiresAt).toBeGreaterThan(Date.now() + 14 * 60_000);
    });

    it("says so when the database is missing", () => {
      const saved = { dataDir, databaseUrl };
      dataDir = path.join(saved.dataDir, "absent");
      fs.mkdirSync(dataDir);
      if (databaseUrl) databaseUrl = databaseUrl.replace(/\/[^/]*$/, "/absent_portal_db");
      const run = breakGlass("reset-safenet");
      ({ dataDir, databaseUrl } = saved);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("cannot be opened");
    });
  });

  describe("a break-glass grant", () => {
    it("is taken once, only by its user, and not after it expires", async () => {
      const portal = t.db;
      const now = Date.now();
      await grantAdmission(portal, "alice@corp.local", 1, now);
      expect(await takeAdmission(portal, "dave@corp.local", now)).toBeNull();
      expect(await takeAdmission(portal, "ALICE@corp.local", now + 1000)).toMatchObject({ upn: "alice@corp.local" });
      expect(await takeAdmission(portal, "alice@corp.local", now + 2000)).toBeNull();

      await grantAdmission(portal, "alice@corp.local", 1, now);
      expect(await openAdmissions(portal, now)).toContainEqual(expect.objectContaining({ upn: "alice@corp.local" }));
      expect(await takeAdmission(portal, "alice@corp.local", now + 60_000)).toBeNull();
      expect(await openAdmissions(portal, now + 60_000)).not.toContainEqual(expect.objectContaining({ upn: "alice@corp.local" }));
    });

    // Two SQLite connections in one process cannot both hold a transaction across awaits; two processes queue on the file's lock.
    it.runIf(dialect === "postgres")("is taken once when two portal instances (two connections) race for it", async () => {
      const other = t.openAnother();
      for (let round = 0; round < 5; round++) {
        const now = Date.now();
        await grantAdmission(t.db, "alice@corp.local", 1, now);
        const taken = await Promise.all(Array.from({ length: 10 }, (_, i) => takeAdmission(i % 2 ? other : t.db, "alice@corp.local", now + 1)));
        expect(taken.filter(Boolean)).toHaveLength(1);
      }
    });
  });
});
