import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENT_KEY, FIXTURES, REPO, startSimulator, TMS, TMS_KEY, VALIDATOR, type Simulator } from "./harness";
import { errorShapeProblems, expectRawError, newUser, provision, rawRequest, type RawAnswer } from "./provision";

// "Errors" of the contract over real HTTP: every body-taking endpoint refuses malformed JSON, wrong
// types, unknown fields, oversized and non-JSON bodies with the one error shape; bad query
// parameters and unknown paths too; and a bounded, seeded fuzz never gets a 5xx.

const BODY_LIMIT = 64 * 1024;
const BEARER = { authorization: `Bearer ${TMS_KEY}` };
const AGENT = { "x-agent-key": AGENT_KEY };
const JSON_CT = { "content-type": "application/json" };

let sim: Simulator;
let upn: string;
let serial: string;

beforeAll(async () => {
  sim = await startSimulator();
  upn = await newUser(sim);
  serial = (await provision(sim, upn, "event", "4089")).serial;
});
afterAll(async () => sim?.stop());

const send = (method: string, p: string, opts: { headers?: Record<string, string>; body?: string | Buffer } = {}) =>
  rawRequest(sim.base, method, p, opts);

interface Endpoint {
  name: string;
  method: "POST" | "PUT" | "PATCH";
  path: () => string;
  auth: Record<string, string>;
  /** A body the endpoint accepts, so that one added field is the only thing wrong. */
  valid: () => Record<string, unknown>;
  /** Bodies with one wrongly typed field, and the field that `details` must name. */
  wrongTypes: [unknown, string][];
}

const userPath = () => `${REPO}/users/${encodeURIComponent(upn)}`;
const tokenPath = (action: string) => () => `${TMS}/tokens/${serial}/${action}`;

