import { malformed, overLimit, unsupported } from "./errors";
import { CIPHER_URIS, HMAC_SHA1_URI, HMAC_URIS, PBKDF2_URI, otpAlgorithmOf } from "./uris";
import type {
  ParsedDerivedKey,
  ParsedEncryptedValue,
  ParsedKeyPackage,
  ParsedMacMethod,
  ParsedPskc,
  ParsedValue,
} from "./types";
import { attr, child, children, childText, parseXml, requireChild, textOf, type XmlNode } from "./xml-tree";

// RFC 6030 parsing without any cryptography, so that the browser can reuse it with Web Crypto.

/** PBKDF2 work a reader agrees to do; a hostile file could otherwise hang the page or the server. */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;

/** Work a reader agrees to do for one file; a server sets tighter caps than a person's own browser. */
export interface PskcLimits {
  /** Length of the XML text in characters. */
  maxChars: number;
  maxPackages: number;
  maxIterations: number;
}

export const DEFAULT_PSKC_LIMITS: PskcLimits = { maxChars: 64 * 1024 * 1024, maxPackages: 100_000, maxIterations: MAX_PBKDF2_ITERATIONS };

// Counted before the XML is parsed, so that an oversized batch is refused without parsing it.
const KEY_PACKAGE_TAG = /<(?:[A-Za-z_][\w.-]*:)?KeyPackage[\s>/]/g;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const FIX = "Use the file exactly as it was issued.";

/** Base64 text with the whitespace that pretty-printed PSKC files carry removed; throws when it is not base64. */
export function cleanBase64(value: string | undefined, what: string): string {
  const clean = (value ?? "").replace(/\s+/g, "");
  if (clean === "" || !BASE64.test(clean)) throw malformed(`${what} is not valid base64. ${FIX}`);
  return clean;
}

export function base64ByteLength(b64: string): number {
  return (b64.length / 4) * 3 - (b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0);
}

function positiveInt(text: string | undefined, what: string): number {
  const n = Number(text);
  if (!text || !/^\d+$/.test(text) || !Number.isSafeInteger(n) || n <= 0) {
    throw malformed(`${what} must be a positive whole number. ${FIX}`);
  }
  return n;
}

function encryptedValue(node: XmlNode, where: string): ParsedEncryptedValue {
  const algorithmUri = attr(requireChild(node, "EncryptionMethod", where), "Algorithm") ?? "";
  const keyLength = CIPHER_URIS[algorithmUri];
  if (!keyLength) {
    throw unsupported(`${where} is encrypted with "${algorithmUri || "no algorithm"}"; only AES-CBC (aes128-cbc, aes192-cbc, aes256-cbc) is supported. Ask the issuer to export with AES-128-CBC.`);
  }
  const cipherData = requireChild(node, "CipherData", where);
  const cipherB64 = cleanBase64(childText(cipherData, "CipherValue", where), `The CipherValue of ${where}`);
  const bytes = base64ByteLength(cipherB64);
  if (bytes < 32 || bytes % 16 !== 0) throw malformed(`The CipherValue of ${where} is not an IV followed by whole AES blocks. ${FIX}`);
  return { algorithmUri, keyLength, cipherB64 };
}

function dataValue(data: XmlNode, name: string, where: string, kind: "binary" | "integer"): ParsedValue | undefined {
  const node = child(data, name, where);
  if (!node) return undefined;
  const w = `the ${name} of ${where}`;
  const plainNode = child(node, "PlainValue", w);
  const encNode = child(node, "EncryptedValue", w);
  const macText = childText(node, "ValueMAC", w);
  const macB64 = macText === undefined ? undefined : cleanBase64(macText, `The ValueMAC of ${w}`);
  if (plainNode && encNode) throw malformed(`${w} has both a PlainValue and an EncryptedValue. ${FIX}`);
  if (encNode) return { encrypted: encryptedValue(encNode, w), macB64 };
  if (!plainNode) throw malformed(`${w} has neither a PlainValue nor an EncryptedValue. Ask the issuer for a complete seed file.`);
  const text = textOf(plainNode) ?? "";
  if (kind === "binary") return { plain: cleanBase64(text, `The PlainValue of ${w}`) };
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw malformed(`${w} must be a whole number. ${FIX}`);
  return { plain: text };
}

