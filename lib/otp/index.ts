import { ScureBase32Plugin, generateSync } from "otplib";
import { NodeCryptoPlugin } from "@otplib/plugin-crypto-node";
import { constantTimeEqual } from "../crypto/constant-time";
import { timeStepAt } from "./steps";

export { secondsLeftInStep, timeStepAt } from "./steps";

// HOTP (RFC 4226) and TOTP (RFC 6238) through otplib, plus the window searches a validator needs.
// Pure: no I/O, no environment. Secrets are raw bytes.

export type OtpAlgorithm = "SHA1" | "SHA256" | "SHA512";

const crypto = new NodeCryptoPlugin();
const otplibAlgorithm = { SHA1: "sha1", SHA256: "sha256", SHA512: "sha512" } as const;

export function hotp(secret: Uint8Array, counter: number, digits = 6, algorithm: OtpAlgorithm = "SHA1"): string {
  return generateSync({
    strategy: "hotp",
    secret,
    counter,
    digits: digits as 6 | 7 | 8,
    algorithm: otplibAlgorithm[algorithm],
    crypto,
  });
}


/** TOTP is HOTP over the time step; computing it that way keeps one code path for both modes. */
export function totp(
  secret: Uint8Array,
  timeSeconds: number,
  opts: { stepSeconds?: number; digits?: number; algorithm?: OtpAlgorithm } = {},
): string {
  return hotp(secret, timeStepAt(timeSeconds, opts.stepSeconds ?? 30), opts.digits ?? 6, opts.algorithm ?? "SHA1");
}


/**
 * First counter in [from, to] whose code equals `code`, or null.
 * Walks in the given order so that a TOTP search can try the expected step first.
 */
export function findCounter(
  secret: Uint8Array,
  code: string,
  counters: Iterable<number>,
  digits = 6,
  algorithm: OtpAlgorithm = "SHA1",
): number | null {
  if (code.length !== digits) return null;
  for (const c of counters) {
    if (c < 0) continue;
    if (constantTimeEqual(hotp(secret, c, digits, algorithm), code)) return c;
  }
  return null;
}

/** Counters from `from` to `to` inclusive, ascending. */
export function* range(from: number, to: number): Generator<number> {
  for (let c = from; c <= to; c++) yield c;
}

/** Steps around `center`, nearest first: center, center-1, center+1, center-2, … within ±radius. */
export function* nearestFirst(center: number, radius: number): Generator<number> {
  yield center;
  for (let d = 1; d <= radius; d++) {
    yield center - d;
    yield center + d;
  }
}

/** Steps at distance (inner, outer] from center, nearest first: the "outer window" ring. */
export function* ring(center: number, inner: number, outer: number): Generator<number> {
  for (let d = inner + 1; d <= outer; d++) {
    yield center - d;
    yield center + d;
  }
}

const base32 = new ScureBase32Plugin();

/** RFC 4648 base32 in upper case without padding, as authenticator apps expect in otpauth URIs. */
export function base32Encode(bytes: Uint8Array): string {
  return base32.encode(bytes);
}

/** Decodes a key as people type it: any case, in groups, with or without padding. */
export function base32Decode(text: string): Uint8Array {
  const bare = text.replace(/[\s=-]/g, "");
  const bad = /[^A-Za-z2-7]/.exec(bare);
  // Our sentence for a stray character; otplib's decoder reports a wrong length or padding itself.
  if (bad) throw new Error(`"${bad[0]}" is not a base32 character.`);
  return base32.decode(bare);
}

export interface OtpauthParams {
  mode: "time" | "event";
  issuer: string;
  account: string;
  secret: Uint8Array;
  digits: number;
  stepSeconds?: number;
  counter?: number;
  algorithm?: OtpAlgorithm;
}

/**
 * The Key URI Format of Google Authenticator: issuer and label URL-encoded, label "issuer:account".
 * Not otplib's generateURI, which leaves out algorithm, digits and period at their defaults; we always state them.
 */
export function otpauthUri(p: OtpauthParams): string {
  const type = p.mode === "time" ? "totp" : "hotp";
  const label = `${encodeURIComponent(p.issuer)}:${encodeURIComponent(p.account)}`;
  const q = new URLSearchParams({
    secret: base32Encode(p.secret),
    issuer: p.issuer,
    algorithm: p.algorithm ?? "SHA1",
    digits: String(p.digits),
  });
  if (p.mode === "time") q.set("period", String(p.stepSeconds ?? 30));
  else q.set("counter", String(p.counter ?? 0));
  return `otpauth://${type}/${label}?${q.toString().replace(/\+/g, "%20")}`;
}
