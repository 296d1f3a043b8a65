import fc from "fast-check";

// Hostile inputs: what an attacker's script, a broken client or a fuzzer sends.

const NASTY = [
  "",
  " ",
  "../../../../etc/passwd",
  "..%2f..%2f..%2fetc%2fpasswd",
  "..\\..\\windows\\win.ini",
  "%2e%2e/%2e%2e/",
  "' OR '1'='1' --",
  '"; DROP TABLE tokens; --',
  "1; SELECT * FROM users",
  "%00",
  "\u0000",
  "a\u0000b",
  "\r\nX-Injected: 1",
  "<script>alert(1)</script>",
  "${jndi:ldap://127.0.0.1/a}",
  "{{7*7}}",
  "__proto__",
  "constructor",
  "prototype",
  "\uD800",
  "\uDFFF\uD800",
  "\u202E\u0041",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙈 ‮",
  "%",
  "%ZZ",
  "%E0%A4%A",
  "%C0%AF",
  "NaN",
  "Infinity",
  "-0",
  "1e309",
  "-1",
  "9".repeat(400),
  "0x7fffffff",
  "CORP\\alice",
  "alice@corp.local\u0000",
  "ALICE@CORP.LOCAL",
  "a".repeat(5_000),
  "b".repeat(70_000),
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 64 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 64 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom("\r", "\n", "\t", "\u0000", "\u001b", "\u007f", "\u0085", "\u2028", "%", "/", "\\", ".", "'", '"'), maxLength: 32 }) },
);

const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_VALUE, 1e308, 2 ** 53, -(2 ** 31)),
  fc.double(),
  fc.integer(),
);

/** Any JSON-ish value, deep or wide, with the wrong types for every field. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.constantFrom(null, true, false, [], {}, [null], { __proto__: { admin: true } }),
  fc.jsonValue({ maxDepth: 4 }),
  fc.array(hostileString, { maxLength: 5 }),
);

/** A body object for an endpoint: its real field names with hostile values, plus unknown and poisoned keys. */
export function hostileObject(fields: string[]): fc.Arbitrary<Record<string, unknown>> {
  const keys = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...(fields.length ? fields : ["x"])) },
    { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "toString", "", "a.b", "$where") },
    { weight: 1, arbitrary: hostileString },
  );
  return fc.dictionary(keys, hostileValue, { maxKeys: 6 });
}

/** Raw body text: JSON of hostile objects, and text that is not JSON at all. */
export function hostileBodyText(fields: string[]): fc.Arbitrary<string | Buffer> {
  return fc.oneof(
    { weight: 6, arbitrary: hostileObject(fields).map((o) => JSON.stringify(o)) },
    { weight: 1, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? "null") },
    {
      weight: 2,
      arbitrary: fc.constantFrom<string | Buffer>(
        "",
        "{",
        '{"a":',
        "{'single':'quotes'}",
        "null",
        "[]",
        '"string"',
        "\uFEFF{}",
        "{}garbage",
        "username=alice&password=x",
        '{"username":"alice","username":"bob"}',
        "[".repeat(10_000) + "]".repeat(10_000),
        '{"a":'.repeat(3_000) + "1" + "}".repeat(3_000),
        JSON.stringify({ pskc: "x".repeat(70_000) }),
        "1".repeat(100_000),
        Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
        Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
        Buffer.from([0xed, 0xa0, 0x80]),
      ),
    },
    { weight: 1, arbitrary: hostileString },
  );
}

export const hostileContentType = fc.constantFrom<string | undefined>(
  "application/json",
  "application/json",
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=utf-16",
  "APPLICATION/JSON",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=xyz",
  "application/xml",
  "application/octet-stream",
  "",
  undefined,
  "application/json; boundary=\"",
  "*/*",
);

/** Percent-encodes every byte outside the unreserved set (lone surrogates become U+FFFD, as a client's would). */
export const percentEncode = (s: string) =>
  [...Buffer.from(s, "utf8")].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`)).join("");

/** A path segment: usually percent-encoded as a client would, sometimes raw (traversal, bad escapes). */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileString.map((s) => percentEncode(s.slice(0, 2_000))) },
  { weight: 1, arbitrary: fc.constantFrom("..", ".", "%2e%2e", "..%2f..%2f", "%", "%zz", "%c0%af", "%ff%fe", "a%00b", "%0d%0aX-Injected:%201", "a/../../b", "", "%2F", "a".repeat(600)) },
);

export const hostileQuery: fc.Arbitrary<string> = fc.oneof(
  fc.constant(""),
  fc
    .array(fc.tuple(fc.constantFrom("limit", "cursor", "search", "user", "state", "type", "after", "to", "error", "callbackUrl", "__proto__", "x"), hostileSegment), { maxLength: 4 })
    .map((pairs) => (pairs.length ? "?" + pairs.map(([k, v]) => `${k}=${v}`).join("&") : "")),
  fc.constantFrom("?", "?&&&", "?limit=1&limit=2", "?limit[]=1", "?limit[$gt]=0", "?%", "?a=%ZZ", "?cursor=99999999999999999999999"),
);