function keyPackage(pkg: XmlNode, index: number, total: number): ParsedKeyPackage {
  const label = total > 1 ? `Key package ${index + 1}` : "The key package";
  const device = child(pkg, "DeviceInfo", label);
  const key = requireChild(pkg, "Key", label);
  const keyId = attr(key, "Id") ?? "";
  const serialNo = childText(device, "SerialNo", label);
  const serial = serialNo || keyId;
  if (!serial) throw malformed(`${label} has neither a DeviceInfo/SerialNo nor a Key Id. Ask the issuer for a complete seed file.`);
  const where = `token ${serial}`;

  const algorithmUri = attr(key, "Algorithm") ?? "";
  const algorithm = otpAlgorithmOf(algorithmUri);
  if (!algorithm) {
    throw unsupported(`Token ${serial} uses the algorithm "${algorithmUri || "(none)"}"; only HOTP and TOTP tokens are supported.`);
  }
  const format = requireChild(requireChild(key, "AlgorithmParameters", where), "ResponseFormat", where);
  const digits = positiveInt(attr(format, "Length"), `The ResponseFormat Length of token ${serial}`);
  const encoding = attr(format, "Encoding") ?? "";
  if (encoding.toUpperCase() !== "DECIMAL") throw unsupported(`Token ${serial} uses ${encoding || "no"} response encoding; only DECIMAL passcodes are supported.`);
  if (digits < 6 || digits > 10) throw unsupported(`Token ${serial} has ${digits}-digit passcodes; only 6 to 10 digits are supported.`);

  const data = requireChild(key, "Data", where);
  const secret = dataValue(data, "Secret", where, "binary");
  if (!secret) throw malformed(`Token ${serial} has no Secret. Ask the issuer for a complete seed file.`);
  return {
    serial,
    manufacturer: childText(device, "Manufacturer", label) || undefined,
    keyId: keyId || serial,
    algorithm,
    algorithmUri,
    digits,
    encoding: "DECIMAL",
    issuer: childText(key, "Issuer", where) || undefined,
    // RFC 6030 puts UserId in Key; DeviceInfo may carry one too.
    userId: childText(key, "UserId", where) || childText(device, "UserId", label) || undefined,
    secret,
    counter: dataValue(data, "Counter", where, "integer"),
    time: dataValue(data, "Time", where, "integer"),
    timeInterval: dataValue(data, "TimeInterval", where, "integer"),
  };
}

function derivedKey(container: XmlNode, maxIterations: number): ParsedDerivedKey | undefined {
  const encKey = child(container, "EncryptionKey", "The key container");
  if (!encKey) return undefined;
  const derived = child(encKey, "DerivedKey", "EncryptionKey");
  if (!derived) {
    throw unsupported("The seed file is encrypted with a pre-shared or public key; only password-protected (PBKDF2) seed files are supported. Ask the issuer for a password-protected export.");
  }
  const method = requireChild(derived, "KeyDerivationMethod", "DerivedKey");
  const methodUri = attr(method, "Algorithm") ?? "";
  if (methodUri !== PBKDF2_URI) throw unsupported(`The seed file derives its key with "${methodUri || "(none)"}"; only PBKDF2 is supported.`);
  const params = requireChild(method, "PBKDF2-params", "KeyDerivationMethod");
  const salt = requireChild(params, "Salt", "PBKDF2-params");
  const specified = child(salt, "Specified", "Salt");
  if (!specified) throw unsupported("The PBKDF2 salt is not given in the file (Salt/Specified); other salt sources are not supported.");
  const iterations = positiveInt(childText(params, "IterationCount", "PBKDF2-params"), "The PBKDF2 IterationCount");
  if (iterations > maxIterations) {
    throw overLimit("maxIterations", maxIterations, `The seed file asks for ${iterations} PBKDF2 iterations; at most ${maxIterations} are accepted here.`);
  }
  const keyLengthText = childText(params, "KeyLength", "PBKDF2-params");
  const prfNode = child(params, "PRF", "PBKDF2-params");
  // An empty <PRF/>, as in RFC 6030 Figure 7, means the schema default HMAC-SHA1.
  const prfUri = attr(prfNode, "Algorithm") || HMAC_SHA1_URI;
  const prf = HMAC_URIS[prfUri];
  if (!prf) throw unsupported(`The PBKDF2 PRF "${prfUri}" is not supported; use HMAC-SHA1 or HMAC-SHA256.`);
  return {
    saltB64: cleanBase64(textOf(specified), "The PBKDF2 salt"),
    iterations,
    keyLength: keyLengthText === undefined ? 0 : positiveInt(keyLengthText, "The PBKDF2 KeyLength"),
    prf,
    masterKeyName: childText(derived, "MasterKeyName", "DerivedKey") || undefined,
  };
}

