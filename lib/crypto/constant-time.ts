import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// Node only (node:crypto): the portal's server code and the simulator import this, never a client
// component. Browser code compares MACs with WebCrypto's subtle.verify instead.

// Comparing keyed digests rather than the inputs: equal length always, so nothing throws and the
// time does not depend on where the inputs first differ or (beyond hashing them) on their lengths.
const KEY = randomBytes(32);
const digest = (v: string | Uint8Array) => createHmac("sha256", KEY).update(v).digest();

/** Whether two secrets (passcodes, keys, MACs, hashes) are equal, in time that does not reveal how close they are. Strings compare as UTF-8. */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  if ((typeof a !== "string" && !(a instanceof Uint8Array)) || (typeof b !== "string" && !(b instanceof Uint8Array))) return false;
  return timingSafeEqual(digest(a), digest(b));
}
