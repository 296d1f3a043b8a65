import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hotp, totp } from "../../lib/otp";
import { writePskc } from "../../lib/pskc";
import { FIXTURES } from "../fixtures";

const repoRoot = path.resolve(__dirname, "../..");
const tsx = path.join(repoRoot, "node_modules/.bin/tsx");

const secret = Uint8Array.from(Buffer.from("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "hex"));
const activationKey = "Hq3ZtW8pLm2Vx9Kd";
let dir: string;
let timeSeed: string;
let eventSeed: string;

function run(...args: string[]): { status: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(tsx, ["scripts/mobilepass.ts", ...args], { cwd: repoRoot, encoding: "utf8", stdio: "pipe" });
    return { status: 0, stdout, stderr: "" };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { status: err.status, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mobilepass-"));
  timeSeed = path.join(dir, "time.pskc");
  eventSeed = path.join(dir, "event.pskc");
  const common = { secret, password: activationKey, userId: "alice@corp.local", iterations: 1000 };
  fs.writeFileSync(timeSeed, writePskc({ ...common, serial: "00000000000000A1", algorithm: "totp", digits: 6 }));
  fs.writeFileSync(eventSeed, writePskc({ ...common, serial: "00000000000000B2", algorithm: "hotp", digits: 8, counter: 3 }));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("scripts/mobilepass.ts", () => {
  it("prints the TOTP code at --time", () => {
    const r = run("--seed", timeSeed, "--activation-key", activationKey, "--time", "1111111109");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(totp(secret, 1111111109, { stepSeconds: 30, digits: 6 }));
  });

  it("prints PIN + code and the countdown as JSON", () => {
    const r = run("--seed", timeSeed, "--activation-key", activationKey, "--time", "1234567881", "--pin", "4089", "--json");
    expect(r.status).toBe(0);
    const otp = totp(secret, 1234567881, { digits: 6 });
    expect(JSON.parse(r.stdout)).toEqual({ serial: "00000000000000A1", mode: "time", otp, secondsLeft: 9, passcode: `4089${otp}` });
  });

  it("prints the current TOTP code without --time", () => {
    const before = totp(secret, Date.now() / 1000);
    const r = run("--seed", timeSeed, "--activation-key", activationKey);
    const after = totp(secret, Date.now() / 1000);
    expect(r.status).toBe(0);
    expect([before, after]).toContain(r.stdout.trim());
  });

  it("prints the HOTP code at --counter, else at the file's counter", () => {
    const at = run("--seed", eventSeed, "--activation-key", activationKey, "--counter", "7");
    expect(at.stdout.trim()).toBe(hotp(secret, 7, 8));
    const fromFile = run("--seed", eventSeed, "--activation-key", activationKey, "--json");
    expect(JSON.parse(fromFile.stdout)).toEqual({ serial: "00000000000000B2", mode: "event", otp: hotp(secret, 3, 8), passcode: hotp(secret, 3, 8) });
  });

  it("reads the RFC 6030 Figure 7 file", () => {
    const r = run("--seed", path.join(FIXTURES, "rfc6030-figure7.pskc.xml"), "--activation-key", "qwerty", "--counter", "1");
    expect(r.stdout.trim()).toBe("94287082");
  });

  it("exits 2 with a message, and never prints the seed, on a wrong activation key", () => {
    const r = run("--seed", timeSeed, "--activation-key", "Hq3ZtW8pLm2Vx9KD", "--time", "59");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/activation key does not open this seed file/);
    expect(r.stderr).not.toContain(Buffer.from(secret).toString("hex"));
  });

  it("exits 2 on a missing file, a damaged file and bad arguments", () => {
    const damaged = path.join(dir, "damaged.pskc");
    fs.writeFileSync(damaged, fs.readFileSync(timeSeed, "utf8").replace("</pskc:KeyContainer>", ""));
    const cases = [
      [["--seed", path.join(dir, "nope.pskc"), "--activation-key", activationKey], /Cannot read the seed file/],
      [["--seed", damaged, "--activation-key", activationKey], /not well-formed XML/],
      [["--seed", timeSeed], /--activation-key/],
      [["--seed", timeSeed, "--activation-key", activationKey, "--time", "yesterday"], /--time must be a whole number/],
      [["--seed", timeSeed, "--activation-key", activationKey, "--counter", "2"], /time-based; use --time/],
      [["--seed", timeSeed, "--activation-key", activationKey, "--colour"], /Unknown option/],
    ] as const;
    for (const [args, message] of cases) {
      const r = run(...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
