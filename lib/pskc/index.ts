import { decryptPskc } from "./decrypt";
import { parsePskc, type PskcLimits } from "./parse";
import type { PskcKey } from "./types";

// RFC 6030 PSKC seed files. Pure: no I/O, no environment. Parsing (parse.ts) needs no crypto, so a browser
// reader can pair it with Web Crypto; decrypt.ts and write.ts use node:crypto.

export { PskcError, type PskcErrorCode, type PskcLimitName } from "./errors";
export { parsePskc, MAX_PBKDF2_ITERATIONS, DEFAULT_PSKC_LIMITS, type PskcLimits } from "./parse";
export { decryptPskc } from "./decrypt";
export { writePskc, DEFAULT_PBKDF2_ITERATIONS, type WritePskcParams } from "./write";
export type * from "./types";

/** Every key in a PSKC file, decrypted with `password` (ignored for files with plain values). Throws PskcError. */
export function readPskc(xml: string, password: string, limits?: PskcLimits): PskcKey[] {
  return decryptPskc(parsePskc(xml, limits), password);
}
