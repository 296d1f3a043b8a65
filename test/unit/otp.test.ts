import { describe, it, expect } from "vitest";
import fs from "node:fs";
import path from "node:path";
import {
  base32Decode,
  base32Encode,
  findCounter,
  hotp,
  nearestFirst,
  otpauthUri,
  range,
  ring,
  secondsLeftInStep,
  timeStepAt,
  totp,
  type OtpAlgorithm,
} from "../../lib/otp";
import { FIXTURES } from "../fixtures";
import { locateOtp } from "../../lib/otp/validation";

const vectors = JSON.parse(fs.readFileSync(path.join(FIXTURES, "otp-vectors.json"), "utf8"));
const ascii = (s: string) => new TextEncoder().encode(s);

describe("hotp (RFC 4226 Appendix D)", () => {
  const secret = ascii(vectors.hotp.secretAscii);
  it.each((vectors.hotp.codes as string[]).map((code, counter) => [counter, code]))("counter %i → %s", (counter, code) => {
    expect(hotp(secret, counter as number, vectors.hotp.digits)).toBe(code);
  });
});

describe("totp (RFC 6238 Appendix B)", () => {
  const algorithms: OtpAlgorithm[] = ["SHA1", "SHA256", "SHA512"];
  const cases = (vectors.totp.cases as Record<string, string | number>[]).flatMap((c) =>
    algorithms.map((alg) => [alg, c.time as number, c[alg] as string] as const),
  );
  it("covers six times for each of the three hashes", () => expect(cases).toHaveLength(18));

  it.each(cases)("%s at %i → %s", (alg, time, code) => {
    const secret = ascii(vectors.totp.secretsAscii[alg]);
    expect(totp(secret, time, { stepSeconds: vectors.totp.stepSeconds, digits: vectors.totp.digits, algorithm: alg })).toBe(code);
  });

  it("is HOTP over the time step, with a countdown to the next step", () => {
    const secret = ascii(vectors.hotp.secretAscii);
    expect(timeStepAt(59)).toBe(1);
    expect(timeStepAt(60)).toBe(2);
    expect(totp(secret, 59)).toBe(hotp(secret, 1));
    expect(totp(secret, 119, { stepSeconds: 60 })).toBe(hotp(secret, 1));
    expect(secondsLeftInStep(59)).toBe(1);
    expect(secondsLeftInStep(60)).toBe(30);
    expect(secondsLeftInStep(61.5, 60)).toBe(59);
  });
});

describe("base32 (RFC 4648)", () => {
  it.each([
    ["", ""],
    ["f", "MY"],
    ["fo", "MZXQ"],
    ["foo", "MZXW6"],
    ["foob", "MZXW6YQ"],
    ["fooba", "MZXW6YTB"],
    ["foobar", "MZXW6YTBOI"],
  ])("%j ↔ %s", (plain, encoded) => {
    expect(base32Encode(ascii(plain))).toBe(encoded);
    expect(new TextDecoder().decode(base32Decode(encoded))).toBe(plain);
  });

  it("round-trips random bytes of every length up to 64", () => {
    for (let n = 0; n <= 64; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(n));
      expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
    }
  });

  it("accepts padding, lower case and spaces as people type them, and rejects other characters", () => {
    expect(new TextDecoder().decode(base32Decode("mzxw 6ytb oi======"))).toBe("foobar");
    expect(() => base32Decode("MZXW1")).toThrow(/not a base32 character/);
  });
});

describe("otpauthUri", () => {
  const secret = ascii("12345678901234567890");

  it("percent-encodes issuer and account in the label and the query, and gives the period", () => {
    const uri = otpauthUri({ mode: "time", issuer: "Corp Example", account: "alice@corp.local", secret, digits: 6 });
    const [head, query] = uri.split("?");
    expect(head).toBe("otpauth://totp/Corp%20Example:alice%40corp.local");
    expect(query).not.toContain("+");
    const q = new URLSearchParams(query);
    expect(q.get("secret")).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(q.get("issuer")).toBe("Corp Example");
    expect(query).toContain("issuer=Corp%20Example");
    expect(q.get("digits")).toBe("6");
    expect(q.get("algorithm")).toBe("SHA1");
    expect(q.get("period")).toBe("30");
    expect(q.has("counter")).toBe(false);
  });

  it("gives the counter for event-based tokens", () => {
    const uri = otpauthUri({ mode: "event", issuer: "Corp", account: "bob", secret, digits: 8, counter: 5 });
    expect(uri.startsWith("otpauth://hotp/Corp:bob?")).toBe(true);
    const q = new URLSearchParams(uri.split("?")[1]);
    expect(q.get("counter")).toBe("5");
    expect(q.get("digits")).toBe("8");
    expect(q.has("period")).toBe(false);
  });
});

describe("counter windows", () => {
  const secret = ascii(vectors.hotp.secretAscii);
  const codes = vectors.hotp.codes as string[];

  it("nearestFirst walks outward from the centre", () => {
    expect([...nearestFirst(5, 2)]).toEqual([5, 4, 6, 3, 7]);
    expect([...nearestFirst(5, 0)]).toEqual([5]);
  });

  it("ring covers only the outer band, nearest first", () => {
    expect([...ring(10, 1, 3)]).toEqual([8, 12, 7, 13]);
    expect([...ring(10, 2, 2)]).toEqual([]);
  });

  it("range is inclusive and ascending", () => {
    expect([...range(3, 6)]).toEqual([3, 4, 5, 6]);
    expect([...range(3, 2)]).toEqual([]);
  });

  it("findCounter returns the counter whose code matches, or null", () => {
    expect(findCounter(secret, codes[7], range(0, 9))).toBe(7);
    expect(findCounter(secret, codes[7], nearestFirst(5, 2))).toBe(7);
    expect(findCounter(secret, codes[7], nearestFirst(5, 1))).toBeNull();
    expect(findCounter(secret, codes[8], ring(5, 1, 2))).toBeNull();
    expect(findCounter(secret, codes[8], ring(5, 2, 3))).toBe(8);
  });

  it("findCounter skips negative counters and codes of the wrong length", () => {
    expect(findCounter(secret, codes[0], nearestFirst(0, 3))).toBe(0);
    expect(findCounter(secret, codes[1], [-1, 1])).toBe(1);
    expect(findCounter(secret, codes[1].slice(1), range(0, 9), 6)).toBeNull();
    expect(findCounter(secret, "0" + codes[1], range(0, 9), 6)).toBeNull();
  });
});

describe("locateOtp on used event codes", () => {
  const secret = ascii(vectors.hotp.secretAscii);
  const token = (counter: number) => ({ mode: "event" as const, secret, digits: 6, algorithm: "SHA1" as OtpAlgorithm, stepSeconds: 30, counter, lastStep: null, driftSteps: 0 });
  const windows = { timeDriftSteps: 1, lookAheadWindow: 10, outerWindow: 100 };

  it("reports a code used up to the outer window ago as replayed, not as a wrong code", () => {
    // 60 codes accepted since: a client re-sending an old answer must hear "replayed" (the contract).
    expect(locateOtp(token(61), hotp(secret, 1), 0, windows)).toEqual({ kind: "replayed", at: 1 });
    expect(locateOtp(token(61), hotp(secret, 60), 0, windows)).toEqual({ kind: "replayed", at: 60 });
  });
});
