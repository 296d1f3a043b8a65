import { fromBase64, toBase64 } from "@/lib/pskc/base64";

// Tokens kept in localStorage, each encrypted under a key derived from the application PIN, as MobilePASS
// keeps its tokens on the device. Only the serial, the mode and the wrong-PIN count are stored in the clear.

const STORAGE_KEY = "safenet-mobilepass.tokens.v1";
const PIN_ITERATIONS = 100_000;
export const MAX_PIN_ATTEMPTS = 5;

/** What the token needs to make passcodes; encrypted at rest. */
export interface TokenData {
  serial: string;
  mode: "time" | "event";
  digits: number;
  stepSeconds: number;
  t0Seconds: number;
  /** Event-based: the counter the next Generate uses. */
  counter: number;
  secretB64: string;
  userId?: string;
}

export interface StoredTokenInfo {
  serial: string;
  mode: "time" | "event";
}

interface StoredRecord extends StoredTokenInfo {
  salt: string;
  iv: string;
  ciphertext: string;
  failures: number;
}

/** A token opened with its PIN: the derived key stays in memory so that counter updates need no PBKDF2. */
export interface OpenToken {
  data: TokenData;
  key: CryptoKey;
  salt: string;
}

export type OpenResult =
  | { ok: true; token: OpenToken }
  | { ok: false; attemptsLeft: number; wiped: boolean }
  | { ok: false; missing: true };

function readAll(): StoredRecord[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "[]");
    return Array.isArray(parsed) ? (parsed as StoredRecord[]).filter((r) => typeof r?.serial === "string" && typeof r.ciphertext === "string") : [];
  } catch {
    return [];
  }
}

function writeAll(records: StoredRecord[]): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(records));
}

/** Replaces the record with the same serial in place (keeping the list's order), or appends it. */
function upsert(record: StoredRecord): void {
  const all = readAll();
  const i = all.findIndex((r) => r.serial === record.serial);
  if (i < 0) all.push(record);
  else all[i] = record;
  writeAll(all);
}

export function listTokens(): StoredTokenInfo[] {
  return readAll().map(({ serial, mode }) => ({ serial, mode }));
}

export function removeToken(serial: string): void {
  writeAll(readAll().filter((r) => r.serial !== serial));
}

async function pinKey(pin: string, salt: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations: PIN_ITERATIONS },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

// The serial is the additional data, so a record's ciphertext cannot be moved under another serial.
const aad = (serial: string) => new TextEncoder().encode(serial);

async function seal(token: OpenToken): Promise<StoredRecord> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(token.data));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad(token.data.serial) }, token.key, plain);
  const { serial, mode } = token.data;
  return { serial, mode, salt: token.salt, iv: toBase64(iv), ciphertext: toBase64(new Uint8Array(sealed)), failures: 0 };
}

/** Stores a token under a new PIN (replacing any token with the same serial) and returns it opened. */
export async function addToken(data: TokenData, pin: string): Promise<OpenToken> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const token: OpenToken = { data, key: await pinKey(pin, salt), salt: toBase64(salt) };
  upsert(await seal(token));
  return token;
}

/** Saves a changed token (a new event counter) under the key it was opened with. */
export async function saveToken(token: OpenToken): Promise<void> {
  upsert(await seal(token));
}

/** Opens a stored token with its PIN; the fifth wrong PIN in a row removes it. */
export async function openToken(serial: string, pin: string): Promise<OpenResult> {
  const record = readAll().find((r) => r.serial === serial);
  if (!record) return { ok: false, missing: true };
  const key = await pinKey(pin, fromBase64(record.salt));
  try {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(record.iv), additionalData: aad(serial) }, key, fromBase64(record.ciphertext));
    const data = JSON.parse(new TextDecoder().decode(plain)) as TokenData;
    if (record.failures !== 0) upsert({ ...record, failures: 0 });
    return { ok: true, token: { data, key, salt: record.salt } };
  } catch {
    // AES-GCM's tag check fails for a wrong PIN; re-read the record in case another tab changed it meanwhile.
    const current = readAll().find((r) => r.serial === serial) ?? record;
    const failures = (current.failures ?? 0) + 1;
    if (failures >= MAX_PIN_ATTEMPTS) {
      removeToken(serial);
      return { ok: false, attemptsLeft: 0, wiped: true };
    }
    upsert({ ...current, failures });
    return { ok: false, attemptsLeft: MAX_PIN_ATTEMPTS - failures, wiped: false };
  }
}
