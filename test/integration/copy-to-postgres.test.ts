import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addExclusionRule, listExclusionRules } from "../../db/queries/exclusions";
import { readSetting, writeSetting } from "../../db/queries/settings";
import { migrateTarget, openSql, sql } from "../../lib/runtime/sql";
import { dependencyOrder, PARTS } from "../../scripts/copy-to-postgres";
import { ROOT, startSimulator, TMS, type Simulator } from "./harness";
import { createPostgresDatabase } from "./support/portal-db";
import { activeToken, newUser, otpFor, type Provisioned } from "./provision";

// `npm run db:copy`: an installation that ran on SQLite moves to PostgreSQL and goes on where it
// stopped — the token's counter (the previous passcode stays refused, the next one works), its
// events, sealed mail and PIN under the same master key, the portal's settings and exclusion rules.
// Refused while the simulator runs on the files, and into a database that already holds rows.

const ADMIN_URL = process.env.TEST_POSTGRES_URL;
const MASTER_KEY = randomBytes(32).toString("base64");
// The test cluster trusts every local connection, so a password in the URL is accepted and ignored:
// enough to check that the command never prints it.
const PASSWORD = "pw-Never-Printed-7f3a";

function withPassword(url: string, password = PASSWORD): string {
  const u = new URL(url);
  u.password = password;
  return u.toString();
}

function copy(dataDir: string, args: string[]) {
  // cwd = DATA_DIR: no .env there, so DATA_DIR comes from the environment as for the processes.
  const env = { NODE_ENV: "test", PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir } as const;
  const run = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, "scripts/copy-to-postgres.ts"), ...args], { cwd: dataDir, env, encoding: "utf8" });
  const output = run.stdout + run.stderr;
  expect(output).not.toContain(PASSWORD);
  return { status: run.status, output };
}

async function counts(url: string): Promise<Record<string, number>> {
  const db = openSql({ dialect: "postgres", url });
  try {
    const tables = await db.all<{ name: string }>(sql`SELECT table_name AS "name" FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`);
    const out: Record<string, number> = {};
    for (const { name } of tables) out[name] = (await db.get<{ n: number }>(sql`SELECT count(*) AS "n" FROM ${sql.raw(`"${name}"`)}`))!.n;
    return out;
  } finally {
    await db.close();
  }
}