const ENDPOINTS: Endpoint[] = [
  {
    name: "validator",
    method: "POST",
    path: () => VALIDATOR,
    auth: AGENT,
    valid: () => ({ username: "alice", passcode: "4089123456" }),
    wrongTypes: [
      [{ username: 123, passcode: "4089123456" }, "username"],
      [{ username: "alice", passcode: ["4089123456"] }, "passcode"],
      [{ username: "alice", passcode: "4089123456", state: { s: 1 } }, "state"],
      [{ username: "alice", passcode: "4089123456", clientIp: 10 }, "clientIp"],
    ],
  },
  {
    name: "authenticate",
    method: "POST",
    path: () => `${REPO}/authenticate`,
    auth: BEARER,
    valid: () => ({ username: "alice", password: "Alice!2026" }),
    wrongTypes: [
      [{ username: "alice", password: 12345678 }, "password"],
      [{ username: null, password: "Alice!2026" }, "username"],
    ],
  },
  {
    name: "create user",
    method: "POST",
    path: () => `${REPO}/users`,
    auth: BEARER,
    valid: () => ({ upn: "fresh.user@corp.local", displayName: "Fresh User", email: "fresh.user@corp.local", password: "Test!Passw0rd" }),
    wrongTypes: [
      [{ upn: "w1@corp.local", displayName: "W", email: "w1@corp.local", password: "Test!Passw0rd", groups: "RAS Admins" }, "groups"],
      [{ upn: "w2@corp.local", displayName: 7, email: "w2@corp.local", password: "Test!Passw0rd" }, "displayName"],
      [{ upn: true, displayName: "W", email: "w3@corp.local", password: "Test!Passw0rd" }, "upn"],
    ],
  },
  {
    name: "patch user",
    method: "PATCH",
    path: userPath,
    auth: BEARER,
    valid: () => ({ displayName: "Patched Name" }),
    wrongTypes: [
      [{ displayName: 42 }, "displayName"],
      [{ email: ["a@corp.local"] }, "email"],
    ],
  },
  {
    name: "provision",
    method: "POST",
    path: () => `${userPath()}/tokens`,
    auth: BEARER,
    valid: () => ({ type: "MobilePASS", otpMode: "event", pin: "4089" }),
    wrongTypes: [
      [{ type: "MobilePASS", otpMode: 1, pin: "4089" }, "otpMode"],
      [{ type: "MobilePASS", otpMode: "time", pin: 4089 }, "pin"],
      [{ type: ["MobilePASS"], otpMode: "time", pin: "4089" }, "type"],
    ],
  },
  { name: "activate", method: "POST", path: tokenPath("activate"), auth: BEARER, valid: () => ({ passcode: "4089123456" }), wrongTypes: [[{ passcode: 4089123456 }, "passcode"]] },
  { name: "suspend", method: "POST", path: tokenPath("suspend"), auth: BEARER, valid: () => ({}), wrongTypes: [["suspend", "body"]] },
  { name: "reactivate", method: "POST", path: tokenPath("reactivate"), auth: BEARER, valid: () => ({}), wrongTypes: [[[1, 2], "body"]] },
  { name: "unlock", method: "POST", path: tokenPath("unlock"), auth: BEARER, valid: () => ({}), wrongTypes: [[7, "body"]] },
  { name: "revoke", method: "POST", path: tokenPath("revoke"), auth: BEARER, valid: () => ({}), wrongTypes: [[true, "body"]] },
  {
    name: "resync",
    method: "POST",
    path: tokenPath("resync"),
    auth: BEARER,
    valid: () => ({ otp1: "123456", otp2: "654321" }),
    wrongTypes: [
      [{ otp1: "123456", otp2: 654321 }, "otp2"],
      [{ otp1: null, otp2: "654321" }, "otp1"],
    ],
  },
  { name: "pin", method: "POST", path: tokenPath("pin"), auth: BEARER, valid: () => ({ pin: "4089" }), wrongTypes: [[{ pin: 4089 }, "pin"]] },
  { name: "reissue", method: "POST", path: tokenPath("reissue"), auth: BEARER, valid: () => ({ pin: "4089" }), wrongTypes: [[{ pin: { value: "4089" } }, "pin"]] },
  {
    name: "import",
    method: "POST",
    path: () => `${TMS}/tokens/import`,
    auth: BEARER,
    valid: () => ({ pskc: "<KeyContainer/>", password: "qwerty" }),
    wrongTypes: [
      [{ pskc: 5, password: "qwerty" }, "pskc"],
      [{ pskc: "<KeyContainer/>", password: ["qwerty"] }, "password"],
    ],
  },
  {
    name: "policy",
    method: "PUT",
    path: () => `${TMS}/policy`,
    auth: BEARER,
    valid: () => ({ lockThreshold: 3 }),
    wrongTypes: [
      [{ lockThreshold: "3" }, "lockThreshold"],
      [{ pinMode: true }, "pinMode"],
      [{ otpLength: 6.5 }, "otpLength"],
      [{ lookAheadWindow: 1e400 }, "lookAheadWindow"],
    ],
  },
  { name: "account PUT", method: "PUT", path: () => `${userPath()}/account`, auth: BEARER, valid: () => ({}), wrongTypes: [["yes", "body"]] },
];

const jsonTo = (e: Endpoint, body: string | Buffer, headers: Record<string, string> = JSON_CT) =>
  send(e.method, e.path(), { headers: { ...e.auth, ...headers }, body });

/** JSON text for `value`, with the numbers that JSON.stringify cannot write (1e400) kept as written. */
const jsonText = (value: unknown) => JSON.stringify(value, (_k, v) => (v === Infinity ? "__INF__" : v)).replace(/"__INF__"/g, "1e400");

