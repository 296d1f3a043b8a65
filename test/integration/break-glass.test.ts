import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPortalDb } from "../../db";
import { grantAdmission, openAdmissions, takeAdmission } from "../../db/queries/break-glass";
import { migratePortal } from "../../db/migrate";
import { ROOT, startSimulator, TMS_KEY, AGENT_KEY, type Simulator } from "./harness";

// `npm run break-glass`, run as the host's operator runs it: a child process on a DATA_DIR of its own.

let sim: Simulator;
let dataDir: string;
const db = () => new Database(path.join(dataDir, "portal.sqlite"), { fileMustExist: true });

function breakGlass(...args: string[]) {
  const env = {
    NODE_ENV: "test",
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dataDir,
    SAFENET_URL: sim.base,
    SAFENET_TMS_API_KEY: TMS_KEY,
    SAFENET_AGENT_KEY: AGENT_KEY,
    NEXTAUTH_SECRET: "break-glass-test-secret",
  } as const;
  // cwd is the data dir: no .env there, so the environment above is all the script knows.
  return spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), ["--tsconfig", path.join(ROOT, "tsconfig.json"), path.join(ROOT, "scripts/break-glass.ts"), ...args], { cwd: dataDir, env, encoding: "utf8" });
}

const setting = (key: string) => {
  const d = db();
  const row = d.prepare("SELECT value FROM settings WHERE key = ?").get(key) as { value: string } | undefined;
  d.close();
  return row ? (JSON.parse(row.value) as Record<string, unknown>) : undefined;
};
const events = (type: string) => {
  const d = db();
  const rows = d.prepare("SELECT actor, user, result, detail FROM events WHERE type = ? ORDER BY id").all(type) as { actor: string; user: string; detail: string }[];
  d.close();
  return rows;
};

beforeAll(async () => {
  sim = await startSimulator();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "break-glass-"));
  migratePortal({ root: ROOT, dir: dataDir });
}, 60_000);
afterAll(async () => {
  await sim?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

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
  ])("refuses %j with a sentence and exit code 2", (args, sentence) => {
    const run = breakGlass(...args);
    expect(run.stderr).toContain(sentence);
    expect(run.stderr).toContain("Usage: npm run break-glass");
    expect(run.status).toBe(2);
    expect(setting("break-glass")).toBeUndefined();
  });

  it("reset-safenet puts the provider and both service URLs back to the defaults and keeps the rest", () => {
    const d = db();
    const broken = {
      provider: "none",
      otpServiceUrl: "http://127.0.0.1:9/TokenValidator/TokenValidator.asmx",
      mode: "account_only",
      tokenType: "event",
      tmsUrl: "http://127.0.0.1:9/TMSWebAPI/v1",
      userRepository: "corp.local",
      splitDelivery: true,
    };
    d.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('mfa', ?, ?)").run(JSON.stringify(broken), Date.now());
    d.close();

    const run = breakGlass("reset-safenet");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`OTP Service URL  ${sim.base}/TokenValidator/TokenValidator.asmx`);
    expect(run.stdout).toContain("(3 changed)");
    expect(setting("mfa")).toEqual({
      ...broken,
      provider: "safenet",
      otpServiceUrl: `${sim.base}/TokenValidator/TokenValidator.asmx`,
      tmsUrl: `${sim.base}/TMSWebAPI/v1`,
    });
    const [event] = events("break-glass.reset-safenet");
    expect(event.actor).toBe("break-glass (host operator)");
    expect(JSON.parse(event.detail).changes).toHaveLength(3);
  });

  it("admit grants one administrator one sign-in within the minutes given, recorded in Events", () => {
    const before = Date.now();
    const run = breakGlass("admit", "BOB@corp.local", "--minutes", "5");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("bob@corp.local may sign in to the admin console once");
    const { grants } = setting("break-glass") as { grants: { upn: string; expiresAt: number }[] };
    expect(grants).toHaveLength(1);
    expect(grants[0].upn).toBe("bob@corp.local");
    expect(grants[0].expiresAt).toBeGreaterThanOrEqual(before + 5 * 60_000);
    expect(grants[0].expiresAt).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
    expect(events("break-glass.grant")).toMatchObject([{ user: "bob@corp.local", actor: "break-glass (host operator)" }]);

    // A second grant for the same user replaces the first; the default is 15 minutes.
    expect(breakGlass("admit", "bob@corp.local").status).toBe(0);
    const again = (setting("break-glass") as { grants: { expiresAt: number }[] }).grants;
    expect(again).toHaveLength(1);
    expect(again[0].expiresAt).toBeGreaterThan(Date.now() + 14 * 60_000);
  });

  it("says so when the database is missing", () => {
    const saved = dataDir;
    dataDir = path.join(saved, "absent");
    fs.mkdirSync(dataDir);
    const run = breakGlass("reset-safenet");
    dataDir = saved;
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("cannot be opened");
  });
});

describe("a break-glass grant", () => {
  it("is taken once, only by its user, and not after it expires", async () => {
    const portal = openPortalDb(path.join(dataDir, "portal.sqlite"), { mustExist: true });
    try {
      const now = Date.now();
      await grantAdmission(portal, "alice@corp.local", 1, now);
      expect(await takeAdmission(portal, "dave@corp.local", now)).toBeNull();
      expect(await takeAdmission(portal, "ALICE@corp.local", now + 1000)).toMatchObject({ upn: "alice@corp.local" });
      expect(await takeAdmission(portal, "alice@corp.local", now + 2000)).toBeNull();

      await grantAdmission(portal, "alice@corp.local", 1, now);
      expect(await openAdmissions(portal, now)).toContainEqual(expect.objectContaining({ upn: "alice@corp.local" }));
      expect(await takeAdmission(portal, "alice@corp.local", now + 60_000)).toBeNull();
      expect(await openAdmissions(portal, now + 60_000)).not.toContainEqual(expect.objectContaining({ upn: "alice@corp.local" }));
    } finally {
      portal.$client.close();
    }
  });
});
