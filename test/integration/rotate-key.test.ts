import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base32Encode } from "../../lib/otp";
import { ROOT, startSimulator, VALIDATOR, type Simulator } from "./harness";
import { activeToken, otpFor, type Provisioned } from "./provision";
import { repositoryBody } from "./support/ldap";
import { startSlapd, type Slapd } from "../support/slapd";

// `npm run safenet:rotate-key` on a DATA_DIR whose key lives in master.key: refused while the
// simulator runs; afterwards the token still validates with PIN + OTP (seed and PIN pepper moved to
// the new key), the mail still opens, the old key is refused at start, and no seed is in the files.
// SQLite in DATA_DIR always (its file lock is what refuses); rotate-key-postgres.test.ts is the PostgreSQL case.

const SQLITE = { SAFENET_DATABASE_URL: "" };

let sim: Simulator;
let ldap: Slapd;
let token: Provisioned;
const keyFile = () => path.join(sim.dataDir, "master.key");

/** Runs the command in `cwd` (where it looks for .env); without .env there the key is DATA_DIR/master.key. */
function rotate(cwd = sim.dataDir, dataDir = sim.dataDir) {
  const env = { NODE_ENV: "test", PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir } as const;
  return spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, "scripts/rotate-key.ts")], { cwd, env, encoding: "utf8" });
}

beforeAll(async () => {
  [sim, ldap] = await Promise.all([startSimulator(SQLITE), startSlapd()]);
  token = await activeToken(sim, "alice@corp.local", "event", "4089");
  // An LDAP repository's bind password is sealed under the master key too.
  const created = await sim.tms("/TMSWebAPI/v1/repositories", { method: "POST", json: repositoryBody(ldap, "ldap-rotate") });
  expect(created.status, await created.clone().text()).toBe(201);
  const mailer = nodemailer.createTransport({ host: "127.0.0.1", port: sim.smtpPort, secure: false, ignoreTLS: true });
  await mailer.sendMail({ from: "portal@corp.local", to: "alice@corp.local", subject: "Activation", text: "sealed body 7Kq2" });
});
afterAll(async () => {
  await sim?.stop();
  await ldap?.stop();
});

// Each slow test restarts the simulator twice; on a loaded 2-core machine that alone can take 20 s.
describe("rotating the seed master key", () => {
  it("refuses while the simulator runs on the DATA_DIR", () => {
    const before = fs.readFileSync(keyFile(), "utf8");
    const run = rotate();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/in use by the SafeNet simulator \(pid \d+\)/);
    expect(fs.readFileSync(keyFile(), "utf8")).toBe(before);
  });

  it("re-seals seeds, mail, bind passwords and the PIN pepper; the token validates under the new key and the old key is refused", async () => {
    const oldKey = fs.readFileSync(keyFile(), "utf8").trim();
    let run: ReturnType<typeof rotate> | undefined;
    await sim.restart({}, () => {
      run = rotate();
    });
    expect(run!.status, run!.stderr).toBe(0);
    expect(run!.stdout).toContain("Re-sealed 1 token seeds, 1 mails");

    const newKey = fs.readFileSync(keyFile(), "utf8").trim();
    expect(newKey).not.toBe(oldKey);
    expect(Buffer.from(newKey, "base64")).toHaveLength(32);
    expect((fs.statSync(keyFile()).mode & 0o777).toString(8)).toBe("600");
    const backups = fs.readdirSync(sim.dataDir).filter((f) => f.startsWith("master.key.old-"));
    expect(backups).toHaveLength(1);
    expect(fs.readFileSync(path.join(sim.dataDir, backups[0]), "utf8").trim()).toBe(oldKey);
    expect((fs.statSync(path.join(sim.dataDir, backups[0])).mode & 0o777).toString(8)).toBe("600");

    const res = await sim.validate({ username: "alice@corp.local", passcode: "4089" + otpFor(token, { counter: 1 }) });
    expect(await res.json()).toMatchObject({ code: 1, result: "AUTH_SUCCESS" });
    const wrongPin = await sim.validate({ username: "alice@corp.local", passcode: "4090" + otpFor(token, { counter: 2 }) });
    expect(await wrongPin.json()).toMatchObject({ code: 0, reason: "wrong_pin" });
    const mail = await sim.tms("/mailbox/messages?to=alice@corp.local");
    expect(JSON.stringify(await mail.json())).toContain("sealed body 7Kq2");
    const signIn = await sim.tms("/TMSWebAPI/v1/repositories/ldap-rotate/authenticate", { method: "POST", json: { username: "bob", password: "Bob!2026" } });
    expect(signIn.status, "the bind password opens under the new key").toBe(200);

    await expect(sim.restart({ SAFENET_MASTER_KEY: oldKey })).rejects.toThrow(/master key does not match/);
    await sim.restart();
  }, 60_000);

  it("leaves no plaintext seed in the raw database files", () => {
    const secret = Buffer.from(token.secret);
    const raw = fs
      .readdirSync(sim.dataDir)
      .filter((f) => f.startsWith("safenet.sqlite"))
      .map((f) => fs.readFileSync(path.join(sim.dataDir, f)));
    for (const bytes of raw) {
      expect(bytes.includes(secret)).toBe(false);
      for (const text of [secret.toString("hex"), secret.toString("hex").toUpperCase(), secret.toString("base64"), base32Encode(secret)]) {
        expect(bytes.includes(Buffer.from(text))).toBe(false);
      }
    }
  });
});

