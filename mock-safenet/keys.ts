import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { constantTimeEqual } from "../lib/crypto/constant-time";
import { ensurePrivateDir, tightenPrivateFile } from "../lib/runtime/private-files";

// Everything secret the simulator stores goes through here: seeds and mail sealed with AES-256-GCM,
// PINs as peppered HMACs, directory passwords as scrypt hashes. Subkeys are derived once at start.

const scryptAsync = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

export const MASTER_KEY_FILE = "master.key";

export class KeyError extends Error {}

export interface Keyring {
  seal(plain: Buffer, aad: string): Buffer;
  open(sealed: Buffer, aad: string): Buffer;
  sealMail(plain: Buffer, aad: string): Buffer;
  openMail(sealed: Buffer, aad: string): Buffer;
  pinHash(salt: Buffer, pin: string): Buffer;
  pinMatches(salt: Buffer, pin: string, expected: Buffer): boolean;
  /** A value that proves which master key a database was created with, without revealing it. */
  keyCheck(): string;
}

function decodeMasterKey(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== 32) {
    throw new KeyError(`${where} must be the base64 of exactly 32 bytes (it decodes to ${key.length}). Generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`);
  }
  return key;
}

/**
 * The master key from SAFENET_MASTER_KEY, else from DATA_DIR/master.key (created with mode 0600).
 * Instances starting at once on one empty DATA_DIR end up with one key: each writes a complete
 * candidate to a file of its own and links it into place, which fails when the name exists; the
 * losers read the winner's key, never a half-written file.
 */
export function loadMasterKey(envValue: string | undefined, dataDir: string): Buffer {
  if (envValue) return decodeMasterKey(envValue, "SAFENET_MASTER_KEY");
  const file = path.join(dataDir, MASTER_KEY_FILE);
  if (!fs.existsSync(file)) {
    ensurePrivateDir(dataDir);
    const candidate = `${file}.tmp-${process.pid}-${crypto.randomBytes(6).toString("hex")}`;
    fs.writeFileSync(candidate, crypto.randomBytes(32).toString("base64") + "\n", { mode: 0o600, flag: "wx" });
    try {
      fs.linkSync(candidate, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      fs.rmSync(candidate, { force: true });
    }
  }
  tightenPrivateFile(file);
  return decodeMasterKey(fs.readFileSync(file, "utf8"), file);
}

function subkey(master: Buffer, info: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", master, Buffer.alloc(0), `safenet-simulator/${info}`, 32));
}

/** The subkey seeds are sealed under: what a PSKC import worker needs, without the master key itself. */
export const seedSubkey = (master: Buffer) => subkey(master, "seed/v1");

export function sealWith(key: Buffer, plain: Buffer, aad: string): Buffer {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function openWith(key: Buffer, sealed: Buffer, aad: string): Buffer {
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, sealed.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
}

/** The PIN pepper of databases made before it was stored sealed: derived from their first master key. */
export function derivedPepper(master: Buffer): Buffer {
  return subkey(master, "pin-pepper/v1");
}

// PIN hashes cannot be recomputed without the PINs, so the pepper outlives a master key rotation:
// it is stored in the database sealed under the master key, and a rotation re-seals it.
export function sealPepper(master: Buffer, pepper: Buffer): Buffer {
  return sealWith(subkey(master, "pepper-seal/v1"), pepper, "pin-pepper");
}

export function openPepper(master: Buffer, sealed: Buffer): Buffer {
  return openWith(subkey(master, "pepper-seal/v1"), sealed, "pin-pepper");
}

export function createKeyring(master: Buffer, pepper: Buffer = derivedPepper(master)): Keyring {
  const seedKey = seedSubkey(master);
  const mailKey = subkey(master, "mail/v1");
  const check = crypto.createHmac("sha256", subkey(master, "key-check/v1")).update("key-check").digest("base64url");
  const pinHash = (salt: Buffer, pin: string) => crypto.createHmac("sha256", pepper).update(salt).update(pin).digest();
  return {
    seal: (plain, aad) => sealWith(seedKey, plain, aad),
    open: (sealed, aad) => openWith(seedKey, sealed, aad),
    sealMail: (plain, aad) => sealWith(mailKey, plain, aad),
    openMail: (sealed, aad) => openWith(mailKey, sealed, aad),
    pinHash,
    pinMatches: (salt, pin, expected) => constantTimeEqual(pinHash(salt, pin), expected),
    keyCheck: () => check,
  };
}

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

/** `scrypt$N$r$p$salt$hash`, so that the cost can rise later without breaking stored hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scryptAsync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64"), hash.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, hashText] = stored.split("$");
  if (scheme !== "scrypt" || !saltText || !hashText) return false;
  const expected = Buffer.from(hashText, "base64");
  const actual = await scryptAsync(password, Buffer.from(saltText, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return constantTimeEqual(actual, expected);
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** 16 letters and digits with at least one upper-case letter, one lower-case letter and one digit. */
export function newActivationKey(): string {
  for (;;) {
    let key = "";
    for (let i = 0; i < 16; i++) key += ALNUM[crypto.randomInt(ALNUM.length)];
    if (/[A-Z]/.test(key) && /[a-z]/.test(key) && /[0-9]/.test(key)) return key;
  }
}

export function newSerial(): string {
  return crypto.randomBytes(8).toString("hex").toUpperCase();
}
