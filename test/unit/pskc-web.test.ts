import { describe, it, expect } from "vitest";
import { createDecipheriv } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PskcError, parsePskc, readPskc, writePskc, type PskcErrorCode } from "../../lib/pskc";
import { pbkdf2Key } from "../../lib/pskc/decrypt";
import { WRONG_ACTIVATION_KEY, decryptPskcWeb, fromBase64, toBase64 } from "../../lib/pskc/web";
import { FIXTURES } from "../fixtures";

// The browser reader runs here on Node's Web Crypto (globalThis.crypto.subtle) and must agree with readPskc.

const vectors = JSON.parse(fs.readFileSync(path.join(FIXTURES, "otp-vectors.json"), "utf8")).pskc;
const figure7 = fs.readFileSync(path.join(FIXTURES, vectors.file), "utf8");

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const secret20 = Uint8Array.from(Buffer.from("0f1e2d3c4b5a69788796a5b4c3d2e1f0deadbeef", "hex"));
const base = { serial: "0A1B2C3D4E5F6071", secret: secret20, password: "Xy7kQ2mN9pL4rT8v", iterations: 1000 };

async function errorOf(p: Promise<unknown>): Promise<PskcError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PskcError) return e;
    throw e;
  }
  throw new Error("expected a PskcError");
}
const codeOf = async (p: Promise<unknown>): Promise<PskcErrorCode> => (await errorOf(p)).code;

/** Flips one bit of byte `at` (negative counts from the end) in the n-th match of `element` (a base64 value). */
function tamper(xml: string, element: "xenc:CipherValue" | "pskc:ValueMAC", n: number, at: number): string {
  let seen = -1;
  return xml.replace(new RegExp(`(<${element}>)([\\s\\S]*?)(</${element}>)`, "g"), (all, open, b64: string, close) => {
    if (++seen !== n) return all;
    const bytes = Buffer.from(b64.replace(/\s+/g, ""), "base64");
    bytes[at < 0 ? bytes.length + at : at] ^= 0x01;
    return `${open}${bytes.toString("base64")}${close}`;
  });
}

describe("base64 helpers", () => {
  it("round-trip every byte value the way Buffer does", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toBase64(all)).toBe(Buffer.from(all).toString("base64"));
    expect(fromBase64(Buffer.from(all).toString("base64"))).toEqual(all);
  });
});

describe("decryptPskcWeb on RFC 6030 Figure 7", () => {
  it("decrypts with the password qwerty to the listed secret, as readPskc does", async () => {
    const keys = await decryptPskcWeb(figure7, vectors.password);
    expect(keys).toHaveLength(1);
    expect(hex(keys[0].secret)).toBe(vectors.secretHex);
    expect(keys[0]).toMatchObject({ serial: vectors.serial, algorithm: "hotp", algorithmUri: vectors.algorithm, digits: vectors.digits });
    expect(keys).toEqual(readPskc(figure7, vectors.password));
  });

  it("says clearly that a wrong or missing activation key does not open the file", async () => {
    const wrong = await errorOf(decryptPskcWeb(figure7, "qwertz"));
    expect(wrong.code).toBe("wrong_password");
    expect(wrong.message).toBe(WRONG_ACTIVATION_KEY);
    expect(await codeOf(decryptPskcWeb(figure7, "QWERTY"))).toBe("wrong_password");
    expect(await codeOf(decryptPskcWeb(figure7, ""))).toBe("wrong_password");
  });

  it("reports wrong_password even when a wrong password happens to unpad the MAC key", async () => {
    const { derivedKey, macMethod } = parsePskc(figure7);
    const macKeyBytes = Buffer.from(macMethod!.key!.cipherB64, "base64");
    const unpads = (password: string) => {
      const d = createDecipheriv("aes-128-cbc", pbkdf2Key(password, derivedKey!), macKeyBytes.subarray(0, 16));
      try {
        return Buffer.concat([d.update(macKeyBytes.subarray(16)), d.final()]).length > 0;
      } catch {
        return false;
      }
    };
    let i = 0;
    while (!unpads(`guess-${i}`)) i++;
    expect(await codeOf(decryptPskcWeb(figure7, `guess-${i}`))).toBe("wrong_password");
  });

  it("rejects a changed ValueMAC or ciphertext as mac_mismatch", async () => {
    expect(await codeOf(decryptPskcWeb(tamper(figure7, "pskc:ValueMAC", 0, 5), "qwerty"))).toBe("mac_mismatch");
    expect(await codeOf(decryptPskcWeb(tamper(figure7, "xenc:CipherValue", 1, 3), "qwerty"))).toBe("mac_mismatch");
    expect(await codeOf(decryptPskcWeb(tamper(figure7, "xenc:CipherValue", 1, -1), "qwerty"))).toBe("mac_mismatch");
  });
});

