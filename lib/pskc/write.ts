import { createCipheriv, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { AES128_CBC_URI, HMAC_SHA1_URI, NS, OTP_ALGORITHM_URIS, PBKDF2_URI } from "./uris";

/**
 * PBKDF2 iterations when the caller gives none. Activation keys are 16 random letters and digits (~95 bits),
 * so the work factor is not what protects them; 10 000 keeps bulk provisioning and in-browser decryption quick
 * while still slowing guesses at a weaker, human-chosen import password.
 */
export const DEFAULT_PBKDF2_ITERATIONS = 10_000;

export interface WritePskcParams {
  serial: string;
  algorithm: "totp" | "hotp";
  digits: number;
  /** TOTP only; default 30. */
  timeStepSeconds?: number;
  /** HOTP only; default 0. */
  counter?: number;
  userId?: string;
  issuer?: string;
  /** Default "SafeNet". */
  manufacturer?: string;
  secret: Uint8Array;
  /** The activation key the secret is encrypted under. */
  password: string;
  iterations?: number;
  /** A label for the password, written to DerivedKey/MasterKeyName. */
  masterKeyName?: string;
}

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

/** AES-128-CBC with a random IV, returned as IV || ciphertext as RFC 6030 stores it. */
function aesCbcEncrypt(plain: Uint8Array, key: Buffer): Buffer {
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-128-cbc", key, iv);
  return Buffer.concat([iv, cipher.update(plain), cipher.final()]);
}

function check(p: WritePskcParams, iterations: number): void {
  const fail = (m: string) => {
    throw new RangeError(`writePskc: ${m}`);
  };
  if (!p.serial.trim()) fail("serial must not be empty.");
  if (p.algorithm !== "totp" && p.algorithm !== "hotp") fail('algorithm must be "totp" or "hotp".');
  if (!Number.isInteger(p.digits) || p.digits < 6 || p.digits > 10) fail("digits must be a whole number from 6 to 10.");
  if (p.secret.length === 0) fail("secret must not be empty.");
  if (p.password === "") fail("password must not be empty.");
  if (!Number.isSafeInteger(iterations) || iterations < 1) fail("iterations must be a positive whole number.");
  if (p.timeStepSeconds !== undefined && (!Number.isSafeInteger(p.timeStepSeconds) || p.timeStepSeconds < 1)) {
    fail("timeStepSeconds must be a positive whole number.");
  }
  if (p.counter !== undefined && (!Number.isSafeInteger(p.counter) || p.counter < 0)) fail("counter must be a whole number of at least 0.");
}

const plainValue = (name: string, value: number) =>
  `        <pskc:${name}>\n          <pskc:PlainValue>${value}</pskc:PlainValue>\n        </pskc:${name}>`;

/**
 * One KeyPackage in the RFC 6030 Figure 7 profile: key from PBKDF2-HMAC-SHA1, secret under AES-128-CBC,
 * HMAC-SHA1 ValueMAC under a random MAC key that is itself encrypted under the derived key.
 */
export function writePskc(p: WritePskcParams): string {
  const iterations = p.iterations ?? DEFAULT_PBKDF2_ITERATIONS;
  check(p, iterations);
  const salt = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(p.password, "utf8"), salt, iterations, 16, "sha1");
  const macKey = randomBytes(20);
  const encryptedSecret = aesCbcEncrypt(p.secret, key);
  const encryptedMacKey = aesCbcEncrypt(macKey, key);
  const valueMac = createHmac("sha1", macKey).update(encryptedSecret).digest();

  const serial = esc(p.serial);
  const optional = (name: string, value: string | undefined, indent: string) =>
    value ? `\n${indent}<pskc:${name}>${esc(value)}</pskc:${name}>` : "";
  const counterOrTime =
    p.algorithm === "totp"
      ? `${plainValue("Time", 0)}\n${plainValue("TimeInterval", p.timeStepSeconds ?? 30)}`
      : plainValue("Counter", p.counter ?? 0);

  return `<?xml version="1.0" encoding="UTF-8"?>
<pskc:KeyContainer xmlns:pskc="${NS.pskc}" xmlns:xenc11="${NS.xenc11}"
  xmlns:pkcs5="${NS.pkcs5}" xmlns:xenc="${NS.xenc}" Version="1.0">
  <pskc:EncryptionKey>
    <xenc11:DerivedKey>
      <xenc11:KeyDerivationMethod Algorithm="${PBKDF2_URI}">
        <pkcs5:PBKDF2-params>
          <Salt>
            <Specified>${salt.toString("base64")}</Specified>
          </Salt>
          <IterationCount>${iterations}</IterationCount>
          <KeyLength>16</KeyLength>
          <PRF/>
        </pkcs5:PBKDF2-params>
      </xenc11:KeyDerivationMethod>
      <xenc:ReferenceList>
        <xenc:DataReference URI="#ED"/>
      </xenc:ReferenceList>${p.masterKeyName ? `\n      <xenc11:MasterKeyName>${esc(p.masterKeyName)}</xenc11:MasterKeyName>` : ""}
    </xenc11:DerivedKey>
  </pskc:EncryptionKey>
  <pskc:MACMethod Algorithm="${HMAC_SHA1_URI}">
    <pskc:MACKey>
      <xenc:EncryptionMethod Algorithm="${AES128_CBC_URI}"/>
      <xenc:CipherData>
        <xenc:CipherValue>${encryptedMacKey.toString("base64")}</xenc:CipherValue>
      </xenc:CipherData>
    </pskc:MACKey>
  </pskc:MACMethod>
  <pskc:KeyPackage>
    <pskc:DeviceInfo>
      <pskc:Manufacturer>${esc(p.manufacturer ?? "SafeNet")}</pskc:Manufacturer>
      <pskc:SerialNo>${serial}</pskc:SerialNo>
    </pskc:DeviceInfo>
    <pskc:Key Algorithm="${OTP_ALGORITHM_URIS[p.algorithm]}" Id="${serial}">${optional("Issuer", p.issuer, "      ")}
      <pskc:AlgorithmParameters>
        <pskc:ResponseFormat Length="${p.digits}" Encoding="DECIMAL"/>
      </pskc:AlgorithmParameters>
      <pskc:Data>
        <pskc:Secret>
          <pskc:EncryptedValue Id="ED">
            <xenc:EncryptionMethod Algorithm="${AES128_CBC_URI}"/>
            <xenc:CipherData>
              <xenc:CipherValue>${encryptedSecret.toString("base64")}</xenc:CipherValue>
            </xenc:CipherData>
          </pskc:EncryptedValue>
          <pskc:ValueMAC>${valueMac.toString("base64")}</pskc:ValueMAC>
        </pskc:Secret>
${counterOrTime}
      </pskc:Data>${optional("UserId", p.userId, "      ")}
    </pskc:Key>
  </pskc:KeyPackage>
</pskc:KeyContainer>
`;
}
