import Database from "better-sqlite3";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hotp } from "../../lib/otp";
import { REPO, ROOT, startSimulator, TMS, type Simulator } from "../integration/harness";
import { activeToken, newUser, recover, setPolicy, type ProvisionAnswer } from "../integration/provision";

// SIGKILL in the middle of work: nothing answered may be lost, no passcode answered as a success may
// work again, and both databases must pass SQLite's integrity check.

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ SAFENET_LOG: "off" });
  // Replays below must be reported as replays, not end in a lock.
  await setPolicy(sim, { lockThreshold: 0 });
});
afterAll(async () => {
  await sim?.stop();
});

interface Success {
  user: string;
  serial: string;
  passcode: string;
  counter: number;
}

describe("simulator SIGKILLed under validations and provisionings", () => {
  it("refuses every answered success re-sent (a replay within the look-behind), keeps every counter, every answered provisioning and a sound database", async () => {
    const tokens: { user: string; serial: string; secret: Uint8Array; next: number }[] = [];
    for (let i = 0; i < 8; i++) {
      const user = await newUser(sim);
      const t = await activeToken(sim, user, "event");
      tokens.push({ user, ...t, next: 1 });
    }
    const successes: Success[] = [];
    const provisioned: string[] = [];
    let stop = false;
    let sent = 0;
    const validator = async (t: (typeof tokens)[number]) => {
      while (!stop) {
        const counter = t.next++;
        const passcode = `4089${hotp(t.secret, counter)}`;
        sent++;
        try {
          const res = await sim.validate({ username: t.user, passcode });
          const body = (await res.json()) as { code: number };
          if (body.code === 1) successes.push({ user: t.user, serial: t.serial, passcode, counter });
        } catch {
          return; // the process is gone
        }
      }
    };
    const provisioner = async () => {
      while (!stop) {
        try {
          const user = await newUser(sim);
          const res = await sim.tms(`${REPO}/users/${user}/tokens`, { method: "POST", json: { type: "MobilePASS", otpMode: "time", pin: "4089" } });
          if (res.status === 201) provisioned.push((await recover((await res.json()) as ProvisionAnswer)).serial);
        } catch {
          return;
        }
      }
    };
    const work = [...tokens.map(validator), ...Array.from({ length: 3 }, provisioner)];
    await new Promise((r) => setTimeout(r, 2_000));
    await sim.crash();
    stop = true;
    await Promise.all(work);

    const file = path.join(sim.dataDir, "safenet.sqlite");
    const db = new Database(file);
    const integrity = db.pragma("integrity_check", { simple: true });
    const counters = new Map((db.prepare("SELECT serial, counter FROM tokens").all() as { serial: string; counter: number }[]).map((r) => [r.serial, r.counter]));
    db.close();

    await sim.restart();
    // Every answered success re-sent is refused. Those within the validator's look-behind (the outer
    // window, 100 counters by default) are told "replayed"; an older one is just a code the token is
    // past, and on a fast machine a token answers more than 100 successes in the 2 s before the kill.
    const replays: Record<string, number> = {};
    const lastCounter = new Map<string, number>();
    for (const s of successes) lastCounter.set(s.serial, Math.max(lastCounter.get(s.serial) ?? 0, s.counter));
    const recentReasons: Record<string, number> = {};
    for (const s of successes) {
      const body = (await (await sim.validate({ username: s.user, passcode: s.passcode })).json()) as { code: number; reason?: string };
      const key = `code ${body.code} ${body.reason ?? ""}`.trim();
      replays[key] = (replays[key] ?? 0) + 1;
      if (s.counter > lastCounter.get(s.serial)! - 50) recentReasons[key] = (recentReasons[key] ?? 0) + 1;
    }
    const recent = successes.filter((s) => s.counter > lastCounter.get(s.serial)! - 50).length;
    const regressed = tokens.filter((t) => {
      const last = Math.max(0, ...successes.filter((s) => s.serial === t.serial).map((s) => s.counter));
      return (counters.get(t.serial) ?? -1) < last + 1;
    });
    let missing = 0;
    for (const serial of provisioned) if ((await sim.tms(`${TMS}/tokens/${serial}`)).status !== 200) missing++;
    console.log(
      `simulator crash: ${sent} validations sent, ${successes.length} answered successes, ${provisioned.length} answered provisionings before SIGKILL; ` +
        `integrity_check ${integrity}; re-sent successes → ${JSON.stringify(replays)}; counters regressed ${regressed.length}; provisionings missing ${missing}`,
    );
    expect(successes.length).toBeGreaterThan(0);
    expect(provisioned.length).toBeGreaterThan(0);
    expect(integrity).toBe("ok");
    expect(Object.keys(replays).filter((k) => !k.startsWith("code 0 ")), "a success answered before the kill was accepted again").toEqual([]);
    expect(recentReasons).toEqual({ "code 0 replayed": recent });
    expect(regressed.map((t) => t.serial)).toEqual([]);
    expect(missing).toBe(0);
  });
});

describe("portal database SIGKILLed while settings are saved", () => {
  it("keeps the last acknowledged save and passes the integrity check", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-crash-"));
    const env: NodeJS.ProcessEnv = {
      NODE_ENV: "production",
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      SAFENET_TMS_API_KEY: "crash-tms-key-0123456789",
      SAFENET_AGENT_KEY: "crash-agent-key-0123456789",
      NEXTAUTH_SECRET: "crash-nextauth-secret",
    };
    try {
      execFileSync(process.execPath, ["--import", "tsx", "db/migrate.ts"], { cwd: ROOT, env });
      const writer = spawn(process.execPath, ["--import", "tsx", "test/resilience/support/settings-writer.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
      let lastAck = 0;
      let err = "";
      let buffered = "";
      writer.stdout.on("data", (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop()!;
        for (const l of lines) if (l.startsWith("ack ")) lastAck = Number(l.slice(4));
      });
      writer.stderr.on("data", (d: Buffer) => (err += d.toString()));
      const deadline = Date.now() + 30_000;
      while (lastAck < 200 && Date.now() < deadline && writer.exitCode === null) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 300));
      const exited = new Promise((r) => writer.once("exit", r));
      writer.kill("SIGKILL");
      await exited;
      expect(lastAck, err).toBeGreaterThan(0);

      const db = new Database(path.join(dataDir, "portal.sqlite"));
      const integrity = db.pragma("integrity_check", { simple: true });
      const row = db.prepare("SELECT value, updated_by AS updatedBy FROM settings WHERE key = 'mfa'").get() as { value: string; updatedBy: string };
      db.close();
      const stored = Number(row.updatedBy.replace("writer-", ""));
      const value = JSON.parse(row.value) as { userRepository: string };
      console.log(`portal crash: last acknowledged save ${lastAck}, stored save ${stored} (${value.userRepository}); integrity_check ${integrity}`);
      expect(integrity).toBe("ok");
      expect(stored).toBeGreaterThanOrEqual(lastAck);
      expect(value.userRepository).toBe(`repo-${stored}`);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
