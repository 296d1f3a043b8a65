import { PskcError, malformed, unsupported } from "./errors";
import { parsePskc } from "./parse";
import { HASH_LENGTH, type HashName } from "./uris";
import type { ParsedEncryptedValue, ParsedKeyPackage, ParsedPskc, ParsedValue, PskcKey } from "./types";

// The browser twin of decrypt.ts: same checks in the same order, with Web Crypto instead of node:crypto.
// No node imports here: the simulated MobilePASS page bundles this module.

export const WRONG_ACTIVATION_KEY =
  "The activation key does not open this seed file: check the key in your activation email (16 letters and digits).";
const NOT_A_SEED_FILE = "This file is not a readable SafeNet seed file.";

const WEB_HASH: Record<HashName, string> = { sha1: "SHA-1", sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" };

interface Keys {
  encryptionKey: Uint8Array<ArrayBuffer>;
  macKey: Uint8Array<ArrayBuffer>;
  /** The MAC key was itself decrypted, so its length tells a wrong password from tampering. */
  macKeyWasEncrypted: boolean;
  macHash: HashName;
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) {
    throw unsupported("This browser offers no Web Crypto here; open the page over HTTPS (or on localhost) to read seed files.");
  }
  return s;
}

export function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

async function pbkdf2(password: string, dk: NonNullable<ParsedPskc["derivedKey"]>): Promise<Uint8Array<ArrayBuffer>> {
  const base = await subtle().importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const params = { name: "PBKDF2", hash: WEB_HASH[dk.prf], salt: fromBase64(dk.saltB64), iterations: dk.iterations };
  return new Uint8Array(await subtle().deriveBits(params, base, dk.keyLength * 8));
}

/** AES-CBC with the IV in the first block; rejects when the PKCS#7 padding is wrong. */
async function aesCbcDecrypt(value: ParsedEncryptedValue, key: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = fromBase64(value.cipherB64);
  let cryptoKey: CryptoKey;
  try {
    cryptoKey = await subtle().importKey("raw", key, "AES-CBC", false, ["decrypt"]);
  } catch {
    // Chromium has no AES-192.
    throw unsupported(`This browser cannot use ${value.keyLength * 8}-bit AES keys; ask the issuer for an AES-128-CBC seed file.`);
  }
  const plain = await subtle().decrypt({ name: "AES-CBC", iv: bytes.subarray(0, 16) }, cryptoKey, bytes.subarray(16));
  return new Uint8Array(plain);
}

async function containerKeys(parsed: ParsedPskc, password: string): Promise<Keys | null> {
  const { derivedKey, macMethod } = parsed;
  const encrypted = parsed.packages.some((p) => [p.secret, p.counter, p.time, p.timeInterval].some((v) => v?.encrypted));
  if (!encrypted || !derivedKey || !macMethod) return null;
  if (password === "") throw new PskcError("wrong_password", "This seed file is protected. Enter the activation key from your activation email.");
  const encryptionKey = await pbkdf2(password, derivedKey);
  if (!macMethod.key) return { encryptionKey, macKey: encryptionKey, macKeyWasEncrypted: false, macHash: macMethod.hash };
  let macKey: Uint8Array<ArrayBuffer>;
  try {
    macKey = await aesCbcDecrypt(macMethod.key, encryptionKey);
  } catch (e) {
    if (e instanceof PskcError) throw e;
    // Without the right key the MAC key's padding is almost never valid.
    throw new PskcError("wrong_password", WRONG_ACTIVATION_KEY);
  }
  if (macKey.length === 0) throw new PskcError("wrong_password", WRONG_ACTIVATION_KEY);
  return { encryptionKey, macKey, macKeyWasEncrypted: true, macHash: macMethod.hash };
}