describe.each(ENDPOINTS)("$method $name", (e) => {
  it("answers malformed JSON with 400 invalid_json", async () => {
    for (const body of ['{"a":', "{'a':1}", '{"a":1,}', "nope", '{"a":"\u0001"}', "[1,2", "\u0000"]) {
      expectRawError(await jsonTo(e, body), 400, "invalid_json");
    }
  });

  it("answers wrong types with 400 and details naming the field", async () => {
    for (const [body, field] of e.wrongTypes) {
      const error = expectRawError(await jsonTo(e, jsonText(body)), 400, "invalid_input");
      expect(error.details, `${JSON.stringify(body)} → ${JSON.stringify(error)}`).toHaveProperty([field]);
      expect(error.message).toContain(field);
    }
  });

  it("answers unknown fields with 400 naming each of them", async () => {
    for (const key of ["bogusField", "constructor", "toString"]) {
      const error = expectRawError(await jsonTo(e, JSON.stringify({ ...e.valid(), [key]: 1 })), 400, "invalid_input");
      expect(error.details, JSON.stringify(error)).toEqual({ [key]: "unknown field" });
    }
    const two = expectRawError(await jsonTo(e, JSON.stringify({ ...e.valid(), extraOne: "x", extraTwo: [] })), 400, "invalid_input");
    expect(Object.keys(two.details ?? {}).sort()).toEqual(["extraOne", "extraTwo"]);
  });

  it("answers a body over 64 KiB with 413, and a body of exactly 64 KiB without it", async () => {
    const padded = (size: number) => {
      const head = JSON.stringify({ ...e.valid(), padding: "" });
      return head.slice(0, -2) + "x".repeat(size - head.length) + '"}';
    };
    expect(padded(BODY_LIMIT + 1)).toHaveLength(BODY_LIMIT + 1);
    if (e.name === "import") {
      // The PSKC import has a larger limit of its own: the body is read, and the unknown field is what is wrong.
      const error = expectRawError(await jsonTo(e, padded(BODY_LIMIT * 4)), 400, "invalid_input");
      expect(error.details).toEqual({ padding: "unknown field" });
      return;
    }
    expectRawError(await jsonTo(e, padded(BODY_LIMIT + 1)), 413, "body_too_large");
    expectRawError(await jsonTo(e, padded(BODY_LIMIT * 4)), 413, "body_too_large");
    // Sent in chunks without a Content-Length, the limit holds just the same.
    const chunked = { ...e.auth, ...JSON_CT, "transfer-encoding": "chunked" };
    expectRawError(await send(e.method, e.path(), { headers: chunked, body: padded(BODY_LIMIT + 1024) }), 413, "body_too_large");
    // At the limit the body is read, and the unknown field is what is wrong with it.
    const error = expectRawError(await jsonTo(e, padded(BODY_LIMIT)), 400, "invalid_input");
    expect(error.details).toEqual({ padding: "unknown field" });
  });

  it("answers a body that is not JSON with 415", async () => {
    const text = JSON.stringify(e.valid());
    expectRawError(await jsonTo(e, text, { "content-type": "text/plain" }), 415, "unsupported_media_type");
    expectRawError(await jsonTo(e, text, { "content-type": "text/plain; charset=utf-8" }), 415, "unsupported_media_type");
    expectRawError(await jsonTo(e, "a=1&b=2", { "content-type": "application/x-www-form-urlencoded" }), 415, "unsupported_media_type");
    expectRawError(await jsonTo(e, text, {}), 415, "unsupported_media_type");
  });

  it("answers a JSON body that is not an object with 400 naming the body", async () => {
    for (const body of ["[]", '"text"', "42", "true"]) {
      const res = await jsonTo(e, body);
      const error = expectRawError(res, 400, "invalid_input");
      expect(error.details, `${body} → ${res.text}`).toHaveProperty(["body"]);
    }
  });
});