describe("rotating a master key kept in .env, as npm start writes it", () => {
  let envSim: Simulator;
  let work: string;
  const oldKey = Buffer.alloc(32, 9).toString("base64");
  afterAll(async () => {
    await envSim?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("replaces SAFENET_MASTER_KEY in .env, keeps the rest and a 0600 backup, and the token still validates", async () => {
    envSim = await startSimulator({ ...SQLITE, SAFENET_MASTER_KEY: oldKey });
    const t = await activeToken(envSim, "alice@corp.local", "event", "4089");
    work = fs.mkdtempSync(path.join(os.tmpdir(), "rotate-env-"));
    const envFile = path.join(work, ".env");
    fs.writeFileSync(envFile, `# keys\nSAFENET_TMS_API_KEY=keep-me-0123456789\nSAFENET_MASTER_KEY=${oldKey}\n`, { mode: 0o600 });

    let run: ReturnType<typeof rotate> | undefined;
    await envSim.restart({}, () => {
      run = rotate(work, envSim.dataDir);
    }).catch(() => undefined); // the old key is refused now, as it should be
    expect(run!.status, run!.stderr).toBe(0);

    const text = fs.readFileSync(envFile, "utf8");
    const newKey = /^SAFENET_MASTER_KEY=(.*)$/m.exec(text)?.[1];
    expect(newKey).toBeDefined();
    expect(newKey).not.toBe(oldKey);
    expect(text).toContain("SAFENET_TMS_API_KEY=keep-me-0123456789");
    expect((fs.statSync(envFile).mode & 0o777).toString(8)).toBe("600");
    const backups = fs.readdirSync(work).filter((f) => f.startsWith(".env.old-"));
    expect(backups).toHaveLength(1);
    expect(fs.readFileSync(path.join(work, backups[0]), "utf8")).toContain(`SAFENET_MASTER_KEY=${oldKey}`);
    expect((fs.statSync(path.join(work, backups[0])).mode & 0o777).toString(8)).toBe("600");
    expect(fs.existsSync(path.join(envSim.dataDir, "master.key.new"))).toBe(false);

    await envSim.restart({ SAFENET_MASTER_KEY: newKey! });
    const res = await envSim.validate({ username: "alice@corp.local", passcode: "4089" + otpFor(t, { counter: 1 }) });
    expect(await res.json()).toMatchObject({ code: 1, result: "AUTH_SUCCESS" });
  }, 60_000);
});