describe("decryptPskcWeb on files from writePskc", () => {
  it("round-trips a time-based token and agrees with readPskc", async () => {
    const xml = writePskc({ ...base, algorithm: "totp", digits: 6, timeStepSeconds: 60, userId: "alice@corp.local", issuer: "Corp <Test> & Co" });
    const keys = await decryptPskcWeb(xml, base.password);
    expect(keys).toEqual(readPskc(xml, base.password));
    expect(keys[0]).toMatchObject({ serial: base.serial, algorithm: "totp", timeStepSeconds: 60, time: 0, userId: "alice@corp.local" });
    expect(keys[0].secret).toEqual(secret20);
  });

  it("round-trips an event-based token with its counter and agrees with readPskc", async () => {
    const xml = writePskc({ ...base, algorithm: "hotp", digits: 8, counter: 42 });
    const keys = await decryptPskcWeb(xml, base.password);
    expect(keys).toEqual(readPskc(xml, base.password));
    expect(keys[0]).toMatchObject({ algorithm: "hotp", digits: 8, counter: 42 });
    expect(keys[0].secret).toEqual(secret20);
  });

  it("opens a file written with the default 10 000 iterations", async () => {
    const { iterations: _, ...rest } = base;
    const xml = writePskc({ ...rest, algorithm: "totp", digits: 6 });
    expect((await decryptPskcWeb(xml, base.password))[0].secret).toEqual(secret20);
  });

  it("reports every wrong activation key as wrong_password, never as tampering", async () => {
    const xml = writePskc({ ...base, algorithm: "hotp", digits: 6 });
    for (let i = 0; i < 40; i++) expect(await codeOf(decryptPskcWeb(xml, `wrong-${i}`))).toBe("wrong_password");
  });

  it("detects a changed ValueMAC or secret ciphertext before using the plaintext", async () => {
    const xml = writePskc({ ...base, algorithm: "totp", digits: 6 });
    expect(await codeOf(decryptPskcWeb(tamper(xml, "pskc:ValueMAC", 0, 0), base.password))).toBe("mac_mismatch");
    expect(await codeOf(decryptPskcWeb(tamper(xml, "xenc:CipherValue", 1, 0), base.password))).toBe("mac_mismatch");
    const last = await errorOf(decryptPskcWeb(tamper(xml, "xenc:CipherValue", 1, -1), base.password));
    expect(last.code).toBe("mac_mismatch");
    expect(last.message).toMatch(/integrity check/);
  });

  it("keeps the activation key and the secret out of error messages", async () => {
    const xml = writePskc({ ...base, algorithm: "totp", digits: 6 });
    const messages = await Promise.all([
      errorOf(decryptPskcWeb(xml, "Xy7kQ2mN9pL4rT8w")),
      errorOf(decryptPskcWeb(tamper(xml, "pskc:ValueMAC", 0, 0), base.password)),
      errorOf(decryptPskcWeb(xml.replace("<pskc:Data>", "<pskc:Data><"), base.password)),
    ]);
    for (const { message } of messages) {
      expect(message).not.toContain("Xy7kQ2mN9pL4rT8");
      expect(message).not.toContain(hex(secret20));
      expect(message).not.toContain(Buffer.from(secret20).toString("base64"));
    }
  });
});

describe("decryptPskcWeb on damaged and unsupported files", () => {
  const xml = writePskc({ ...base, algorithm: "totp", digits: 6 });

  it.each([
    ["empty", ""],
    ["garbage", "\u0000\u0001 this is not a seed file"],
    ["some other XML", "<html><body/></html>"],
    ["a truncated seed file", xml.slice(0, Math.floor(xml.length / 2))],
    ["a ciphertext that is not whole blocks", figure7.replace("oTvo+S22", "oTvo")],
    ["no ValueMAC", figure7.replace(/<pskc:ValueMAC>[\s\S]*?<\/pskc:ValueMAC>/, "")],
  ])("%s → malformed, said plainly", async (_, text) => {
    const e = await errorOf(decryptPskcWeb(text, "qwerty"));
    expect(e.code).toBe("malformed");
    expect(e.message).toMatch(/^This file is not a readable SafeNet seed file\. \S/);
  });

  it.each([
    ["an OCRA key", figure7.replace("pskc:hotp", "pskc:OCRA-1:HOTP-SHA512-8:C-QN08")],
    ["Triple DES", figure7.replace(/aes128-cbc/g, "tripledes-cbc")],
  ])("%s → unsupported", async (_, text) => {
    expect(await codeOf(decryptPskcWeb(text, "qwerty"))).toBe("unsupported");
  });

  it("a huge iteration count → over_limit, before any PBKDF2 work", async () => {
    expect(await codeOf(decryptPskcWeb(figure7.replace("<IterationCount>1000<", "<IterationCount>99999999999<"), "qwerty"))).toBe("over_limit");
  });
});