describe("error details", () => {
  it("name a __proto__ key as an unknown field on every endpoint", async () => {
    for (const e of ENDPOINTS) {
      const body = JSON.stringify(e.valid()).replace(/^\{/, '{"__proto__":{"polluted":true}' + (Object.keys(e.valid()).length ? "," : ""));
      const res = await jsonTo(e, body);
      expect.soft(res.status, `${e.name}: ${res.text}`).toBe(400);
      expect.soft(errorShapeProblems(res.json), `${e.name}: ${res.text}`).toEqual([]);
      const details = (res.json as { error?: { details?: object } })?.error?.details ?? {};
      expect.soft(Object.keys(details), `${e.name}: ${body} → ${res.text}`).toEqual(["__proto__"]);
    }
  });
});

describe("PATCH user without a field to change", () => {
  it("answers 200 (nothing changed) or 400 naming the fields, never 5xx", async () => {
    for (const [headers, body] of [
      [{ ...BEARER, ...JSON_CT }, "{}"],
      [{ ...BEARER, ...JSON_CT }, ""],
      [BEARER, undefined],
    ] as [Record<string, string>, string | undefined][]) {
      const res = await send("PATCH", userPath(), { headers, body });
      const where = `PATCH ${userPath()} ${JSON.stringify(body)} → ${res.status} ${res.text.slice(0, 200)}`;
      expect.soft([200, 400], where).toContain(res.status);
      if (res.status === 200) expect.soft(res.json, where).toMatchObject({ upn });
      else expect.soft(errorShapeProblems(res.json), where).toEqual([]);
    }
  });
});

describe("a JSON null body", () => {
  // One test over all endpoints (after the per-endpoint ones, which no longer need the token's state):
  // an accepted null acts like an empty body, e.g. revokes the token.
  it("is refused with 400 like any other body that is not an object", async () => {
    for (const e of ENDPOINTS) {
      const res = await jsonTo(e, "null");
      expect.soft(res.status, `${e.method} ${e.name}: null → ${res.status} ${res.text.slice(0, 200)}`).toBe(400);
      if (res.status >= 400) expect.soft(errorShapeProblems(res.json)).toEqual([]);
    }
  });
});

describe("PSKC import", () => {
  const fixture = () => fs.readFileSync(path.join(FIXTURES, "rfc6030-figure7.pskc.xml"), "utf8");
  const importPskc = (pskc: string, password = "qwerty") =>
    send("POST", `${TMS}/tokens/import`, { headers: { ...BEARER, ...JSON_CT }, body: JSON.stringify({ pskc, password }) });

  it("accepts a ~200 KiB body (seed file padded with a comment and whitespace), well past the 64 KiB limit", async () => {
    const xml = fixture();
    const withComment = xml.replace("?>", `?>\n<!-- ${"padding ".repeat(25_000)} -->\n`);
    const body1 = JSON.stringify({ pskc: withComment, password: "qwerty" });
    expect(body1.length).toBeGreaterThan(190 * 1024);
    const first = await importPskc(withComment);
    expect(first.status, first.text.slice(0, 400)).toBe(200);
    expect(first.json).toEqual({ added: ["987654321"], rejected: [] });

    const withSpace = xml.replace("<pskc:KeyPackage>", `${" \n\t".repeat(70_000)}<pskc:KeyPackage>`);
    expect(JSON.stringify({ pskc: withSpace }).length).toBeGreaterThan(200 * 1024);
    const again = await importPskc(withSpace);
    expect(again.status, again.text.slice(0, 400)).toBe(200);
    expect(again.json).toMatchObject({ added: [], rejected: [{ serial: "987654321" }] });
  });

  it("refuses broken seed files and wrong passwords with 400, never 5xx", async () => {
    const xml = fixture();
    const cases: [string, string][] = [
      ["<a>", "qwerty"],
      ["not xml at all", "qwerty"],
      ["<KeyContainer/>", "qwerty"],
      ['<pskc:KeyContainer xmlns:pskc="urn:ietf:params:xml:ns:keyprov:pskc"><pskc:KeyPackage/></pskc:KeyContainer>', "qwerty"],
      ['<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;&b;&b;</x>', "qwerty"],
      [xml, "wrong-password"],
      [xml.replace(/<pskc:CipherValue>[^<]*</, "<pskc:CipherValue>AAAA<"), "qwerty"],
      [xml.replace(/<pskc:ValueMAC>[^<]*</, "<pskc:ValueMAC>AAAA<"), "qwerty"],
      [xml.replace(/<IterationCount>1000</, "<IterationCount>-1<"), "qwerty"],
      [xml.replace(/<Specified>[^<]*</, "<Specified>!!!<"), "qwerty"],
      [xml.replace("urn:ietf:params:xml:ns:keyprov:pskc:hotp", "urn:example:unknown"), "qwerty"],
    ];
    for (const [pskc, password] of cases) {
      const res = await importPskc(pskc, password);
      expect(res.status, `${pskc.slice(0, 80)} → ${res.text.slice(0, 300)}`).toBeLessThan(500);
      if (res.status >= 400) expectRawError(res, 400);
    }
  });
});

describe("query parameters", () => {
  const lists = [`${REPO}/users`, `${TMS}/tokens`, `${TMS}/events`];

  it("accept valid values", async () => {
    for (const p of lists) {
      for (const q of ["", "?limit=1", "?limit=1000"]) expect((await send("GET", p + q, { headers: BEARER })).status, p + q).toBe(200);
    }
    expect((await send("GET", "/mailbox/messages?to=a@x.com", { headers: BEARER })).status).toBe(200);
  });

  it("refuse a bad limit and unknown keys with 400 naming the parameter", async () => {
    for (const p of lists) {
      for (const [q, field] of [
        ["limit=abc", "limit"],
        ["limit=0", "limit"],
        ["limit=100000", "limit"],
        ["limit=-5", "limit"],
        ["limit=1.5", "limit"],
        ["limit=1&limit=2", "limit"],
        ["bogus=1", "bogus"],
      ]) {
        const error = expectRawError(await send("GET", `${p}?${q}`, { headers: BEARER }), 400, "invalid_input");
        expect(error.details, `${p}?${q}`).toHaveProperty([field]);
      }
    }
    for (const [p, field] of [
      [`${TMS}/tokens?state=Bogus`, "state"],
      [`${TMS}/tokens?cursor=-1`, "cursor"],
      [`${TMS}/tokens?cursor=abc`, "cursor"],
      [`${TMS}/events?after=abc`, "after"],
      [`${REPO}/users?search=${"s".repeat(300)}`, "search"],
      ["/mailbox/messages?bogus=1", "bogus"],
      [`/mailbox/messages?to=${"a".repeat(300)}@x.com`, "to"],
    ]) {
      const error = expectRawError(await send("GET", p, { headers: BEARER }), 400, "invalid_input");
      expect(error.details, p).toHaveProperty([field]);
    }
  });
});

describe("values no database column holds", () => {
  // PostgreSQL's text refuses NUL and its bigint stops at 2^63: such values are a 400 on either database.
  it("refuse a NUL character in a path, query or body with 400 naming where it is, after the key check", async () => {
    const nulPath = await send("GET", `${REPO}/users/a%00b`, { headers: BEARER });
    expect(expectRawError(nulPath, 400, "invalid_input").details).toHaveProperty(["path.upn"]);
    const nulQuery = await send("GET", `${REPO}/users?search=al%00`, { headers: BEARER });
    expect(expectRawError(nulQuery, 400, "invalid_input").details).toHaveProperty(["query.search"]);
    const nulMail = await send("GET", "/mailbox/messages?to=a%00@x.com", { headers: BEARER });
    expect(expectRawError(nulMail, 400, "invalid_input").details).toHaveProperty(["query.to"]);
    const body = JSON.stringify({ upn: "nul.user@corp.local", displayName: "Nul\u0000User", email: "nul.user@corp.local", password: "Test!Passw0rd" });
    const nulBody = await send("POST", `${REPO}/users`, { headers: { ...BEARER, ...JSON_CT }, body });
    expect(expectRawError(nulBody, 400, "invalid_input").details).toHaveProperty(["body.displayName"]);
    expectRawError(await send("GET", `${REPO}/users/nul.user%40corp.local`, { headers: BEARER }), 404, "not_found");
    const validate = await send("POST", VALIDATOR, { headers: { ...AGENT, ...JSON_CT }, body: JSON.stringify({ username: "al\u0000ice", passcode: "4089123456" }) });
    expect(expectRawError(validate, 400, "invalid_input").details).toHaveProperty(["body.username"]);
    // Without the key, the key is what is wrong.
    expectRawError(await send("GET", `${REPO}/users/a%00b`), 401, "unauthorized");
  });

  it("refuse a token cursor or event position beyond 2^53 (zod's int() keeps to safe integers) with 400 naming the parameter", async () => {
    for (const [p, key] of [
      [`${TMS}/tokens?cursor=1e300`, "cursor"],
      [`${TMS}/tokens?cursor=9223372036854775808`, "cursor"],
      [`${TMS}/events?after=1e300`, "after"],
    ]) {
      expect(expectRawError(await send("GET", p, { headers: BEARER }), 400).details, p).toHaveProperty([key]);
    }
  });
});

describe("unknown paths", () => {
  it("answer 404 in the error shape", async () => {
    const cases: [string, string][] = [
      ["GET", "/nope"],
      ["GET", "/"],
      ["POST", "/health"],
      ["DELETE", "/health"],
      ["GET", "/TMSWebAPI/v2"],
      ["GET", `${TMS}/nope`],
      ["POST", `${TMS}/tokens/ABCDEF0123456789/explode`],
      ["PATCH", `${TMS}/policy`],
      ["GET", "/mailbox/nope"],
      ["PUT", "/mailbox/messages"],
      ["GET", "/TokenValidator/Other.asmx"],
      ["DELETE", VALIDATOR],
      ["OPTIONS", `${TMS}/policy`],
    ];
    for (const [method, p] of cases) {
      const res = await send(method, p, { headers: { ...BEARER, ...AGENT } });
      expectRawError(res, 404, "not_found");
    }
  });

  it("answer malformed and over-long URLs with 400 or 404 in the error shape", async () => {
    for (const p of [
      `${TMS}/tokens/%E0%A4%A`,
      `${TMS}/tokens/%E0%A4%A/activate`,
      `${REPO}/users/%ZZ`,
      `${TMS}/tokens/${"A".repeat(300)}`,
      `${REPO}/users/${"u".repeat(300)}%40corp.local`,
    ]) {
      const res = await send("GET", p, { headers: BEARER });
      expect.soft([400, 404], `${p.slice(0, 60)} → ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
      expect.soft(errorShapeProblems(res.json), `${p.slice(0, 60)} → ${res.text.slice(0, 200)}`).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Bounded, deterministic fuzz.

/** mulberry32: a small seeded PRNG, so that every run sends the same requests. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  return { next, int, pick, chance: (p: number) => next() < p };
}

const FUZZ_SEED = 0x5afe_2026;
const FUZZ_REQUESTS = 400;

describe("fuzz", () => {
  it(`${FUZZ_REQUESTS} seeded random requests never get a 5xx, and every error keeps the shape`, { timeout: 120_000 }, async () => {
    const r = prng(FUZZ_SEED);

    const SEGMENTS = () => [
      upn,
      encodeURIComponent(upn),
      serial,
      "corp.local",
      "CORP.LOCAL",
      "nobody%40corp.local",
      "0000000000000000",
      "%00",
      "a%00b",
      encodeURIComponent("ünïcødé☃𝄞"),
      "%F0%9F%98%80",
      "%E0%A4%A",
      "%ZZ",
      "%2F",
      "..",
      "%2e%2e",
      "CORP%5Calice",
      "%20",
      "x".repeat(90),
      "y".repeat(2000),
      "ABCDEF0123456789.pskc",
      "__proto__",
      "constructor",
    ];
    const ROUTES: [string, string][] = [
      ["GET", "/health"],
      ["GET", VALIDATOR],
      ["POST", VALIDATOR],
      ["GET", TMS],
      ["GET", `${TMS}/repositories`],
      ["POST", `${TMS}/repositories/{repo}/authenticate`],
      ["GET", `${TMS}/repositories/{repo}/users`],
      ["POST", `${TMS}/repositories/{repo}/users`],
      ["GET", `${TMS}/repositories/{repo}/users/{upn}`],
      ["PATCH", `${TMS}/repositories/{repo}/users/{upn}`],
      ["GET", `${TMS}/repositories/{repo}/groups`],
      ["PUT", `${TMS}/repositories/{repo}/users/{upn}/account`],
      ["DELETE", `${TMS}/repositories/{repo}/users/{upn}/account`],
      ["POST", `${TMS}/repositories/{repo}/users/{upn}/tokens`],
      ["GET", `${TMS}/tokens`],
      ["GET", `${TMS}/tokens/{serial}`],
      ["DELETE", `${TMS}/tokens/{serial}`],
      ...["activate", "suspend", "reactivate", "unlock", "revoke", "resync", "pin", "reissue"].map(
        (a): [string, string] => ["POST", `${TMS}/tokens/{serial}/${a}`],
      ),
      ["POST", `${TMS}/tokens/import`],
      ["GET", `${TMS}/policy`],
      ["PUT", `${TMS}/policy`],
      ["GET", `${TMS}/events`],
      ["GET", "/mailbox/messages"],
      ["DELETE", "/mailbox/messages"],
      ["GET", "/mailbox/messages/{id}/attachments/{filename}"],
      ["GET", "/TMSService/ClientDownload/MobilePASSWin.exe"],
      ["GET", "/{any}"],
    ];
    const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PROPFIND", "SEARCH"];
    const CONTENT_TYPES = [
      "application/json",
      "application/json; charset=utf-8",
      "APPLICATION/JSON",
      "application/json; charset=ebcdic",
      "application/json;;;",
      "application/merge-patch+json",
      "application/jsonx",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=xyz",
      "application/xml",
      "*/*",
      "",
      "%%%",
    ];
    const FIELDS = [
      "username", "passcode", "state", "clientIp", "organization", "password", "upn", "displayName", "email", "groups",
      "type", "otpMode", "pin", "otp1", "otp2", "pskc", "lockThreshold", "lockDurationSeconds", "pinMode", "pinPosition",
      "pinMinLength", "pinMaxLength", "otpLength", "timeStepSeconds", "timeDriftSteps", "lookAheadWindow", "outerWindow",
      "__proto__", "constructor", "prototype", "", "a.b", "k".repeat(300),
    ];
    const QUERY_KEYS = ["limit", "cursor", "search", "user", "state", "after", "type", "to", "bogus", "__proto__", "constructor", "limit[]"];
    const STRINGS = () => [
      "",
      "alice",
      upn,
      upn.toUpperCase(),
      "CORP\\alice",
      serial,
      "4089",
      "4089123456",
      "123456",
      "time",
      "event",
      "MobilePASS",
      "server",
      "token",
      "prefix",
      "Active",
      "x@y.z",
      "\u0000\u0001\u001f\u007f",
      "\u2028\u2029",
      "\ud800",
      "ünïcødé ☃ 𝄞 مرحبا",
      "<script>alert(1)</script>",
      "' OR 1=1 --",
      "%_,",
      "\\",
      '<?xml version="1.0"?><KeyContainer/>',
      '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
      "z".repeat(r.pick([100, 300, 5000, 70_000])),
    ];
    const NUMBERS = ["0", "-0", "1", "-1", "3", "6", "8", "30", "100", "1000", "0.5", "1e308", "1e400", "-1e400", "123456789012345678901234567890", "9007199254740993", "1e-400"];

    const jsonValue = (depth: number): string => {
      const kind = r.int(depth > 3 ? 4 : 7);
      switch (kind) {
        case 0:
          return r.pick(["null", "true", "false"]);
        case 1:
          return r.pick(NUMBERS);
        case 2:
        case 3:
          return JSON.stringify(r.pick(STRINGS()));
        case 4:
          return `[${Array.from({ length: r.int(4) }, () => jsonValue(depth + 1)).join(",")}]`;
        case 5:
          return jsonObject(depth + 1);
        default:
          return r.chance(0.5) ? "[".repeat(3000) + "]".repeat(3000) : `{"a":`.repeat(500) + "1" + "}".repeat(500);
      }
    };
    function jsonObject(depth: number): string {
      const n = r.int(5);
      const entries = Array.from({ length: n }, () => `${JSON.stringify(r.pick(FIELDS))}:${jsonValue(depth + 1)}`);
      return `{${entries.join(",")}}`;
    }
    const body = (): string | Buffer | undefined => {
      const k = r.next();
      if (k < 0.2) return undefined;
      if (k < 0.45) return jsonValue(0);
      if (k < 0.85) return jsonObject(0);
      if (k < 0.95) return r.pick(['{"a":', "{", "]", "\u0000", "NaN", "undefined", "{'a':1}", '{"a":1}{"b":2}', "a=1&b=2", "--xyz\r\n\r\n--xyz--"]);
      return Buffer.from(Array.from({ length: 1 + r.int(200) }, () => r.int(256)));
    };
    const fill = (template: string) =>
      template.replace(/\{(\w+)\}/g, (_m, name: string) => {
        if (r.chance(0.5)) {
          const real: Record<string, string> = { repo: "corp.local", upn: encodeURIComponent(upn), serial, id: "AAAAAAAAAAAA", filename: `${serial}.pskc`, any: "nope" };
          return real[name];
        }
        return r.pick(SEGMENTS());
      });
    const query = () => {
      if (!r.chance(0.3)) return "";
      const parts = Array.from({ length: 1 + r.int(3) }, () => {
        const value = r.pick(["abc", "0", "-1", "1", "50", "100000", "1e9", "", "%00", encodeURIComponent("ü☃"), "%E0%A4%A", "x".repeat(500), "Active"]);
        return `${encodeURIComponent(r.pick(QUERY_KEYS))}=${value}`;
      });
      return "?" + parts.join("&");
    };

    const outputBefore = sim.output().length;
    const answers: { i: number; req: string; status: number; text: string; error?: string }[] = [];
    for (let i = 0; i < FUZZ_REQUESTS; i++) {
      const [routeMethod, template] = r.pick(ROUTES);
      const method = r.chance(0.6) ? routeMethod : r.pick(METHODS);
      const p = fill(template) + query();
      const b = body();
      const headers: Record<string, string> = {};
      const auth = r.next();
      if (auth < 0.85) Object.assign(headers, BEARER, AGENT);
      else if (auth < 0.92) Object.assign(headers, { authorization: "Bearer wrong-key-0000000000000000", "x-agent-key": "wrong" });
      if (b !== undefined || r.chance(0.2)) {
        const ct = r.chance(0.65) ? "application/json" : r.pick(CONTENT_TYPES);
        if (ct || r.chance(0.5)) headers["content-type"] = ct;
      }
      const req = `${method} ${p.slice(0, 160)} [${headers["content-type"] ?? "no content-type"}] ${b === undefined ? "(no body)" : String(b).slice(0, 160)}`;
      let res: RawAnswer | undefined;
      try {
        res = await send(method, p, { headers, body: b });
      } catch (err) {
        answers.push({ i, req, status: 0, text: "", error: (err as Error).message });
        continue;
      }
      const shape = res.status >= 400 && method !== "HEAD" ? errorShapeProblems(res.json) : [];
      answers.push({ i, req, status: res.status, text: res.text.slice(0, 300), ...(shape.length && { error: shape.join("; ") }) });
    }

    const show = (list: typeof answers) => list.slice(0, 15).map((a) => `#${a.i} ${a.req}\n   → ${a.status} ${a.error ?? ""} ${a.text}`).join("\n");
    const statuses = answers.reduce<Record<number, number>>((m, a) => ((m[a.status] = (m[a.status] ?? 0) + 1), m), {});
    console.log(`fuzz seed ${FUZZ_SEED.toString(16)}: statuses ${JSON.stringify(statuses)}`);

    expect(answers).toHaveLength(FUZZ_REQUESTS);
    const transport = answers.filter((a) => a.status === 0);
    expect.soft(transport, `requests that got no HTTP answer:\n${show(transport)}`).toEqual([]);
    const fiveHundreds = answers.filter((a) => a.status >= 500);
    expect.soft(fiveHundreds, `5xx answers:\n${show(fiveHundreds)}`).toEqual([]);
    const badShape = answers.filter((a) => a.status >= 400 && a.error);
    expect.soft(badShape.length, `error answers outside the contract's shape:\n${show(badShape)}`).toBe(0);

    // The simulator is still up, the same process, and logged no unexpected failure.
    const health = await fetch(`${sim.base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", service: "safenet-simulator" });
    const output = sim.output();
    expect(output.match(/listening on/g)).toHaveLength(1);
    expect(output).not.toMatch(/could not start|stopping/);
    expect(output.slice(outputBefore).split("\n").filter((l) => l.includes("error on"))).toEqual([]);
  });
});