async function verifyMac(value: ParsedValue, keys: Keys, what: string): Promise<void> {
  const hmacKey = await subtle().importKey("raw", keys.macKey, { name: "HMAC", hash: WEB_HASH[keys.macHash] }, false, ["verify"]);
  // subtle.verify compares in constant time and answers false for a MAC of the wrong length.
  const ok = await subtle().verify("HMAC", hmacKey, fromBase64(value.macB64!), fromBase64(value.encrypted!.cipherB64));
  if (ok) return;
  // As in decrypt.ts: a wrong key that slips past the MAC key's padding yields a MAC key of a random length.
  if (!keys.macKeyWasEncrypted || keys.macKey.length !== HASH_LENGTH[keys.macHash]) throw new PskcError("wrong_password", WRONG_ACTIVATION_KEY);
  throw new PskcError(
    "mac_mismatch",
    `The ${what} failed its integrity check (ValueMAC): the seed file was altered or damaged after it was issued. Download it again from your activation email or ask for a new one.`,
  );
}

async function openValue(value: ParsedValue, keys: Keys | null, what: string): Promise<Uint8Array<ArrayBuffer>> {
  if (value.plain !== undefined) return fromBase64(value.plain);
  if (!keys) throw malformed(`The ${what} is encrypted but the file does not say how. Use the file exactly as it was issued.`);
  await verifyMac(value, keys, what);
  try {
    return await aesCbcDecrypt(value.encrypted!, keys.encryptionKey);
  } catch (e) {
    if (e instanceof PskcError) throw e;
    throw malformed(`The ${what} passed its integrity check but does not decrypt; the issuer wrote a broken seed file. Ask for a new one.`);
  }
}

async function openInteger(value: ParsedValue | undefined, keys: Keys | null, what: string): Promise<number | undefined> {
  if (!value) return undefined;
  if (value.plain !== undefined) return Number(value.plain);
  const bytes = await openValue(value, keys, what);
  // Encrypted integers are big-endian byte strings (as python-pskc and other writers produce them).
  const n = bytes.reduce((acc, b) => acc * 256n + BigInt(b), 0n);
  if (bytes.length === 0 || n > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed(`The ${what} is out of range. Ask for a new seed file.`);
  return Number(n);
}

async function openPackage(p: ParsedKeyPackage, keys: Keys | null): Promise<PskcKey> {
  const of = (field: string) => `${field} of token ${p.serial}`;
  const secret = await openValue(p.secret, keys, of("secret"));
  if (secret.length === 0) throw malformed(`The secret of token ${p.serial} is empty. Ask for a new seed file.`);
  const timeStep = await openInteger(p.timeInterval, keys, of("time interval"));
  if (timeStep === 0) throw malformed(`The time interval of token ${p.serial} is 0 seconds. Ask for a new seed file.`);
  const key: PskcKey = {
    serial: p.serial,
    manufacturer: p.manufacturer,
    algorithm: p.algorithm,
    algorithmUri: p.algorithmUri,
    digits: p.digits,
    encoding: p.encoding,
    timeStepSeconds: timeStep ?? (p.algorithm === "totp" ? 30 : undefined),
    counter: await openInteger(p.counter, keys, of("counter")),
    time: await openInteger(p.time, keys, of("start time")),
    userId: p.userId,
    issuer: p.issuer,
    keyId: p.keyId,
    secret,
  };
  for (const k of Object.keys(key) as (keyof PskcKey)[]) if (key[k] === undefined) delete key[k];
  return key;
}

/** A damaged file's message starts by saying so plainly; the parser's detail follows. */
function damaged(e: PskcError): PskcError {
  return e.code === "malformed" ? new PskcError("malformed", `${NOT_A_SEED_FILE} ${e.message}`) : e;
}

/**
 * Every key in a PSKC seed file, decrypted in the browser with the activation key (`password`).
 * Same checks and error codes as `readPskc`; the ValueMAC is verified before any plaintext is used.
 */
export async function decryptPskcWeb(xml: string, password: string): Promise<PskcKey[]> {
  try {
    const parsed = parsePskc(xml);
    const keys = await containerKeys(parsed, password);
    const out: PskcKey[] = [];
    for (const p of parsed.packages) out.push(await openPackage(p, keys));
    return out;
  } catch (e) {
    if (e instanceof PskcError) throw damaged(e);
    throw new PskcError("malformed", `${NOT_A_SEED_FILE} Choose the seed file attached to your activation email.`);
  }
}