function macMethod(container: XmlNode): ParsedMacMethod | undefined {
  const node = child(container, "MACMethod", "The key container");
  if (!node) return undefined;
  const algorithmUri = attr(node, "Algorithm") ?? "";
  const hash = HMAC_URIS[algorithmUri];
  if (!hash) throw unsupported(`The seed file's MAC algorithm "${algorithmUri || "(none)"}" is not supported; use HMAC-SHA1.`);
  const keyNode = child(node, "MACKey", "MACMethod");
  return { algorithmUri, hash, key: keyNode ? encryptedValue(keyNode, "the MAC key") : undefined };
}

function encryptedValues(pkg: ParsedKeyPackage): ParsedValue[] {
  return [pkg.secret, pkg.counter, pkg.time, pkg.timeInterval].filter((v): v is ParsedValue => !!v?.encrypted);
}

/** Checks that span elements: what the encrypted values need from the container. Fills in a missing KeyLength. */
function checkEncryption(parsed: ParsedPskc): void {
  const values = parsed.packages.flatMap(encryptedValues);
  const ciphers = values.map((v) => v.encrypted!);
  if (parsed.macMethod?.key) ciphers.push(parsed.macMethod.key);
  if (ciphers.length === 0) return;
  const dk = parsed.derivedKey;
  if (!dk) throw malformed(`The seed file has encrypted values but no EncryptionKey saying how to derive the key. ${FIX}`);
  if (dk.keyLength === 0) dk.keyLength = ciphers[0].keyLength;
  for (const c of ciphers) {
    if (c.keyLength !== dk.keyLength) {
      throw malformed(`The PBKDF2 KeyLength (${dk.keyLength} bytes) does not fit the cipher ${c.algorithmUri}. ${FIX}`);
    }
  }
  // RFC 6030 §6.1.1: AES-CBC gives no integrity, so every encrypted value must carry a ValueMAC.
  if (values.some((v) => !v.macB64)) {
    throw malformed("An encrypted value in the seed file has no ValueMAC, so it cannot be checked for tampering. Ask the issuer for a new seed file.");
  }
  if (values.length > 0 && !parsed.macMethod) throw malformed(`The seed file has ValueMACs but no MACMethod. ${FIX}`);
}

/** Parses an RFC 6030 KeyContainer. Binary values stay base64; nothing is decrypted. */
export function parsePskc(xml: string, limits: PskcLimits = DEFAULT_PSKC_LIMITS): ParsedPskc {
  if (typeof xml === "string" && xml.length > limits.maxChars) {
    throw overLimit("maxChars", limits.maxChars, `The seed file has ${xml.length} characters; at most ${limits.maxChars} are accepted here. Split it into smaller files.`);
  }
  const tags = typeof xml === "string" ? (xml.match(KEY_PACKAGE_TAG)?.length ?? 0) : 0;
  if (tags > limits.maxPackages) {
    throw overLimit("maxPackages", limits.maxPackages, `The seed file holds ${tags} key packages; at most ${limits.maxPackages} are accepted in one file. Split it into smaller files.`);
  }
  const root = parseXml(xml);
  const container = root.KeyContainer;
  if (typeof container !== "object" || container === null || Array.isArray(container)) {
    throw malformed("The file is XML but not a PSKC seed file (no KeyContainer element). Choose the .pskc file from the activation email.");
  }
  const node = container as XmlNode;
  const packageNodes = children(node, "KeyPackage");
  if (packageNodes.length === 0) throw malformed("The seed file holds no KeyPackage. Ask the issuer for a new seed file.");
  if (packageNodes.length > limits.maxPackages) {
    throw overLimit("maxPackages", limits.maxPackages, `The seed file holds ${packageNodes.length} key packages; at most ${limits.maxPackages} are accepted in one file. Split it into smaller files.`);
  }
  const parsed: ParsedPskc = {
    derivedKey: derivedKey(node, limits.maxIterations),
    macMethod: macMethod(node),
    packages: packageNodes.map((p, i) => keyPackage(p, i, packageNodes.length)),
  };
  checkEncryption(parsed);
  return parsed;
}
