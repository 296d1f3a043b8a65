import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base32Encode } from "../../lib/otp";
import { startSimulator, type Simulator } from "./harness";
import { activeToken, newUser, otpFor, provision, setPolicy, type Provisioned } from "./provision";

// Secrets at rest and in logs: after a full life cycle, the raw database files hold no seed,
// activation key or PIN, and nothing the simulator printed does either.

// Eight digits, so that the PIN cannot turn up in the files by chance the way four digits could.
const PIN = "73915284";
const NEW_PIN = "62804175";

let sim: Simulator;
const tokens: Provisioned[] = [];
const passcodes: string[] = [];

function rawDatabaseBytes(dataDir: string): Buffer {
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
  sim = await startSimulator();
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

afterAll(async () => sim?.stop());

describe("secrets at rest", () => {
  it("keeps the master key in a file readable by its owner only, outside the database", () => {
    const stat = fs.statSync(path.join(sim.dataDir, "master.key"));
    expect(stat.mode & 0o777).toBe(0o600);
    const key = fs.readFileSync(path.join(sim.dataDir, "master.key"), "utf8").trim();
    expect(rawDatabaseBytes(sim.dataDir).includes(key)).toBe(false);
  });

  it("stores no seed, activation key or PIN in the raw database files", () => {
    const raw = rawDatabaseBytes(sim.dataDir);
    for (const t of tokens) {
      if (t.secret.length) for (const form of seedForms(t.secret)) expect(raw.includes(form), `seed of ${t.serial}`).toBe(false);
      expect(raw.includes(t.activationKey), `activation key of ${t.serial}`).toBe(false);
    }
    expect(raw.includes(PIN)).toBe(false);
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
    for (const secret of [PIN, NEW_PIN, ...passcodes]) expect(log).not.toContain(secret);
  });

  it("refuses to start under a different master key, and leaves the data as it was", async () => {
    const before = fs.readFileSync(path.join(sim.dataDir, "safenet.sqlite"));
    const other = crypto.randomBytes(32).toString("base64");
    await expect(sim.restart({ SAFENET_MASTER_KEY: other })).rejects.toThrow(/master key does not match/);
    await sim.restart();
    expect(fs.readFileSync(path.join(sim.dataDir, "safenet.sqlite")).equals(before)).toBe(true);
    const res = await sim.tms(`/TMSWebAPI/v1/tokens/${tokens[0].serial}`);
    expect(res.status).toBe(200);
  });

  it("refuses a master key that is not 32 bytes, saying how to make one", async () => {
    await expect(sim.restart({ SAFENET_MASTER_KEY: "dG9vIHNob3J0" })).rejects.toThrow(/exactly 32 bytes/);
    await sim.restart();
  });
});
