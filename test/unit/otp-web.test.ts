import { describe, it, expect } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { hotp, secondsLeftInStep, totp } from "../../lib/otp";
import { generateOtp, secondsLeft } from "../../lib/otp/web";
import { FIXTURES } from "../fixtures";

// The browser code generator (otplib's noble crypto) against the RFC vectors and the node-side lib/otp.

const vectors = JSON.parse(fs.readFileSync(path.join(FIXTURES, "otp-vectors.json"), "utf8"));
const ascii = (s: string) => new TextEncoder().encode(s);
type Alg = "SHA1" | "SHA256" | "SHA512";

describe("generateOtp, event-based (RFC 4226 Appendix D)", () => {
  const secret = ascii(vectors.hotp.secretAscii);
  it.each((vectors.hotp.codes as string[]).map((code, counter) => [counter, code]))("counter %i → %s", async (counter, code) => {
    expect(await generateOtp({ secret, mode: "event", digits: vectors.hotp.digits, counter: counter as number })).toBe(code);
  });

  it("needs a counter", async () => {
    await expect(generateOtp({ secret, mode: "event", digits: 6 })).rejects.toThrow(/counter/);
  });
});

describe("generateOtp, time-based (RFC 6238 Appendix B)", () => {
  const algorithms: Alg[] = ["SHA1", "SHA256", "SHA512"];
  const cases = (vectors.totp.cases as Record<string, string | number>[]).flatMap((c) =>
    algorithms.map((alg) => [alg, c.time as number, c[alg] as string] as const),
  );
  it("covers six times for each of the three hashes", () => expect(cases).toHaveLength(18));

  it.each(cases)("%s at %i → %s", async (alg, time, code) => {
    const secret = ascii(vectors.totp.secretsAscii[alg]);
    const otp = await generateOtp({ secret, mode: "time", digits: vectors.totp.digits, stepSeconds: vectors.totp.stepSeconds, nowSeconds: time, algorithm: alg });
    expect(otp).toBe(code);
  });

  it("agrees with the node-side totp for 6-digit codes, other steps and a T0", async () => {
    const secret = crypto.getRandomValues(new Uint8Array(20));
    for (const now of [0, 29, 30, 1_700_000_000, 1_700_000_059.9]) {
      expect(await generateOtp({ secret, mode: "time", digits: 6, stepSeconds: 30, nowSeconds: now })).toBe(totp(secret, now));
      expect(await generateOtp({ secret, mode: "time", digits: 6, stepSeconds: 60, nowSeconds: now })).toBe(totp(secret, now, { stepSeconds: 60 }));
    }
    const t0 = 1_000;
    expect(await generateOtp({ secret, mode: "time", digits: 6, nowSeconds: t0 + 95, t0Seconds: t0 })).toBe(hotp(secret, 3));
  });

  it("uses the current time when none is given", async () => {
    const secret = ascii(vectors.hotp.secretAscii);
    const before = Date.now() / 1000;
    const otp = await generateOtp({ secret, mode: "time", digits: 6 });
    const after = Date.now() / 1000;
    expect([totp(secret, before), totp(secret, after)]).toContain(otp);
  });
});

describe("secondsLeft", () => {
  it("counts down to the next step like secondsLeftInStep", () => {
    expect(secondsLeft(59, 30)).toBe(1);
    expect(secondsLeft(60, 30)).toBe(30);
    expect(secondsLeft(61.5, 60)).toBe(59);
    for (const t of [0, 1, 29.99, 30, 1_700_000_017]) expect(secondsLeft(t, 30)).toBe(secondsLeftInStep(t, 30));
  });
});