describe("npm run db:copy without a database to copy into", () => {
  it("orders tables parents first, and refuses a cycle", () => {
    const edges = [
      { child: "user_groups", parent: "users" },
      { child: "user_groups", parent: "groups" },
      { child: "users", parent: "repositories" },
      { child: "groups", parent: "repositories" },
      { child: "tokens", parent: "users" },
      { child: "resync_states", parent: "tokens" },
      { child: "tokens", parent: "tokens" },
    ];
    expect(dependencyOrder(["user_groups", "tokens", "resync_states", "users", "groups", "repositories", "meta"], edges)).toEqual([
      "meta",
      "repositories",
      "groups",
      "users",
      "tokens",
      "user_groups",
      "resync_states",
    ]);
    expect(() => dependencyOrder(["a", "b"], [{ child: "a", parent: "b" }, { child: "b", parent: "a" }])).toThrow(/a, b refer to each other in a cycle/);
  });

  it("refuses without a URL, with a URL that is not PostgreSQL's, and without the SQLite file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "copy-args-"));
    try {
      const none = copy(dir, []);
      expect(none.status).toBe(1);
      expect(none.output).toContain("Nothing to copy: give --portal-url, --safenet-url or both.");
      const mysql = copy(dir, ["--portal-url", `mysql://root:${PASSWORD}@127.0.0.1/portal`]);
      expect(mysql.status).toBe(1);
      expect(mysql.output).toContain("Nothing copied: --portal-url must be a postgres:// or postgresql:// URL.");
      const missing = copy(dir, ["--safenet-url", `postgres://u:${PASSWORD}@127.0.0.1:1/x`]);
      expect(missing.status).toBe(1);
      expect(missing.output).toContain(`Nothing copied: there is no simulator database, ${path.join(dir, "safenet.sqlite")} does not exist (check DATA_DIR).`);
      const unknown = copy(dir, ["--portal", "x"]);
      expect(unknown.status).toBe(1);
      expect(unknown.output).toMatch(/Unknown option '--portal'[\s\S]*Usage: npm run db:copy/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    }, 90_000);
});

describe.skipIf(!ADMIN_URL)("moving an installation from SQLite to PostgreSQL (npm run db:copy)", () => {
  const targets = ["portal", "safenet", "busy", "older"] as const;
  const urls = {} as Record<(typeof targets)[number], string>;
  const made: { drop(): Promise<void> }[] = [];
  let sim: Simulator;
  let upn: string;
  let token: Provisioned;

  beforeAll(async () => {
    for (const key of targets) {
      const database = await createPostgresDatabase(`copy_${key}`);
      made.push(database);
      urls[key] = withPassword(database.url);
    }
    // On SQLite, whatever the harness's default: SAFENET_DATABASE_URL empty.
    sim = await startSimulator({ SAFENET_MASTER_KEY: MASTER_KEY, SAFENET_DATABASE_URL: "" });
    upn = await newUser(sim);
    token = await activeToken(sim, upn, "event", "4089"); // activation used counter 0
    const first = await (await sim.validate({ username: upn, passcode: "4089" + otpFor(token, { counter: 1 }) })).json();
    expect(first.code).toBe(1);
    const mailer = nodemailer.createTransport({ host: "127.0.0.1", port: sim.smtpPort, secure: false, ignoreTLS: true });
    await mailer.sendMail({ from: "portal@corp.local", to: upn, subject: "Before the move", text: "sealed body 9Wm4" });

    // The portal's database in the same DATA_DIR, with a setting and an exclusion rule.
    const file = path.join(sim.dataDir, PARTS.portal.file);
    await migrateTarget({ dialect: "sqlite", file }, PARTS.portal.folders, PARTS.portal.lockName);
    const portal = openSql({ dialect: "sqlite", file });
    await writeSetting(portal, "mfa", { defaultMode: "bypass" }, "bob@corp.local", 1_796_000_000_000);
    expect((await addExclusionRule(portal, "users", "Carol@corp.local", "bob@corp.local")).ok).toBe(true);
    await portal.close();
  }, 120_000);

  afterAll(async () => {
    await sim?.stop();
    await Promise.all(made.map((d) => d.drop()));
  });

  it("refuses while the simulator runs on DATA_DIR, and changes nothing", async () => {
    const run = copy(sim.dataDir, ["--safenet-url", urls.busy]);
    expect(run.status, run.output).toBe(1);
    expect(run.output).toMatch(/Nothing copied: .* is in use by the SafeNet simulator \(pid \d+\)/);
    expect(await counts(urls.busy)).toEqual({});
  });

  it("copies both databases; the simulator on PostgreSQL carries on with the same counter, events, PIN and mail", async () => {
    const sqliteFile = path.join(sim.dataDir, PARTS.safenet.file);
    let run: ReturnType<typeof copy> | undefined;
    let before: Record<string, unknown>[] = [];
    await sim.restart({ SAFENET_DATABASE_URL: urls.safenet }, () => {
      const source = new Database(sqliteFile, { readonly: true });
      before = source.prepare("SELECT serial, seed_sealed, pin_salt, pin_hash, counter FROM tokens ORDER BY serial").all() as Record<string, unknown>[];
      source.close();
      run = copy(sim.dataDir, ["--portal-url", urls.portal, "--safenet-url", urls.safenet]);
    });
    expect(run!.status, run!.output).toBe(0);
    expect(run!.output).toMatch(/simulator: copied [\d,]+ rows in \d+ tables to .* in [\d.]+ s\./);
    expect(run!.output).toMatch(/^ {2}tokens +\d+ rows$/m);
    expect(run!.output).toContain(":***@");

    // The simulator now runs on PostgreSQL: the sealed seed, the PIN hash and the counter are the same bytes.
    const pgDb = openSql({ dialect: "postgres", url: urls.safenet });
    try {
      const after = await pgDb.all<Record<string, unknown>>(sql`SELECT serial, seed_sealed, pin_salt, pin_hash, counter FROM tokens ORDER BY serial`);
      expect(after).toEqual(before);
      expect(after.find((t) => t.serial === token.serial)).toBeDefined();
    } finally {
      await pgDb.close();
    }

    const replayed = await (await sim.validate({ username: upn, passcode: "4089" + otpFor(token, { counter: 1 }) })).json();
    expect(replayed.code).not.toBe(1);
    const next = await (await sim.validate({ username: upn, passcode: "4089" + otpFor(token, { counter: 2 }) })).json();
    expect(next).toMatchObject({ code: 1, serial: token.serial });

    // The first sign-in was recorded on SQLite, the refused and the accepted one on PostgreSQL, each once.
    const events = (await (await sim.tms(`${TMS}/events?user=${encodeURIComponent(upn)}&type=auth&limit=100`)).json()) as { events: { id: number; result: string }[] };
    expect(events.events.map((e) => e.result).sort()).toEqual(["failure", "success", "success"]);
    expect(new Set(events.events.map((e) => e.id)).size).toBe(3);

    // New rows land in PostgreSQL, with ids after the copied ones (the sequences were moved on).
    const other = await newUser(sim);
    const check = openSql({ dialect: "postgres", url: urls.safenet });
    try {
      const ids = await check.all<{ upn: string; id: number }>(sql`SELECT upn, id FROM users WHERE upn IN (${upn}, ${other}) ORDER BY id`);
      expect(ids.map((r) => r.upn)).toEqual([upn, other]);
    } finally {
      await check.close();
    }

    const mail = (await (await sim.tms(`/mailbox/messages?to=${encodeURIComponent(upn)}`)).json()) as { messages?: { subject: string }[] };
    expect(JSON.stringify(mail)).toContain("Before the move");

    const portal = openSql({ dialect: "postgres", url: urls.portal });
    try {
      expect(await readSetting(portal, "mfa")).toEqual({ defaultMode: "bypass" });
      const setting = await portal.get<{ updatedAt: number; updatedBy: string }>(sql`SELECT updated_at AS "updatedAt", updated_by AS "updatedBy" FROM settings WHERE key = ${"mfa"}`);
      expect(setting).toEqual({ updatedAt: 1_796_000_000_000, updatedBy: "bob@corp.local" });
      expect(await listExclusionRules(portal)).toMatchObject([{ id: 1, kind: "users", value: "carol@corp.local", createdBy: "bob@corp.local" }]);
      // The next rule gets id 2, not a duplicate of the copied one.
      const added = await addExclusionRule(portal, "users", "dave@corp.local", "test");
      expect(added.ok && added.rule.id).toBe(2);
    } finally {
      await portal.close();
    }
  }, 120_000);

  it("refuses to copy into a database that already holds rows, and changes nothing there", async () => {
    let run: ReturnType<typeof copy> | undefined;
    let beforeCounts: Record<string, number> = {};
    await sim.restart({ SAFENET_DATABASE_URL: urls.safenet }, async () => {
      beforeCounts = await counts(urls.safenet);
      run = copy(sim.dataDir, ["--safenet-url", urls.safenet]);
    });
    expect(run!.status, run!.output).toBe(1);
    expect(run!.output).toMatch(/The simulator was not copied \(nothing changed in its database\): .* is not empty \(rows in .*tokens/);
    expect(await counts(urls.safenet)).toEqual(beforeCounts);
  }, 120_000);

  it("refuses when a table on PostgreSQL lacks a column of the SQLite file, and changes nothing there", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "copy-older-"));
    try {
      const file = path.join(dir, PARTS.portal.file);
      await migrateTarget({ dialect: "sqlite", file }, PARTS.portal.folders, PARTS.portal.lockName);
      const portal = openSql({ dialect: "sqlite", file });
      await writeSetting(portal, "mfa", {}, "bob@corp.local");
      await portal.close();
      // A target whose schema is older than the SQLite file's (here: a column dropped by hand).
      await migrateTarget({ dialect: "postgres", url: urls.older }, PARTS.portal.folders, PARTS.portal.lockName);
      const target = openSql({ dialect: "postgres", url: urls.older });
      await target.exec("ALTER TABLE settings DROP COLUMN updated_by");
      await target.close();
      const run = copy(dir, ["--portal-url", urls.older]);
      expect(run.status, run.output).toBe(1);
      expect(run.output).toMatch(/The portal was not copied \(nothing changed in its database\): .* does not match portal\.sqlite \(table settings lacks the column updated_by\)/);
      expect(await counts(urls.older)).toMatchObject({ settings: 0 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
