import crypto from "node:crypto";
import type { Result } from "../net/ip";

// RADIUS packets (RFC 2865 §3), PAP passwords (§5.2) and Message-Authenticator (RFC 3579 §3.2).
// Parsing never throws: every malformed datagram is an error value, so the server can drop it.

export const CODE = { accessRequest: 1, accessAccept: 2, accessReject: 3, accessChallenge: 11 } as const;

export const ATTR = {
  userName: 1,
  userPassword: 2,
  chapPassword: 3,
  nasIpAddress: 4,
  replyMessage: 18,
  state: 24,
  callingStationId: 31,
  nasIdentifier: 32,
  proxyState: 33,
  eapMessage: 79,
  messageAuthenticator: 80,
  nasIpv6Address: 95,
} as const;

export const MIN_LENGTH = 20;
export const MAX_LENGTH = 4096;
const HEADER = 20;
const AUTH_AT = 4;
const MAX_VALUE = 253;

export interface Attribute {
  type: number;
  value: Buffer;
}

export interface Packet {
  code: number;
  identifier: number;
  authenticator: Buffer;
  attributes: Attribute[];
  /** The packet's own octets (up to its Length field), as they arrived. */
  raw: Buffer;
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(error: string): Result<T> => ({ ok: false, error });

/** RFC 2865 §3: Length 20..4096 and no longer than the datagram; octets past Length are padding. */
export function parsePacket(datagram: Uint8Array): Result<Packet> {
  if (datagram.length < MIN_LENGTH) return fail(`datagram of ${datagram.length} octets is shorter than a RADIUS header`);
  const buf = Buffer.from(datagram.buffer, datagram.byteOffset, datagram.length);
  const length = buf.readUInt16BE(2);
  if (length < MIN_LENGTH || length > MAX_LENGTH) return fail(`Length field ${length} is outside 20..4096`);
  if (length > buf.length) return fail(`Length field ${length} is longer than the datagram (${buf.length})`);
  const raw = Buffer.from(buf.subarray(0, length));
  const attributes: Attribute[] = [];
  for (let at = HEADER; at < length; ) {
    if (at + 2 > length) return fail(`attribute header at ${at} runs past the packet`);
    const type = raw[at];
    const len = raw[at + 1];
    if (len < 2) return fail(`attribute ${type} has length ${len}`);
    if (at + len > length) return fail(`attribute ${type} runs past the packet`);
    attributes.push({ type, value: raw.subarray(at + 2, at + len) });
    at += len;
  }
  return ok({ code: raw[0], identifier: raw[1], authenticator: raw.subarray(AUTH_AT, HEADER), attributes, raw });
}

export const valuesOf = (p: Pick<Packet, "attributes">, type: number) => p.attributes.filter((a) => a.type === type).map((a) => a.value);

const md5 = (...parts: Uint8Array[]) => {
  const h = crypto.createHash("md5");
  for (const part of parts) h.update(part);
  return h.digest();
};
const hmacMd5 = (secret: string, data: Uint8Array) => crypto.createHmac("md5", secret).update(data).digest();

const equal = (a: Buffer, b: Buffer) => a.length === b.length && crypto.timingSafeEqual(a, b);

/** The octets of `raw` with the (single) Message-Authenticator value zeroed and, when given, the authenticator replaced. */
function forMessageAuthenticator(p: Packet, authenticator?: Buffer): Buffer {
  const copy = Buffer.from(p.raw);
  if (authenticator) authenticator.copy(copy, AUTH_AT);
  for (const a of p.attributes) {
    if (a.type !== ATTR.messageAuthenticator) continue;
    const at = a.value.byteOffset - p.raw.byteOffset; // values are views into raw
    copy.fill(0, at, at + a.value.length);
  }
  return copy;
}

/**
 * RFC 3579 §3.2: HMAC-MD5 over the packet with the Message-Authenticator zeroed. `requestAuthenticator` is
 * given for responses (which are signed over their request's authenticator); requests use their own.
 * Absent → "absent"; more than one, a wrong length or a wrong value → "bad".
 */
export function checkMessageAuthenticator(p: Packet, secret: string, requestAuthenticator?: Buffer): "absent" | "good" | "bad" {
  const values = valuesOf(p, ATTR.messageAuthenticator);
  if (values.length === 0) return "absent";
  if (values.length > 1 || values[0].length !== 16) return "bad";
  return equal(hmacMd5(secret, forMessageAuthenticator(p, requestAuthenticator)), Buffer.from(values[0])) ? "good" : "bad";
}

/** RFC 2865 §5.2: 16..128 octets in 16-octet blocks, each XORed with MD5(secret + previous block). */
function cryptBlocks(input: Buffer, secret: string, authenticator: Buffer, decrypt: boolean): Buffer {
  const out = Buffer.alloc(input.length);
  let previous: Buffer = authenticator;
  for (let at = 0; at < input.length; at += 16) {
    const pad = md5(Buffer.from(secret), previous);
    for (let i = 0; i < 16; i++) out[at + i] = input[at + i] ^ pad[i];
    previous = (decrypt ? input : out).subarray(at, at + 16);
  }
  return out;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The PAP password. Its padding must be zeros (RFC 2865 §5.2) and its text UTF-8: a packet hidden with
 * another secret decodes to noise and fails one or the other, nearly always.
 */
export function decodeUserPassword(value: Buffer, secret: string, authenticator: Buffer): Result<string> {
  if (value.length < 16 || value.length > 128 || value.length % 16 !== 0) return fail(`User-Password of ${value.length} octets is not 16..128 in 16-octet blocks`);
  const plain = cryptBlocks(value, secret, authenticator, true);
  const end = plain.indexOf(0);
  const text = end < 0 ? plain : plain.subarray(0, end);
  if (end >= 0 && plain.subarray(end).some((b) => b !== 0)) return fail("User-Password padding is not zeros (another shared secret?)");
  try {
    return ok(utf8.decode(text));
  } catch {
    return fail("User-Password is not UTF-8 text (another shared secret?)");
  }
}

export function encodeUserPassword(password: string, secret: string, authenticator: Buffer): Buffer {
  const text = Buffer.from(password, "utf8");
  const padded = Buffer.alloc(Math.max(16, Math.ceil(text.length / 16) * 16));
  text.copy(padded);
  if (padded.length > 128) throw new RangeError("A PAP password has at most 128 octets.");
  return cryptBlocks(padded, secret, authenticator, false);
}

/** A text split into attribute-sized pieces (RFC 2865 §5.18: several Reply-Messages are read as one). */
export function textAttributes(type: number, text: string): Attribute[] {
  const bytes = Buffer.from(text, "utf8");
  const out: Attribute[] = [];
  for (let at = 0; at < bytes.length; ) {
    let end = Math.min(at + MAX_VALUE, bytes.length);
    while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--; // never split a UTF-8 sequence
    out.push({ type, value: bytes.subarray(at, end) });
    at = end;
  }
  return out;
}

function assemble(code: number, identifier: number, authenticator: Buffer, attributes: Attribute[]): { packet: Buffer; maAt: number } {
  const parts: Buffer[] = [];
  let maAt = -1;
  let length = HEADER;
  for (const a of attributes) {
    if (a.value.length > MAX_VALUE) throw new RangeError(`Attribute ${a.type} is longer than ${MAX_VALUE} octets.`);
    if (a.type === ATTR.messageAuthenticator && maAt < 0) maAt = length + 2;
    parts.push(Buffer.from([a.type, a.value.length + 2]), a.value);
    length += a.value.length + 2;
  }
  if (length > MAX_LENGTH) throw new RangeError(`A RADIUS packet has at most ${MAX_LENGTH} octets.`);
  const head = Buffer.alloc(HEADER);
  head[0] = code;
  head[1] = identifier;
  head.writeUInt16BE(length, 2);
  authenticator.copy(head, AUTH_AT);
  return { packet: Buffer.concat([head, ...parts]), maAt };
}

const zeroMa = (): Attribute => ({ type: ATTR.messageAuthenticator, value: Buffer.alloc(16) });

export interface ResponseInput {
  code: number;
  request: Pick<Packet, "identifier" | "authenticator" | "attributes">;
  attributes: Attribute[];
  secret: string;
}

/**
 * A response to `request`: Message-Authenticator first (the BlastRADIUS mitigation: an attacker cannot
 * put chosen octets before it), then `attributes`, then the request's Proxy-States in order (§5.33).
 * MA = HMAC-MD5 over the packet with the request's authenticator; then Response Authenticator =
 * MD5(Code+ID+Length+RequestAuth+Attributes+Secret) (§3).
 */
export function encodeResponse(r: ResponseInput): Buffer {
  const proxyStates = r.request.attributes.filter((a) => a.type === ATTR.proxyState);
  const attrs = [zeroMa(), ...r.attributes.filter((a) => a.type !== ATTR.messageAuthenticator), ...proxyStates];
  const { packet, maAt } = assemble(r.code, r.request.identifier, r.request.authenticator, attrs);
  hmacMd5(r.secret, packet).copy(packet, maAt);
  md5(packet, Buffer.from(r.secret)).copy(packet, AUTH_AT);
  return packet;
}

export interface RequestInput {
  identifier: number;
  secret: string;
  attributes: Attribute[];
  /** Sent first when true (what FreeRADIUS's clients do with `Message-Authenticator = 0x00`). */
  messageAuthenticator?: boolean;
  authenticator?: Buffer;
}

/** An Access-Request (for tests and health checks): random authenticator, MA computed over it. */
export function encodeAccessRequest(r: RequestInput): Buffer {
  const authenticator = r.authenticator ?? crypto.randomBytes(16);
  const attrs = r.messageAuthenticator ? [zeroMa(), ...r.attributes] : r.attributes;
  const { packet, maAt } = assemble(CODE.accessRequest, r.identifier, authenticator, attrs);
  if (r.messageAuthenticator) hmacMd5(r.secret, packet).copy(packet, maAt);
  return packet;
}

/** A response checked against its request: Response Authenticator, and Message-Authenticator when present. */
export function verifyResponse(response: Packet, request: Pick<Packet, "identifier" | "authenticator">, secret: string): boolean {
  if (response.identifier !== request.identifier) return false;
  const withRequestAuth = Buffer.from(response.raw);
  request.authenticator.copy(withRequestAuth, AUTH_AT);
  if (!equal(md5(withRequestAuth, Buffer.from(secret)), Buffer.from(response.authenticator))) return false;
  return checkMessageAuthenticator(response, secret, request.authenticator) !== "bad";
}
