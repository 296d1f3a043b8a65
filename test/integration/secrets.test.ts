import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import nodemailer from "nodemailer";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base32Encode } from "../../lib/otp";
import { startSimulator, type Simulator } from "./harness";
import { activeToken, newUser, otpFor, provision, setPolicy, type Provisioned } from "./provision";
import { createPostgresDatabase } from "./support/portal-db";
import { repositoryBody } from "./support/ldap";
import { startSlapd, type Slapd } from "../support/slapd";

// Secrets at rest and in logs: after a full life cycle, the raw database files hold no seed,
// activation key, PIN or LDAP bind password, and nothing the simulator printed does either. With TEST_POSTGRES_URL the
// simulator runs on PostgreSQL and "the raw database" is every value of every table, bytes as stored.

// Eight digits, so that the PIN cannot turn up in the files by chance the way four digits could.
const PIN = "73915284";
const NEW_PIN = "62804175";

let sim: Simulator;
let ldap: Slapd;
const tokens: Provisioned[] = [];
const passcodes: string[] = [];

let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
let databaseUrl: string | undefined;

async function rawDatabaseBytes(dataDir: string): Promise<Buffer> {
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const tables = await client.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
      const values: Buffer[] = [];
      for (const { name } of tables.rows) {
        for (const row of (await client.query(`SELECT * FROM "${name}"`)).rows as Record<string, unknown>[]) {
          for (const v of Object.values(row)) values.push(Buffer.isBuffer(v) ? v : Buffer.from(String(v)));
        }
      }
      expect(tables.rows.map((t) => t.name)).toContain("tokens");
      return Buffer.concat(values);
    } finally {
      await client.end();
    }
  }
  const files = fs.readdirSync(dataDir).filter((f) => f.startsWith("safenet.sqlite"));
  expect(files).toContain("safenet.sqlite");
  return Buffer.concat(files.map((f) => fs.readFileSync(path.join(dataDir, f))));
}

/** Every form a seed could take on disk: raw bytes, hex, base32, base64. */
function seedForms(secret: Uint8Array): (string | Buffer)[] {
  const b = Buffer.from(secret);
  return [b, b.toString("hex"), b.toString("hex").toUpperCase(), base32Encode(secret), b.toString("base64"), b.toString("base64url")];
}

beforeAll(async () => {
  database = process.env.TEST_POSTGRES_URL ? await createPostgresDatabase("safenet_secrets") : undefined;
  databaseUrl = database?.url;
  [sim, ldap] = await Promise.all([startSimulator(databaseUrl ? { SAFENET_DATABASE_URL: databaseUrl } : {}), startSlapd()]);
  // An LDAP repository: its bind password is sealed like a seed; a changed one replaces it.
  const created = await sim.tms("/TMSWebAPI/v1/repositories", { method: "POST", json: repositoryBody(ldap, "ldap-secrets") });
  expect(created.status, await created.clone().text()).toBe(201);
  const patched = await sim.tms("/TMSWebAPI/v1/repositories/ldap-secrets", { method: "PATCH", json: { bindPassword: ldap.bindPassword } });
  expect(patched.status, await patched.clone().text()).toBe(200);
  await setPolicy(sim, { pinMinLength: 4, pinMaxLength: 8 });
  for (const mode of ["time", "event"] as const) {
    const upn = await newUser(sim);
    const t = await activeToken(sim, upn, mode, PIN);
    tokens.push(t);
    const passcode = PIN + otpFor(t, { counter: 1, offsetSteps: 0 });
    passcodes.push(passcode);
    expect((await (await sim.validate({ username: upn, passcode })).json()).code).toBe(1);
    await sim.tms(`/TMSWebAPI/v1/tokens/${t.serial}/pin`, { method: "POST", json: { pin: NEW_PIN } });
  }
  // A reissued seed replaces the first; both must be absent from disk.
  const upn = await newUser(sim);
  const first = await provision(sim, upn, "event", PIN);
  tokens.push(first);
  const reissued = await (await sim.tms(`/TMSWebAPI/v1/tokens/${first.serial}/reissue`, { method: "POST" })).json();
  tokens.push({ ...first, activationKey: reissued.activation.activationKey, secret: new Uint8Array() });
  // The activation email passes through the mail sink too.
  const mailer = nodemailer.createTransport({ host: "127.0.0.1", port: sim.smtpPort, secure: false, ignoreTLS: true });
  await mailer.sendMail({
    from: "portal@corp.local",
    to: upn,
    subject: "Your SafeNet token",
    text: `Activation key: ${first.activationKey}\nApplication PIN: ${PIN}`,
    attachments: [{ filename: `${first.serial}.pskc`, content: first.seedXml, contentType: "application/pskc+xml" }],
  });
  // Give the WAL a checkpoint's chance: what is read below must include everything written.
  await sim.restart();
});

