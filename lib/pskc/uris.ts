// Namespaces and algorithm identifiers of RFC 6030 and the specifications it builds on.

export const NS = {
  pskc: "urn:ietf:params:xml:ns:keyprov:pskc",
  xenc: "http://www.w3.org/2001/04/xmlenc#",
  xenc11: "http://www.w3.org/2009/xmlenc11#",
  pkcs5: "http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#",
} as const;

export const PBKDF2_URI = `${NS.pkcs5}pbkdf2`;

export type HashName = "sha1" | "sha256" | "sha384" | "sha512";

/** HMAC algorithms, usable both as the PBKDF2 PRF and as the value MAC. */
export const HMAC_URIS: Record<string, HashName> = {
  "http://www.w3.org/2000/09/xmldsig#hmac-sha1": "sha1",
  "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256": "sha256",
  "http://www.w3.org/2001/04/xmldsig-more#hmac-sha384": "sha384",
  "http://www.w3.org/2001/04/xmldsig-more#hmac-sha512": "sha512",
};
export const HMAC_SHA1_URI = "http://www.w3.org/2000/09/xmldsig#hmac-sha1";

/** Byte length of a hash's output, the natural length of an HMAC key for it. */
export const HASH_LENGTH: Record<HashName, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/** AES-CBC variants by key length in bytes. */
export const CIPHER_URIS: Record<string, number> = {
  [`${NS.xenc}aes128-cbc`]: 16,
  [`${NS.xenc}aes192-cbc`]: 24,
  [`${NS.xenc}aes256-cbc`]: 32,
};
export const AES128_CBC_URI = `${NS.xenc}aes128-cbc`;

export const OTP_ALGORITHM_URIS = {
  hotp: "urn:ietf:params:xml:ns:keyprov:pskc:hotp",
  totp: "urn:ietf:params:xml:ns:keyprov:pskc:totp",
} as const;

/** Drafts of RFC 6030 wrote `pskc#hotp`; such files are still around. */
export function otpAlgorithmOf(uri: string): "hotp" | "totp" | null {
  const m = /^urn:ietf:params:xml:ns:keyprov:pskc[:#](hotp|totp)$/i.exec(uri.trim());
  return m ? (m[1].toLowerCase() as "hotp" | "totp") : null;
}
