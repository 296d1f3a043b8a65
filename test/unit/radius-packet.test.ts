import crypto from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ATTR,
  CODE,
  checkMessageAuthenticator,
  decodeUserPassword,
  encodeAccessRequest,
  encodeResponse,
  encodeUserPassword,
  parsePacket,
  textAttributes,
  valuesOf,
  verifyResponse,
  type Packet,
} from "../../lib/radius/packet";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
const SECRET = "xyzzy5461"; // RFC 2865 §7's shared secret

// RFC 2865 §7.1, "User Telnet to Specified Host": nemo / arctangent from NAS 192.168.1.16 port 3.
const RFC_REQUEST = hex(`01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be 70 8d
  93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8 01 10 05 06 00 00 00 03`);
const RFC_ACCEPT = hex(`02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2 06 06 00 00 00 01 0f 06 00 00 00 00
  0e 06 c0 a8 01 03`);
// The same request sent by FreeRADIUS 3.2.1's radclient with `Message-Authenticator = 0x00` and the
// secret xyzzy5461 (captured from the wire): an RFC 3579 Message-Authenticator computed by another implementation.
const RADCLIENT_REQUEST = hex(`01c7004ad96c31343e62567cb55301971beef3f101066e656d6f021292d6e27ccb0db821e34daccf894d6a6d0406c0a80110
  0506000000035012771cc36d4791c18b9d6b5c82bf55080e`);

