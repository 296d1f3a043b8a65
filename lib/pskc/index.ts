// RFC 6030 PSKC seed files. Pure: no I/O, no environment. Reading (parse.ts, decrypt.ts) runs on Web Crypto in
// Node and the browser alike; the browser imports decrypt.ts directly, since write.ts here uses node:crypto.

export { PskcError, type PskcErrorCode, type PskcLimitName } from "./errors";
export { parsePskc, MAX_PBKDF2_ITERATIONS, DEFAULT_PSKC_LIMITS, type PskcLimits } from "./parse";
export { readPskc, derivePskcKey, WRONG_ACTIVATION_KEY } from "./decrypt";
export { writePskc, DEFAULT_PBKDF2_ITERATIONS, type WritePskcParams } from "./write";
export type * from "./types";
