import { fromBase64 } from "./base64";
import { PskcError, malformed, unsupported } from "./errors";
import { DEFAULT_PSKC_LIMITS, parsePskc, type PskcLimits } from "./parse";
import { HASH_LENGTH, type HashName } from "./uris";
import type { ParsedDerivedKey, ParsedEncryptedValue, ParsedKeyPackage, ParsedPskc, ParsedValue, PskcKey } from "./types";

// The one PSKC reader, on Web Crypto (globalThis.crypto.subtle): the simulated MobilePASS page bundles it,
// and Node 20 runs it for the command-line twin and the simulator's import worker. No node imports here.

export const WRONG_ACTIVATION_KEY =
  "The activation key does not open this seed file: check the key in your activation email (16 letters and digits).";
const NOT_A_SEED_FILE = "This file is not a readable SafeNet seed file.";

/** Key packages opened at once: a worker wakes once per chunk, not once per key, and the pool's queue stays short. */
const CHUNK = 64;

const WEB_HASH: Record<HashName, string> = { sha1: "SHA-1", sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" };

/** A file's container keys, imported once: a batch of 1000 key packages uses them 2000 times. */
interface Keys {
  aes: CryptoKey;
  mac: CryptoKey;
  macKeyLength: number;
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

/** The PBKDF2 key that a password-protected file's values are encrypted under. */
export async function derivePskcKey(password: string, dk: ParsedDerivedKey): Promise<Uint8Array<ArrayBuffer>> {
  const base = await subtle().importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const params = { name: "PBKDF2", hash: WEB_HASH[dk.prf], salt: fromBase64(dk.saltB64), iterations: dk.iterations };
  return new Uint8Array(await subtle().deriveBits(params, base, dk.keyLength * 8));
}

async function importAes(key: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  try {
    return await subtle().importKey("raw", key, "AES-CBC", false, ["decrypt"]);
  } catch {
    // Chromium has no AES-192.
    throw unsupported(`This browser cannot use ${key.length * 8}-bit AES keys; ask the issuer for an AES-128-CBC seed file.`);
  }
}

/** AES-CBC with the IV in the first block; rejects when the PKCS#7 padding is wrong. */
async function aesCbcDecrypt(value: ParsedEncryptedValue, key: CryptoKey): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = fromBase64(value.cipherB64);
  return new Uint8Array(await subtle().decrypt({ name: "AES-CBC", iv: bytes.subarray(0, 16) }, key, bytes.subarray(16)));
}

async function containerKeys(parsed: ParsedPskc, password: string): Promise<Keys | null> {
  const { derivedKey, macMethod } = parsed;
  const encrypted = parsed.packages.some((p) => [p.secret, p.counter, p.time, p.timeInterval].some((v) => v?.encrypted));
  if (!encrypted || !derivedKey || !macMethod) return null;
  if (password === "") throw new PskcError("wrong_password", "This seed file is protected. Enter the activation key from your activation email.");
  const encryptionKey = await derivePskcKey(password, derivedKey);
  const aes = await importAes(encryptionKey);
  let macKey = encryptionKey;
  if (macMethod.key) {
    try {
      macKey = await aesCbcDecrypt(macMethod.key, aes);
    } catch {
      // Without the right key the MAC key's padding is almost never valid.
      throw new PskcError("wrong_password", WRONG_ACTIVATION_KEY);
    }
    if (macKey.length === 0) throw new PskcError("wrong_password", WRONG_ACTIVATION_KEY);
  }
  const mac = await subtle().importKey("raw", macKey, { name: "HMAC", hash: WEB_HASH[macMethod.hash] }, false, ["verify"]);
  return { aes, mac, macKeyLength: macKey.length, macKeyWasEncrypted: !!macMethod.key, macHash: macMethod.hash };
}

async function verifyMac(value: ParsedValue, keys: Keys, what: string): Promise<void> {
  // subtle.verify compares in constant time and answers false for a MAC of the wrong length.
  if (await subtle().verify("HMAC", keys.mac, fromBase64(value.macB64!), fromBase64(value.encrypted!.cipherB64))) return;
  // A wrong key that slips past the MAC key's padding (1 in 256) yields a MAC key of a random length; one of the
  // hash's natural length means the value was altered. A container key used as the MAC key cannot tell: say "wrong key".
  if (!keys.macKeyWasEncrypted || keys.macKeyLength !== HASH_LENGTH[keys.macHash]) throw new PskcError("wrong_password", WRONG_ACTIVATION_KEY);
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
    return await aesCbcDecrypt(value.encrypted!, keys.aes);
  } catch {
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
 * Every key in a PSKC seed file, decrypted with its activation key or import password (ignored for files with
 * plain values). Rejects with a PskcError; the ValueMAC is verified before any plaintext is used.
 */
export async function readPskc(xml: string, password: string, limits: PskcLimits = DEFAULT_PSKC_LIMITS): Promise<PskcKey[]> {
  try {
    const parsed = parsePskc(xml, limits);
    const keys = await containerKeys(parsed, password);
    const out: PskcKey[] = [];
    for (let i = 0; i < parsed.packages.length; i += CHUNK) {
      const chunk = await Promise.allSettled(parsed.packages.slice(i, i + CHUNK).map((p) => openPackage(p, keys)));
      // The first failure in file order, as a one-by-one reader would report it.
      for (const r of chunk) {
        if (r.status === "rejected") throw r.reason;
        out.push(r.value);
      }
    }
    return out;
  } catch (e) {
    if (e instanceof PskcError) throw damaged(e);
    throw new PskcError("malformed", `${NOT_A_SEED_FILE} Choose the seed file attached to your activation email.`);
  }
}
