import { createDecipheriv, createHmac, pbkdf2Sync } from "node:crypto";
import { constantTimeEqual } from "../crypto/constant-time";
import { PskcError, malformed } from "./errors";
import { HASH_LENGTH, type HashName } from "./uris";
import type { ParsedEncryptedValue, ParsedKeyPackage, ParsedPskc, ParsedValue, PskcKey } from "./types";

const WRONG_KEY = "The activation key does not open this seed file. Check it against the activation email (it is case-sensitive) and try again.";

interface Keys {
  encryptionKey: Buffer;
  macKey: Buffer;
  /** The MAC key was itself decrypted, so its length tells a wrong password from tampering. */
  macKeyWasEncrypted: boolean;
  macHash: HashName;
}

const fromB64 = (b64: string) => Buffer.from(b64, "base64");

export function pbkdf2Key(password: string, dk: NonNullable<ParsedPskc["derivedKey"]>): Buffer {
  return pbkdf2Sync(Buffer.from(password, "utf8"), fromB64(dk.saltB64), dk.iterations, dk.keyLength, dk.prf);
}

/** AES-CBC with the IV in the first block; throws when the PKCS#7 padding is wrong. */
function aesCbcDecrypt(value: ParsedEncryptedValue, key: Buffer): Buffer {
  const bytes = fromB64(value.cipherB64);
  const decipher = createDecipheriv(`aes-${value.keyLength * 8}-cbc`, key, bytes.subarray(0, 16));
  return Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]);
}

function containerKeys(parsed: ParsedPskc, password: string): Keys | null {
  const { derivedKey, macMethod } = parsed;
  const encrypted = parsed.packages.some((p) => [p.secret, p.counter, p.time, p.timeInterval].some((v) => v?.encrypted));
  if (!encrypted || !derivedKey || !macMethod) return null;
  if (password === "") throw new PskcError("wrong_password", "This seed file is protected. Enter its activation key.");
  const encryptionKey = pbkdf2Key(password, derivedKey);
  if (!macMethod.key) return { encryptionKey, macKey: encryptionKey, macKeyWasEncrypted: false, macHash: macMethod.hash };
  try {
    const macKey = aesCbcDecrypt(macMethod.key, encryptionKey);
    if (macKey.length === 0) throw new Error("empty MAC key");
    return { encryptionKey, macKey, macKeyWasEncrypted: true, macHash: macMethod.hash };
  } catch {
    // Without the right key the MAC key's padding is almost never valid.
    throw new PskcError("wrong_password", WRONG_KEY);
  }
}

function verifyMac(value: ParsedValue, keys: Keys, what: string): void {
  const expected = fromB64(value.macB64!);
  const actual = createHmac(keys.macHash, keys.macKey).update(fromB64(value.encrypted!.cipherB64)).digest();
  if (constantTimeEqual(expected, actual)) return;
  // A wrong password gets past the MAC key's padding about once in 256 tries, and then yields a MAC key of
  // a random length; a correctly decrypted MAC key of the hash's natural length means the value was altered.
  // When the container key is the MAC key the format cannot tell the two apart; a wrong key is far likelier.
  if (!keys.macKeyWasEncrypted || keys.macKey.length !== HASH_LENGTH[keys.macHash]) throw new PskcError("wrong_password", WRONG_KEY);
  throw new PskcError(
    "mac_mismatch",
    `The ${what} failed its integrity check (ValueMAC): the seed file was altered or damaged after it was issued. Download it again from the activation email or ask for a new one.`,
  );
}

function openValue(value: ParsedValue, keys: Keys | null, what: string): Buffer {
  if (value.plain !== undefined) return fromB64(value.plain);
  if (!keys) throw malformed(`The ${what} is encrypted but the file does not say how. Use the file exactly as it was issued.`);
  verifyMac(value, keys, what);
  try {
    return aesCbcDecrypt(value.encrypted!, keys.encryptionKey);
  } catch {
    throw malformed(`The ${what} passed its integrity check but does not decrypt; the issuer wrote a broken seed file. Ask for a new one.`);
  }
}

function openInteger(value: ParsedValue | undefined, keys: Keys | null, what: string): number | undefined {
  if (!value) return undefined;
  if (value.plain !== undefined) return Number(value.plain);
  const bytes = openValue(value, keys, what);
  // Encrypted integers are big-endian byte strings (as python-pskc and other writers produce them).
  const n = bytes.reduce((acc, b) => acc * 256n + BigInt(b), 0n);
  if (bytes.length === 0 || n > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed(`The ${what} is out of range. Ask for a new seed file.`);
  return Number(n);
}

function openPackage(p: ParsedKeyPackage, keys: Keys | null): PskcKey {
  const of = (field: string) => `${field} of token ${p.serial}`;
  const secret = openValue(p.secret, keys, of("secret"));
  if (secret.length === 0) throw malformed(`The secret of token ${p.serial} is empty. Ask for a new seed file.`);
  const timeStep = openInteger(p.timeInterval, keys, of("time interval"));
  if (timeStep === 0) throw malformed(`The time interval of token ${p.serial} is 0 seconds. Ask for a new seed file.`);
  const key: PskcKey = {
    serial: p.serial,
    manufacturer: p.manufacturer,
    algorithm: p.algorithm,
    algorithmUri: p.algorithmUri,
    digits: p.digits,
    encoding: p.encoding,
    timeStepSeconds: timeStep ?? (p.algorithm === "totp" ? 30 : undefined),
    counter: openInteger(p.counter, keys, of("counter")),
    time: openInteger(p.time, keys, of("start time")),
    userId: p.userId,
    issuer: p.issuer,
    keyId: p.keyId,
    secret: new Uint8Array(secret),
  };
  for (const k of Object.keys(key) as (keyof PskcKey)[]) if (key[k] === undefined) delete key[k];
  return key;
}

/** Decrypts and checks every key of a parsed PSKC file; `password` is ignored when nothing is encrypted. */
export function decryptPskc(parsed: ParsedPskc, password: string): PskcKey[] {
  const keys = containerKeys(parsed, password);
  return parsed.packages.map((p) => openPackage(p, keys));
}