afterAll(async () => {
  await sim?.stop();
  await ldap?.stop();
  await database?.drop();
});

describe("secrets at rest", () => {
  it("keeps the master key in a file readable by its owner only, outside the database", async () => {
    const stat = fs.statSync(path.join(sim.dataDir, "master.key"));
    expect(stat.mode & 0o777).toBe(0o600);
    const key = fs.readFileSync(path.join(sim.dataDir, "master.key"), "utf8").trim();
    expect((await rawDatabaseBytes(sim.dataDir)).includes(key)).toBe(false);
  });

  it("stores no seed, activation key or PIN in the raw database files", async () => {
    const raw = await rawDatabaseBytes(sim.dataDir);
    expect(raw.includes(tokens[0].serial), "the tokens' rows were read").toBe(true);
    for (const t of tokens) {
      if (t.secret.length) for (const form of seedForms(t.secret)) expect(raw.includes(form), `seed of ${t.serial}`).toBe(false);
      expect(raw.includes(t.activationKey), `activation key of ${t.serial}`).toBe(false);
    }
    expect(raw.includes(PIN)).toBe(false);
    expect(raw.includes("ldap-secrets"), "the repositories' rows were read").toBe(true);
    expect(raw.includes(ldap.bindPassword), "LDAP bind password").toBe(false);
    expect(raw.includes(NEW_PIN)).toBe(false);
    for (const p of passcodes) expect(raw.includes(p)).toBe(false);
  });

  it("prints no secret in its log", () => {
    const log = sim.output();
    expect(log).toContain("Demo accounts");
    for (const t of tokens) {
      if (t.secret.length) for (const form of seedForms(t.secret)) if (typeof form === "string") expect(log).not.toContain(form);
      expect(log).not.toContain(t.activationKey);
    }
    for (const secret of [PIN, NEW_PIN, ldap.bindPassword, ...passcodes]) expect(log).not.toContain(secret);
  });

  it("refuses to start under a different master key, and leaves the data as it was", async () => {
    const before = databaseUrl ? await rawDatabaseBytes(sim.dataDir) : fs.readFileSync(path.join(sim.dataDir, "safenet.sqlite"));
    const other = crypto.randomBytes(32).toString("base64");
    await expect(sim.restart({ SAFENET_MASTER_KEY: other })).rejects.toThrow(/master key does not match/);
    await sim.restart();
    const after = databaseUrl ? await rawDatabaseBytes(sim.dataDir) : fs.readFileSync(path.join(sim.dataDir, "safenet.sqlite"));
    expect(after.equals(before)).toBe(true);
    const res = await sim.tms(`/TMSWebAPI/v1/tokens/${tokens[0].serial}`);
    expect(res.status).toBe(200);
  });

  it("refuses a master key that is not 32 bytes, saying how to make one", async () => {
    await expect(sim.restart({ SAFENET_MASTER_KEY: "dG9vIHNob3J0" })).rejects.toThrow(/exactly 32 bytes/);
    await sim.restart();
  });
});
