import type { HashName } from "./uris";

/** One key read from a PSKC file, secret in the clear. */
export interface PskcKey {
  /** DeviceInfo/SerialNo, or Key/@Id when the package has no serial number. */
  serial: string;
  manufacturer?: string;
  algorithm: "totp" | "hotp";
  algorithmUri: string;
  digits: number;
  encoding: string;
  timeStepSeconds?: number;
  counter?: number;
  time?: number;
  userId?: string;
  issuer?: string;
  keyId: string;
  secret: Uint8Array;
}

// The parsed file keeps binary values as base64 text so that parsing needs neither node:crypto nor Web Crypto.

export interface ParsedEncryptedValue {
  algorithmUri: string;
  /** AES key length in bytes that the algorithm needs. */
  keyLength: number;
  /** IV followed by the ciphertext. */
  cipherB64: string;
}

/** A Data child (Secret, Counter, Time, TimeInterval): a plain value or an encrypted one with its MAC. */
export interface ParsedValue {
  /** Base64 for Secret, decimal digits for the integer values. */
  plain?: string;
  encrypted?: ParsedEncryptedValue;
  macB64?: string;
}

export interface ParsedDerivedKey {
  saltB64: string;
  iterations: number;
  keyLength: number;
  prf: HashName;
  masterKeyName?: string;
}

export interface ParsedMacMethod {
  algorithmUri: string;
  hash: HashName;
  /** The MAC key encrypted under the container key; absent means the container key itself is the MAC key. */
  key?: ParsedEncryptedValue;
}

export interface ParsedKeyPackage {
  serial: string;
  manufacturer?: string;
  keyId: string;
  algorithm: "totp" | "hotp";
  algorithmUri: string;
  digits: number;
  encoding: string;
  issuer?: string;
  userId?: string;
  secret: ParsedValue;
  counter?: ParsedValue;
  time?: ParsedValue;
  timeInterval?: ParsedValue;
}

export interface ParsedPskc {
  derivedKey?: ParsedDerivedKey;
  macMethod?: ParsedMacMethod;
  packages: ParsedKeyPackage[];
}
