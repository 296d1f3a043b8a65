import { describe, it, expect } from "vitest";
import { createDecipheriv, pbkdf2Sync } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { hotp } from "../../lib/otp";
import { fromBase64, toBase64 } from "../../lib/pskc/base64";
import {
  DEFAULT_PBKDF2_ITERATIONS,
  PskcError,
  WRONG_ACTIVATION_KEY,
  derivePskcKey,
  parsePskc,
  readPskc,
  writePskc,
  type PskcErrorCode,
} from "../../lib/pskc";
import { FIXTURES } from "../fixtures";

// The one PSKC reader runs here on Node's Web Crypto (globalThis.crypto.subtle), as it does in the browser.

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

function plainFile(packages: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc">${packages.join("")}
</KeyContainer>`;
}

function plainPackage(serial: string, algorithm: string, secretB64: string, data: string): string {
  return `
  <KeyPackage>
    <DeviceInfo><Manufacturer>Manufacturer</Manufacturer><SerialNo>${serial}</SerialNo></DeviceInfo>
    <Key Id="${serial}-key" Algorithm="${algorithm}">
      <AlgorithmParameters><ResponseFormat Length="6" Encoding="DECIMAL"/></AlgorithmParameters>
      <Data>
        <Secret><PlainValue>
          ${secretB64}
        </PlainValue></Secret>${data}
      </Data>
      <UserId>user-${serial}</UserId>
    </Key>
  </KeyPackage>`;
}

describe("base64 helpers", () => {
  it("round-trip every byte value the way Buffer does", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toBase64(all)).toBe(Buffer.from(all).toString("base64"));
    expect(fromBase64(Buffer.from(all).toString("base64"))).toEqual(all);
  });
});

describe("RFC 6030 Figure 7", () => {
  it("decrypts with the password qwerty to the listed key", async () => {
    const keys = await readPskc(figure7, vectors.password);
    expect(keys).toHaveLength(1);
    const [key] = keys;
    expect(hex(key.secret)).toBe(vectors.secretHex);
    expect(key.serial).toBe(vectors.serial);
    expect(key.algorithmUri).toBe(vectors.algorithm);
    expect(key.algorithm).toBe("hotp");
    expect(key.digits).toBe(vectors.digits);
    expect(key.encoding).toBe("DECIMAL");
    expect(key.keyId).toBe("123456");
    expect(key.manufacturer).toBe("TokenVendorAcme");
    expect(key.issuer).toBe("Example-Issuer");
    // The RFC 4226 secret, so the first 8-digit code is the known one.
    expect(hotp(key.secret, 0, key.digits)).toBe("84755224");
  });

  it("parses without decrypting, with base64 stripped of its line breaks, and derives the listed key", async () => {
    const parsed = parsePskc(figure7);
    expect(parsed.derivedKey).toMatchObject({ saltB64: "Ej7/PEpyEpw=", iterations: 1000, keyLength: 16, prf: "sha1", masterKeyName: "My Password 1" });
    expect(parsed.macMethod?.hash).toBe("sha1");
    expect(parsed.packages[0].secret.encrypted?.cipherB64).toBe("oTvo+S22nsmS2Z/RtcoF8Hfh+jzMe0RkiafpoDpnoZTjPYZu6V+A4aEn032yCr4f");
    expect(parsed.packages[0].secret.macB64).toBe("LP6xMvjtypbfT9PdkJhBZ+D6O4w=");
    expect(hex(await derivePskcKey(vectors.password, parsed.derivedKey!))).toBe(vectors.derivedKeyHex);
  });

  it("says clearly that a wrong or missing activation key does not open the file", async () => {
    const wrong = await errorOf(readPskc(figure7, "qwertz"));
    expect(wrong.code).toBe("wrong_password");
    expect(wrong.message).toBe(WRONG_ACTIVATION_KEY);
    expect(await codeOf(readPskc(figure7, "QWERTY"))).toBe("wrong_password");
    expect(await codeOf(readPskc(figure7, ""))).toBe("wrong_password");
  });

  it("reports wrong_password even when a wrong password happens to unpad the MAC key", async () => {
    // About one wrong password in 256 yields valid PKCS#7 padding; node:crypto finds one so this case is tested every run.
    const { derivedKey: dk, macMethod } = parsePskc(figure7);
    const macKeyBytes = Buffer.from(macMethod!.key!.cipherB64, "base64");
    const unpads = (password: string) => {
      const key = pbkdf2Sync(password, Buffer.from(dk!.saltB64, "base64"), dk!.iterations, dk!.keyLength, dk!.prf);
      const d = createDecipheriv("aes-128-cbc", key, macKeyBytes.subarray(0, 16));
      try {
        return Buffer.concat([d.update(macKeyBytes.subarray(16)), d.final()]).length > 0;
      } catch {
        return false;
      }
    };
    let i = 0;
    while (!unpads(`guess-${i}`)) i++;
    expect(await codeOf(readPskc(figure7, `guess-${i}`))).toBe("wrong_password");
  });

  it("rejects a changed ValueMAC or ciphertext as mac_mismatch", async () => {
    expect(await codeOf(readPskc(tamper(figure7, "pskc:ValueMAC", 0, 5), "qwerty"))).toBe("mac_mismatch");
    expect(await codeOf(readPskc(tamper(figure7, "xenc:CipherValue", 1, 3), "qwerty"))).toBe("mac_mismatch");
    expect(await codeOf(readPskc(tamper(figure7, "xenc:CipherValue", 1, -1), "qwerty"))).toBe("mac_mismatch");
  });
});

describe("writePskc → readPskc", () => {
  it("round-trips a time-based token with every field", async () => {
    const xml = writePskc({ ...base, algorithm: "totp", digits: 6, timeStepSeconds: 60, userId: "alice@corp.local", issuer: "Corp <Test> & Co" });
    expect(await readPskc(xml, base.password)).toEqual([
      {
        serial: base.serial,
        manufacturer: "SafeNet",
        algorithm: "totp",
        algorithmUri: "urn:ietf:params:xml:ns:keyprov:pskc:totp",
        digits: 6,
        encoding: "DECIMAL",
        timeStepSeconds: 60,
        time: 0,
        userId: "alice@corp.local",
        issuer: "Corp <Test> & Co",
        keyId: base.serial,
        secret: secret20,
      },
    ]);
  });

  it("round-trips an event-based token and its counter", async () => {
    const xml = writePskc({ ...base, algorithm: "hotp", digits: 8, counter: 42, manufacturer: "Thales" });
    const [key] = await readPskc(xml, base.password);
    expect(key).toMatchObject({ algorithm: "hotp", digits: 8, counter: 42, manufacturer: "Thales", serial: base.serial });
    expect(key.timeStepSeconds).toBeUndefined();
    expect(key.secret).toEqual(secret20);
  });

  it("writes the Figure 7 profile with a fresh salt and IV each time and the default iteration count, and reads it back", async () => {
    const { iterations: _, ...noIterations } = base;
    const a = writePskc({ ...noIterations, algorithm: "totp", digits: 6 });
    const b = writePskc({ ...noIterations, algorithm: "totp", digits: 6 });
    expect(a).not.toBe(b);
    const parsed = parsePskc(a);
    expect(parsed.derivedKey).toMatchObject({ iterations: DEFAULT_PBKDF2_ITERATIONS, keyLength: 16, prf: "sha1" });
    expect(Buffer.from(parsed.derivedKey!.saltB64, "base64")).toHaveLength(16);
    expect(parsed.macMethod?.key?.algorithmUri).toBe("http://www.w3.org/2001/04/xmlenc#aes128-cbc");
    expect(a).toContain("<pskc:SerialNo>0A1B2C3D4E5F6071</pskc:SerialNo>");
    expect(a).not.toContain(Buffer.from(secret20).toString("base64"));
    expect((await readPskc(a, base.password))[0].secret).toEqual(secret20);
  });

  it("reports every wrong password as wrong_password, never as tampering", async () => {
    const xml = writePskc({ ...base, algorithm: "hotp", digits: 6 });
    for (let i = 0; i < 40; i++) expect(await codeOf(readPskc(xml, `wrong-${i}`))).toBe("wrong_password");
  });

  it("detects a changed ValueMAC or secret ciphertext before using the plaintext", async () => {
    const xml = writePskc({ ...base, algorithm: "totp", digits: 6 });
    expect(await codeOf(readPskc(tamper(xml, "pskc:ValueMAC", 0, 0), base.password))).toBe("mac_mismatch");
    expect(await codeOf(readPskc(tamper(xml, "xenc:CipherValue", 1, 0), base.password))).toBe("mac_mismatch");
    expect(await codeOf(readPskc(tamper(xml, "xenc:CipherValue", 1, 20), base.password))).toBe("mac_mismatch");
    const last = await errorOf(readPskc(tamper(xml, "xenc:CipherValue", 1, -1), base.password));
    expect(last.code).toBe("mac_mismatch");
    expect(last.message).toMatch(/integrity check/);
  });

  it("keeps the password and the secret out of error messages", async () => {
    const xml = writePskc({ ...base, algorithm: "totp", digits: 6 });
    const messages = await Promise.all([
      errorOf(readPskc(xml, "Xy7kQ2mN9pL4rT8w")),
      errorOf(readPskc(tamper(xml, "pskc:ValueMAC", 0, 0), base.password)),
      errorOf(readPskc(xml.replace("<pskc:Data>", "<pskc:Data><"), base.password)),
    ]);
    for (const { message } of messages) {
      expect(message.length).toBeGreaterThan(20);
      expect(message).not.toContain("Xy7kQ2mN9pL4rT8");
      expect(message).not.toContain(hex(secret20));
      expect(message).not.toContain(Buffer.from(secret20).toString("base64"));
    }
  });
});

describe("unencrypted and multi-key files", () => {
  const secretB64 = Buffer.from(secret20).toString("base64");

  it("reads PlainValue secrets, whitespace and all, from several key packages", async () => {
    const xml = plainFile([
      plainPackage("1001", "urn:ietf:params:xml:ns:keyprov:pskc:totp", `${secretB64.slice(0, 10)}\n   ${secretB64.slice(10)}`, "<TimeInterval><PlainValue>60</PlainValue></TimeInterval>"),
      plainPackage("1002", "urn:ietf:params:xml:ns:keyprov:pskc#hotp", secretB64, "<Counter><PlainValue>7</PlainValue></Counter>"),
    ]);
    const keys = await readPskc(xml, "");
    expect(keys.map((k) => [k.serial, k.algorithm, k.keyId, k.userId])).toEqual([
      ["1001", "totp", "1001-key", "user-1001"],
      ["1002", "hotp", "1002-key", "user-1002"],
    ]);
    expect(keys[0].timeStepSeconds).toBe(60);
    expect(keys[1].counter).toBe(7);
    for (const k of keys) expect(k.secret).toEqual(secret20);
  });

  it("reports the first bad key package in file order, across the reader's chunks of 64", async () => {
    const pkg = (i: number, step: number) => plainPackage(`${1000 + i}`, "urn:ietf:params:xml:ns:keyprov:pskc:totp", secretB64, `<TimeInterval><PlainValue>${step}</PlainValue></TimeInterval>`);
    const file = (...bad: number[]) => plainFile(Array.from({ length: 70 }, (_, i) => pkg(i, bad.includes(i) ? 0 : 30)));
    expect((await errorOf(readPskc(file(66, 3), ""))).message).toContain("token 1003 ");
    expect((await errorOf(readPskc(file(66), ""))).message).toContain("token 1066 ");
    expect(await readPskc(file(), "")).toHaveLength(70);
  });

  it("defaults a TOTP time step to 30 seconds", async () => {
    const [key] = await readPskc(plainFile([plainPackage("1", "urn:ietf:params:xml:ns:keyprov:pskc:totp", secretB64, "")]), "ignored");
    expect(key.timeStepSeconds).toBe(30);
  });
});

describe("bad files", () => {
  const written = writePskc({ ...base, algorithm: "totp", digits: 6 });

  it.each([
    ["empty", ""],
    ["not XML", "this is not a seed file"],
    ["garbage", "\u0000\u0001 this is not a seed file"],
    ["unclosed tags", "<KeyContainer><KeyPackage></KeyContainer>"],
    ["some other XML", "<html><body/></html>"],
    ["a container without packages", '<KeyContainer Version="1.0"/>'],
    ["a DOCTYPE", '<!DOCTYPE x [<!ENTITY a "b">]><KeyContainer/>'],
    ["a truncated seed file", written.slice(0, Math.floor(written.length / 2))],
    ["no ResponseFormat", figure7.replace(/<pskc:ResponseFormat[^>]*\/>/, "")],
    ["no Secret", figure7.replace(/<pskc:Secret>[\s\S]*<\/pskc:Secret>/, "")],
    ["broken base64", figure7.replace("LP6xMvjtypbfT9PdkJhBZ+D6O4w=", "LP6x*vjt")],
    ["a ciphertext that is not whole blocks", figure7.replace("oTvo+S22", "oTvo")],
    ["no ValueMAC", figure7.replace(/<pskc:ValueMAC>[\s\S]*?<\/pskc:ValueMAC>/, "")],
    ["no EncryptionKey", figure7.replace(/<pskc:EncryptionKey>[\s\S]*<\/pskc:EncryptionKey>/, "")],
  ])("%s → malformed, said plainly", async (_, xml) => {
    const e = await errorOf(readPskc(xml, "qwerty"));
    expect(e.code).toBe("malformed");
    expect(e.message).toMatch(/^This file is not a readable SafeNet seed file\. \S/);
  });

  it.each([
    ["an OCRA key", figure7.replace("pskc:hotp", "pskc:OCRA-1:HOTP-SHA512-8:C-QN08")],
    ["Triple DES", figure7.replace(/aes128-cbc/g, "tripledes-cbc")],
    ["another key derivation", figure7.replace("pkcs-5v2-0#pbkdf2", "pkcs-5v2-0#pbes2")],
    ["a pre-shared key", figure7.replace(/<xenc11:DerivedKey>[\s\S]*<\/xenc11:DerivedKey>/, "<ds:KeyName>Pre-shared-key</ds:KeyName>")],
    ["a MAC other than HMAC", figure7.replace("xmldsig#hmac-sha1", "xmldsig#rsa-sha1")],
    ["hexadecimal passcodes", figure7.replace('Encoding="DECIMAL"', 'Encoding="HEXADECIMAL"')],
  ])("%s → unsupported", async (_, xml) => {
    expect(await codeOf(readPskc(xml, "qwerty"))).toBe("unsupported");
  });
});

describe("readPskc limits", () => {
  const limits = { maxChars: 10_000, maxPackages: 2, maxIterations: 5000 };
  const packages = (n: number) => figure7.replace(/<pskc:KeyPackage>[\s\S]*<\/pskc:KeyPackage>/, (pkg) => pkg.repeat(n));

  it.each([
    ["a huge iteration count (default limits), before any PBKDF2 work", figure7.replace("<IterationCount>1000<", "<IterationCount>99999999999<"), undefined, "maxIterations"],
    ["more iterations than the caller allows", figure7.replace("<IterationCount>1000<", "<IterationCount>5001<"), limits, "maxIterations"],
    ["more key packages than the caller allows", packages(3), limits, "maxPackages"],
    ["a longer file than the caller allows", figure7.replace("?>", `?><!-- ${"x".repeat(10_000)} -->`), limits, "maxChars"],
  ] as const)("%s → over_limit naming the limit", async (_, xml, lim, name) => {
    const err = await errorOf(readPskc(xml, "qwerty", lim));
    expect(err.code).toBe("over_limit");
    expect(err.limit?.name).toBe(name);
    expect(err.message).toContain(String(err.limit?.max));
  });

  it("reads files inside the limits", async () => {
    expect((await readPskc(packages(2), "qwerty", limits)).length).toBe(2);
  });
});