function parsed(b: Buffer): Packet {
  const r = parsePacket(b);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe("RFC 2865 §7.1 example", () => {
  it("parses the Access-Request and decodes nemo's password", () => {
    const p = parsed(RFC_REQUEST);
    expect(p).toMatchObject({ code: 1, identifier: 0 });
    expect(p.attributes.map((a) => a.type)).toEqual([ATTR.userName, ATTR.userPassword, ATTR.nasIpAddress, 5]);
    expect(valuesOf(p, ATTR.userName)[0].toString()).toBe("nemo");
    expect(decodeUserPassword(valuesOf(p, ATTR.userPassword)[0], SECRET, p.authenticator)).toEqual({ ok: true, value: "arctangent" });
  });

  it("hides the password and builds the request octet for octet", () => {
    const p = parsed(RFC_REQUEST);
    expect(encodeUserPassword("arctangent", SECRET, p.authenticator)).toEqual(valuesOf(p, ATTR.userPassword)[0]);
    const again = encodeAccessRequest({ identifier: 0, secret: SECRET, authenticator: p.authenticator, attributes: p.attributes });
    expect(again).toEqual(RFC_REQUEST);
  });

  it("verifies the Access-Accept's Response Authenticator, and refuses it with another secret or a changed octet", () => {
    const request = parsed(RFC_REQUEST);
    expect(verifyResponse(parsed(RFC_ACCEPT), request, SECRET)).toBe(true);
    expect(verifyResponse(parsed(RFC_ACCEPT), request, "xyzzy5462")).toBe(false);
    const changed = Buffer.from(RFC_ACCEPT);
    changed[changed.length - 1] ^= 1;
    expect(verifyResponse(parsed(changed), request, SECRET)).toBe(false);
  });
});

describe("Message-Authenticator (RFC 3579 §3.2)", () => {
  it("accepts the one FreeRADIUS's radclient computed, and reads its password", () => {
    const p = parsed(RADCLIENT_REQUEST);
    expect(checkMessageAuthenticator(p, SECRET)).toBe("good");
    expect(decodeUserPassword(valuesOf(p, ATTR.userPassword)[0], SECRET, p.authenticator)).toEqual({ ok: true, value: "arctangent" });
  });

  it("refuses it under another secret and after any one octet changes", () => {
    expect(checkMessageAuthenticator(parsed(RADCLIENT_REQUEST), "xyzzy5462")).toBe("bad");
    for (let i = 4; i < RADCLIENT_REQUEST.length; i++) {
      const changed = Buffer.from(RADCLIENT_REQUEST);
      changed[i] ^= 0x01;
      const p = parsePacket(changed);
      if (p.ok) expect(checkMessageAuthenticator(p.value, SECRET), `octet ${i}`).not.toBe("good");
    }
  });

  it("is absent from the RFC 2865 example; two of them, or a short one, are bad", () => {
    expect(checkMessageAuthenticator(parsed(RFC_REQUEST), SECRET)).toBe("absent");
    // Two, each holding the right HMAC (over the packet with both zeroed): still refused.
    const ma = { type: ATTR.messageAuthenticator, value: Buffer.alloc(16) };
    const twice = encodeAccessRequest({ identifier: 1, secret: SECRET, attributes: [ma, ma] });
    const mac = crypto.createHmac("md5", SECRET).update(twice).digest();
    mac.copy(twice, 22);
    mac.copy(twice, 40);
    expect(checkMessageAuthenticator(parsed(twice), SECRET)).toBe("bad");
    const short = encodeAccessRequest({ identifier: 1, secret: SECRET, attributes: [{ type: ATTR.messageAuthenticator, value: Buffer.alloc(15) }] });
    expect(checkMessageAuthenticator(parsed(short), SECRET)).toBe("bad");
  });

  it("round-trips through our own request encoder", () => {
    const req = encodeAccessRequest({ identifier: 7, secret: SECRET, attributes: [{ type: ATTR.userName, value: Buffer.from("nemo") }], messageAuthenticator: true });
    expect(checkMessageAuthenticator(parsed(req), SECRET)).toBe("good");
  });
});

describe("encodeResponse", () => {
  const request = parsed(RADCLIENT_REQUEST);
  const withProxyState = parsed(
    encodeAccessRequest({
      identifier: 9,
      secret: SECRET,
      messageAuthenticator: true,
      attributes: [
        { type: ATTR.proxyState, value: Buffer.from("first") },
        { type: ATTR.userName, value: Buffer.from("nemo") },
        { type: ATTR.proxyState, value: Buffer.from("second") },
      ],
    }),
  );

  it("puts Message-Authenticator first and signs it over the request's authenticator (computed here by hand)", () => {
    const out = encodeResponse({ code: CODE.accessAccept, request, secret: SECRET, attributes: textAttributes(ATTR.replyMessage, "SafeNet authentication OK.") });
    expect(out[20]).toBe(ATTR.messageAuthenticator);
    expect(out[21]).toBe(18);
    const zeroed = Buffer.from(out);
    request.authenticator.copy(zeroed, 4);
    zeroed.fill(0, 22, 38);
    expect(out.subarray(22, 38)).toEqual(crypto.createHmac("md5", SECRET).update(zeroed).digest());
    const forResponseAuth = Buffer.from(out);
    request.authenticator.copy(forResponseAuth, 4);
    expect(out.subarray(4, 20)).toEqual(crypto.createHash("md5").update(forResponseAuth).update(SECRET).digest());
    expect(out.readUInt16BE(2)).toBe(out.length);
    const p = parsed(out);
    expect(verifyResponse(p, request, SECRET)).toBe(true);
    expect(checkMessageAuthenticator(p, SECRET, request.authenticator)).toBe("good");
    expect(valuesOf(p, ATTR.replyMessage)[0].toString()).toBe("SafeNet authentication OK.");
  });

  it("copies the request's Proxy-States, in order, after the answer's attributes", () => {
    const out = parsed(encodeResponse({ code: CODE.accessReject, request: withProxyState, secret: SECRET, attributes: textAttributes(ATTR.replyMessage, "no") }));
    expect(out.attributes.map((a) => a.type)).toEqual([ATTR.messageAuthenticator, ATTR.replyMessage, ATTR.proxyState, ATTR.proxyState]);
    expect(valuesOf(out, ATTR.proxyState).map(String)).toEqual(["first", "second"]);
    expect(verifyResponse(out, withProxyState, SECRET)).toBe(true);
  });

  it("splits a long Reply-Message into attributes of at most 253 octets without cutting a character", () => {
    const text = "é".repeat(300);
    const parts = textAttributes(ATTR.replyMessage, text);
    expect(parts.every((a) => a.value.length <= 253)).toBe(true);
    expect(Buffer.concat(parts.map((a) => a.value)).toString()).toBe(text);
    expect(parts.map((a) => a.value.toString()).join("")).toBe(text);
  });
});

describe("User-Password (RFC 2865 §5.2)", () => {
  const auth = Buffer.alloc(16, 7);
  it.each(["", "1", "0000123456", "a".repeat(16), "b".repeat(17), "ü".repeat(40)])("round-trips %j", (pw) => {
    const hidden = encodeUserPassword(pw, SECRET, auth);
    expect(hidden.length % 16).toBe(0);
    expect(decodeUserPassword(hidden, SECRET, auth)).toEqual({ ok: true, value: pw });
  });

  it("refuses lengths that are not 16..128 in 16-octet blocks", () => {
    for (const n of [0, 15, 17, 144]) expect(decodeUserPassword(Buffer.alloc(n), SECRET, auth).ok, `${n}`).toBe(false);
  });

  it("refuses a password whose padding is not zeros", () => {
    const hidden = encodeUserPassword("4089123456", SECRET, auth);
    hidden[15] ^= 1; // one block: the last plaintext octet flips, the text stays
    expect(decodeUserPassword(hidden, SECRET, auth).ok).toBe(false);
  });

  it("refuses a password hidden with another secret (its padding decodes to noise)", () => {
    const hidden = encodeUserPassword("4089123456", "another-secret", auth);
    expect(decodeUserPassword(hidden, SECRET, auth).ok).toBe(false);
  });
});

describe("parsePacket: strict lengths (RFC 2865 §3)", () => {
  const header = (code: number, length: number, rest: number[] = []) => {
    const b = Buffer.alloc(Math.max(20, length));
    b[0] = code;
    b.writeUInt16BE(length, 2);
    Buffer.from(rest).copy(b, 20);
    return b;
  };
  const tooLong = () => {
    const b = Buffer.alloc(4097);
    b[0] = 1;
    b.writeUInt16BE(4097, 2);
    for (let at = 20, i = 0; i < 16; i++, at += 255) [b[at], b[at + 1]] = [26, i < 15 ? 255 : 252];
    return b;
  };
  it.each([
    ["a datagram shorter than 20 octets", Buffer.alloc(19)],
    ["Length below 20", header(1, 19)],
    ["Length above 4096 (attributes well formed)", tooLong()],
    ["Length longer than the datagram", RFC_REQUEST.subarray(0, RFC_REQUEST.length - 1)],
    ["an attribute of length 0", header(1, 22, [1, 0])],
    ["an attribute of length 1", header(1, 22, [1, 1])],
    ["an attribute running past Length", header(1, 24, [1, 6, 0x61, 0x62])],
    ["a lone attribute type octet", header(1, 21, [1])],
  ])("refuses %s", (_, b) => {
    const r = parsePacket(b);
    expect(r.ok).toBe(false);
  });

  it("ignores octets past Length as padding", () => {
    const padded = Buffer.concat([RFC_REQUEST, Buffer.from([1, 2, 3])]);
    expect(parsed(padded).raw).toEqual(RFC_REQUEST);
  });

  it("takes a 4096-octet packet", () => {
    const attrs = Array.from({ length: 15 }, () => ({ type: 26, value: Buffer.alloc(253) }));
    const big = encodeAccessRequest({ identifier: 1, secret: SECRET, attributes: [...attrs, { type: 26, value: Buffer.alloc(4096 - 20 - 15 * 255 - 2) }] });
    expect(big.length).toBe(4096);
    expect(parsed(big).attributes).toHaveLength(16);
  });
});

describe("fuzz: the parser never throws", () => {
  const safely = (b: Uint8Array) => {
    const r = parsePacket(b);
    if (r.ok) {
      checkMessageAuthenticator(r.value, SECRET);
      for (const v of valuesOf(r.value, ATTR.userPassword)) decodeUserPassword(v, SECRET, r.value.authenticator);
    }
    return r;
  };

  it("random bytes give a packet or an error value", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 5000 }), (b) => typeof safely(b).ok === "boolean"), { numRuns: 2000 });
  });

  it("random octets under a plausible header give a packet or an error value", () => {
    const datagram = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 5000 }), fc.uint8Array({ maxLength: 600 })).map(([code, length, body]) => {
      const b = Buffer.alloc(20 + body.length);
      b[0] = code;
      b.writeUInt16BE(length, 2);
      Buffer.from(body).copy(b, 20);
      return b;
    });
    fc.assert(fc.property(datagram, (b) => typeof safely(b).ok === "boolean"), { numRuns: 2000 });
  });

  it("a real request with octets changed, cut or added gives a packet or an error value", () => {
    const mutation = fc.tuple(fc.nat(RADCLIENT_REQUEST.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(RADCLIENT_REQUEST.length), fc.uint8Array({ maxLength: 8 }));
    fc.assert(
      fc.property(mutation, ([at, octet, cut, extra]) => {
        const b = Buffer.from(RADCLIENT_REQUEST);
        b[at] = octet;
        return typeof safely(Buffer.concat([b.subarray(0, cut), extra])).ok === "boolean";
      }),
      { numRuns: 2000 },
    );
  });
});
