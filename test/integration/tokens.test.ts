import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base32Decode, hotp } from "../../lib/otp";
import { parsePskc, PskcError, readPskc } from "../../lib/pskc";
import { DEFAULT_POLICY } from "../../lib/safenet/contract";
import { FIXTURES, REPO, startSimulator, TMS, type Simulator } from "./harness";
import {
  activeToken,
  awayFromStepEdge,
  expectError,
  expectJson,
  newUser,
  otpFor,
  provision,
  recover as recoverProvisioned,
  setPolicy,
  tokenState,
  type ProvisionAnswer,
  type Provisioned,
} from "./provision";

// The token side of the TMS Web API: provisioning and its one-time activation block, the seed file,
// every state transition, resync, PIN, reissue, delete, listing, PSKC import, policy and events,
// over real HTTP against a started simulator.

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => sim?.stop());

const TOKENS = `${TMS}/tokens`;
const TOKEN_FIELDS = ["activatedAt", "createdAt", "failCount", "lastUsedAt", "lockedUntil", "otpLength", "otpMode", "serial", "state", "type", "user"].sort();
const ACTIVATION_FIELDS = ["activationKey", "downloadUrl", "otpauthUri", "seedFile"];
const EVENT_FIELDS = ["at", "clientIp", "code", "detail", "id", "reason", "result", "serial", "type", "user"];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const FIXTURE_SERIAL = "987654321";
const fixtureXml = () => fs.readFileSync(path.join(FIXTURES, "rfc6030-figure7.pskc.xml"), "utf8");

/** Every activation key handed out in this file: none may ever show up again. */
const issuedKeys: string[] = [];

const post = (p: string, body?: unknown) => sim.tms(p, { method: "POST", ...(body !== undefined && { json: body }) });
const action = (serial: string, name: string, body?: unknown) => post(`${TOKENS}/${serial}/${name}`, body);
const provisionRaw = (upn: string, body: Record<string, unknown>) => post(`${REPO}/users/${encodeURIComponent(upn)}/tokens`, body);
const getToken = async (serial: string) => expectJson(await sim.tms(`${TOKENS}/${serial}`));
const getUser = async (upn: string) => expectJson(await sim.tms(`${REPO}/users/${encodeURIComponent(upn)}`));
const check = async (username: string, passcode: string) => expectJson(await sim.validate({ username, passcode }));
const prov = async (upn: string, mode: "time" | "event", pin = "4089") => {
  const t = await provision(sim, upn, mode, pin);
  issuedKeys.push(t.activationKey);
  return t;
};
const active = async (upn: string, mode: "time" | "event", pin = "4089") => {
  const t = await activeToken(sim, upn, mode, pin);
  issuedKeys.push(t.activationKey);
  return t;
};
/** The Provisioned view of an answer, remembering its activation key for the no-leak checks. */
const recover = (body: ProvisionAnswer): Promise<Provisioned> => {
  issuedKeys.push(body.activation.activationKey);
  return recoverProvisioned(body);
};
async function allEvents(query: Record<string, string> = {}) {
  const body = await expectJson(await sim.tms(`${TMS}/events?${new URLSearchParams({ limit: "1000", ...query })}`));
  return body.events as Record<string, unknown>[];
}

describe("policy", () => {
  it("starts with the defaults the contract lists", async () => {
    expect(await expectJson(await sim.tms(`${TMS}/policy`))).toEqual(DEFAULT_POLICY);
  });

  it("changes only the fields a partial PUT names, and keeps them", async () => {
    try {
      const answer = await expectJson(await sim.tms(`${TMS}/policy`, { method: "PUT", json: { lockDurationSeconds: 900 } }));
      expect(answer).toEqual({ ...DEFAULT_POLICY, lockDurationSeconds: 900 });
      expect(await expectJson(await sim.tms(`${TMS}/policy`))).toEqual({ ...DEFAULT_POLICY, lockDurationSeconds: 900 });
      await setPolicy(sim, { lockThreshold: 100 }); // the upper limit itself is allowed
      await setPolicy(sim, { lockThreshold: 0 });
      expect(await expectJson(await sim.tms(`${TMS}/policy`))).toEqual({ ...DEFAULT_POLICY, lockDurationSeconds: 900, lockThreshold: 0 });
    } finally {
      await setPolicy(sim, { lockDurationSeconds: 600, lockThreshold: 3 });
    }
    expect(await expectJson(await sim.tms(`${TMS}/policy`))).toEqual(DEFAULT_POLICY);
  });

  it("refuses an invalid policy with 400 naming the field, and stores nothing of it", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ lockThreshold: 101 }, "lockThreshold"],
      [{ lockThreshold: -1 }, "lockThreshold"],
      [{ pinMinLength: 6 }, "pinMinLength"], // above pinMaxLength 4
      [{ pinMinLength: 6, pinMaxLength: 5 }, "pinMinLength"],
      [{ colour: "blue" }, "colour"],
      [{ lockThreshold: "3" }, "lockThreshold"],
      [{ pinMode: "client" }, "pinMode"],
      [{ otpLength: 7 }, "otpLength"],
      [{ lockDurationSeconds: 900, lockThreshold: 101 }, "lockThreshold"], // the good half is not stored either
    ];
    for (const [body, field] of cases) {
      const error = await expectError(await sim.tms(`${TMS}/policy`, { method: "PUT", json: body }), 400);
      expect(error.details, `${JSON.stringify(body)} → ${JSON.stringify(error)}`).toHaveProperty(field);
      expect(await expectJson(await sim.tms(`${TMS}/policy`))).toEqual(DEFAULT_POLICY);
    }
    await expectError(await sim.tms(`${TMS}/policy`, { method: "PUT", body: "{not json", headers: { "content-type": "application/json" } }), 400);
    expect(await expectJson(await sim.tms(`${TMS}/policy`))).toEqual(DEFAULT_POLICY);
  });

  it("gives new tokens the policy's OTP length, in the token, the seed file and the otpauth URI", async () => {
    await setPolicy(sim, { otpLength: 8 });
    try {
      const upn = await newUser(sim);
      const body = await expectJson(await provisionRaw(upn, { type: "MobilePASS", otpMode: "event", pin: "4089" }), 201);
      expect(body.token.otpLength).toBe(8);
      const t = await recover(body);
      expect((await readPskc(t.seedXml, t.activationKey))[0].digits).toBe(8);
      expect(new URL(t.otpauthUri).searchParams.get("digits")).toBe("8");
      const activated = await expectJson(await action(t.serial, "activate", { passcode: "4089" + hotp(t.secret, 0, 8) }));
      expect(activated.state).toBe("Active");
      expect((await check(upn, "4089" + hotp(t.secret, 1, 8))).code).toBe(1);
    } finally {
      await setPolicy(sim, { otpLength: 6 });
    }
  });
});

describe("provisioning", () => {
  it("provisions a time token for a user without a SafeNet account, creating the account", async () => {
    expect((await getUser("erin@corp.local")).safenetAccount).toBe(false);
    const res = await provisionRaw("erin@corp.local", { type: "MobilePASS", otpMode: "time", pin: "4089" });
    const body = await expectJson(res, 201);
    expect(Object.keys(body).sort()).toEqual(["activation", "token"]);
    const { token, activation } = body;

    expect(Object.keys(token).sort()).toEqual(TOKEN_FIELDS);
    expect(token.serial).toMatch(/^[0-9A-F]{16}$/);
    expect(token).toMatchObject({
      type: "MobilePASS",
      otpMode: "time",
      otpLength: 6,
      state: "Assigned",
      user: "erin@corp.local",
      failCount: 0,
      lockedUntil: null,
      activatedAt: null,
      lastUsedAt: null,
    });
    expect(token.createdAt).toMatch(ISO);
    expect(Math.abs(Date.parse(token.createdAt) - Date.now())).toBeLessThan(60_000);

    expect(Object.keys(activation).sort()).toEqual(ACTIVATION_FIELDS);
    expect(activation.activationKey).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(activation.activationKey).toMatch(/[a-z]/);
    expect(activation.activationKey).toMatch(/[A-Z]/);
    expect(activation.seedFile).toEqual({ filename: `${token.serial}.pskc`, contentType: "application/pskc+xml", base64: expect.any(String) });

    // The seed file is what MobilePASS reads: it opens with the activation key, and only with it.
    const t = await recover(body);
    const [key, ...more] = await readPskc(t.seedXml, activation.activationKey);
    expect(more).toHaveLength(0);
    expect(key).toMatchObject({ serial: token.serial, algorithm: "totp", digits: 6, timeStepSeconds: 30, userId: "erin@corp.local" });
    expect(key.algorithmUri).toBe("urn:ietf:params:xml:ns:keyprov:pskc:totp");
    expect(key.secret.length).toBeGreaterThanOrEqual(16);
    const wrongKey = activation.activationKey.slice(1) + (activation.activationKey[0] === "A" ? "B" : "A");
    await expect(readPskc(t.seedXml, wrongKey)).rejects.toThrow(PskcError);
    const parsed = parsePskc(t.seedXml);
    expect(parsed.derivedKey?.prf).toBe("sha1");
    expect(parsed.macMethod?.hash).toBe("sha1");
    expect(parsed.packages[0].secret.encrypted?.algorithmUri).toBe("http://www.w3.org/2001/04/xmlenc#aes128-cbc");
    expect(parsed.packages[0].secret.plain).toBeUndefined();
    expect(t.seedXml).not.toContain(Buffer.from(key.secret).toString("base64"));

    // The authenticator-app URI carries the same secret, with issuer and label URL-encoded.
    const uri = activation.otpauthUri as string;
    expect(uri.startsWith("otpauth://totp/")).toBe(true);
    expect(uri).not.toMatch(/\s/);
    const u = new URL(uri);
    const label = uri.slice("otpauth://totp/".length).split("?")[0];
    expect(label).not.toContain("@");
    const issuer = u.searchParams.get("issuer");
    expect(issuer).toBeTruthy();
    expect(decodeURIComponent(label)).toBe(`${issuer}:erin@corp.local`);
    if (key.issuer !== undefined) expect(key.issuer).toBe(issuer);
    expect(Buffer.from(base32Decode(u.searchParams.get("secret")!))).toEqual(Buffer.from(key.secret));
    expect(u.searchParams.get("digits")).toBe("6");
    expect(u.searchParams.get("period")).toBe("30");
    expect(u.searchParams.get("algorithm") ?? "SHA1").toBe("SHA1");

    // The download link leads to the simulated MobilePASS of the portal.
    const download = await fetch(activation.downloadUrl, { redirect: "manual" });
    expect(download.status).toBe(302);
    expect(download.headers.get("location")).toBe("http://127.0.0.1:3999/mobilepass");

    // The account now exists and lists the token, as the TMS Web API shows it.
    const erin = await getUser("erin@corp.local");
    expect(erin.safenetAccount).toBe(true);
    expect(erin.tokens).toEqual([token]);

    // And the seed works: the current code activates the token.
    await awayFromStepEdge();
    const activated = await expectJson(await action(token.serial, "activate", { passcode: "4089" + otpFor(t) }));
    expect(activated).toMatchObject({ serial: token.serial, state: "Active" });
  });

  it("provisions an event token whose seed file, URI and codes agree", async () => {
    const upn = await newUser(sim);
    const body = await expectJson(await provisionRaw(upn, { type: "MobilePASS", otpMode: "event", pin: "4089" }), 201);
    expect(body.token).toMatchObject({ otpMode: "event", otpLength: 6, state: "Assigned", user: upn });
    const t = await recover(body);
    const [key] = await readPskc(t.seedXml, t.activationKey);
    expect(key).toMatchObject({ serial: body.token.serial, algorithm: "hotp", digits: 6, counter: 0, userId: upn });
    expect(key.algorithmUri).toBe("urn:ietf:params:xml:ns:keyprov:pskc:hotp");
    const uri = new URL(t.otpauthUri);
    expect(t.otpauthUri.startsWith("otpauth://hotp/")).toBe(true);
    expect(Buffer.from(base32Decode(uri.searchParams.get("secret")!))).toEqual(Buffer.from(key.secret));
    expect(uri.searchParams.get("counter")).toBe("0");
    expect(decodeURIComponent(t.otpauthUri.slice("otpauth://hotp/".length).split("?")[0])).toBe(`${uri.searchParams.get("issuer")}:${upn}`);
  });

  it("hands out distinct serials and mixed-case activation keys", async () => {
    const upn = await newUser(sim);
    const made = [];
    for (let i = 0; i < 6; i++) made.push(await prov(upn, i % 2 ? "time" : "event"));
    expect(new Set(made.map((t) => t.serial)).size).toBe(6);
    expect(new Set(made.map((t) => t.activationKey)).size).toBe(6);
    for (const t of made) {
      expect(t.serial).toMatch(/^[0-9A-F]{16}$/);
      expect(t.activationKey).toMatch(/^(?=.*[a-z])(?=.*[A-Z])[A-Za-z0-9]{16}$/);
    }
  });

  it("refuses a bad PIN with 400 naming pin, and provisions nothing", async () => {
    const upn = await newUser(sim);
    for (const pin of ["40a9", "abcd", "408", "40891", "", " 4089", "４０８９"]) {
      const error = await expectError(await provisionRaw(upn, { type: "MobilePASS", otpMode: "event", pin }), 400);
      expect(error.details, `pin ${JSON.stringify(pin)}`).toHaveProperty("pin");
    }
    const missing = await expectError(await provisionRaw(upn, { type: "MobilePASS", otpMode: "event" }), 400);
    expect(missing.details).toHaveProperty("pin");
    expect(await getUser(upn)).toMatchObject({ tokens: [] });
    const listed = await expectJson(await sim.tms(`${TOKENS}?user=${encodeURIComponent(upn)}`));
    expect(listed.tokens).toEqual([]);
  });

  it("a refused provisioning changes nothing: no SafeNet account, no new email", async () => {
    const upn = await newUser(sim);
    const before = await getUser(upn);
    expect(before.safenetAccount).toBe(false);
    const body = { type: "MobilePASS", otpMode: "event", pin: "12", email: "elsewhere@mail.example" };
    await expectError(await provisionRaw(upn, body), 400);
    expect(await getUser(upn)).toEqual(before);
    expect(await allEvents({ user: upn, type: "account.created" })).toEqual([]);
  });

  it("refuses other bad provisioning input with 400 and unknown users with 404", async () => {
    const upn = await newUser(sim);
    const mode = await expectError(await provisionRaw(upn, { type: "MobilePASS", otpMode: "sms", pin: "4089" }), 400);
    expect(mode.details).toHaveProperty("otpMode");
    const type = await expectError(await provisionRaw(upn, { type: "RSA", otpMode: "time", pin: "4089" }), 400);
    expect(type.details).toHaveProperty("type");
    await expectError(await provisionRaw("nobody@corp.local", { type: "MobilePASS", otpMode: "time", pin: "4089" }), 404, "not_found");
  });

  it("never returns the activation block again: not by GET token, GET /tokens, GET user or sign-in", async () => {
    const upn = await newUser(sim);
    const t = await prov(upn, "event");
    const secretB32 = new URL(t.otpauthUri).searchParams.get("secret")!;
    const seedB64 = Buffer.from(t.seedXml).toString("base64");
    const views = [
      await sim.tms(`${TOKENS}/${t.serial}`),
      await sim.tms(`${TOKENS}?user=${encodeURIComponent(upn)}`),
      await sim.tms(`${TOKENS}?limit=1000`),
      await sim.tms(`${REPO}/users/${encodeURIComponent(upn)}`),
      await sim.tms(`${REPO}/users?search=${encodeURIComponent(upn)}`),
      await post(`${REPO}/authenticate`, { username: upn, password: "Test!Passw0rd" }),
      await sim.tms(`${TMS}/events?limit=1000`),
    ];
    for (const res of views) {
      const text = await res.text();
      expect(res.status, text).toBe(200);
      expect(text).not.toContain(t.activationKey);
      expect(text).not.toContain(secretB32);
      expect(text).not.toContain(seedB64.slice(0, 40));
      expect(text).not.toContain('"activation"');
      expect(text).not.toContain("otpauth://");
    }
    expect(Object.keys(await getToken(t.serial)).sort()).toEqual(TOKEN_FIELDS);
  });
});

describe("activation", () => {
  it("keeps the token Assigned on a wrong passcode, activates on the right one, and refuses a second activation", async () => {
    const upn = await newUser(sim);
    const t = await prov(upn, "event");
    const wrongOtp = await expectError(await action(t.serial, "activate", { passcode: "4089" + hotp(t.secret, 500) }), 400);
    expect(wrongOtp.details).toHaveProperty("passcode");
    await expectError(await action(t.serial, "activate", { passcode: "1111" + otpFor(t, { counter: 0 }) }), 400);
    await expectError(await action(t.serial, "activate", { passcode: otpFor(t, { counter: 0 }) }), 400); // the PIN is needed
    expect((await getToken(t.serial)).state).toBe("Assigned");
    expect((await check(upn, "4089" + otpFor(t, { counter: 0 })))).toMatchObject({ code: 0, reason: "not_active" });

    const before = Date.now();
    const activated = await expectJson(await action(t.serial, "activate", { passcode: "4089" + otpFor(t, { counter: 0 }) }));
    expect(Object.keys(activated).sort()).toEqual(TOKEN_FIELDS);
    expect(activated).toMatchObject({ serial: t.serial, state: "Active", failCount: 0, user: upn });
    expect(activated.activatedAt).toMatch(ISO);
    expect(Date.parse(activated.activatedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(await getToken(t.serial)).toEqual(activated);

    const again = await expectError(await action(t.serial, "activate", { passcode: "4089" + otpFor(t, { counter: 1 }) }), 422);
    expect(again.code).toBe("invalid_state");
    // The activation code is spent, the next one signs in.
    expect(await check(upn, "4089" + otpFor(t, { counter: 0 }))).toMatchObject({ code: 0, reason: "replayed" });
    expect((await check(upn, "4089" + otpFor(t, { counter: 1 }))).code).toBe(1);
    const used = await getToken(t.serial);
    expect(used.lastUsedAt).toMatch(ISO);
    expect(Date.parse(used.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(activated.activatedAt));
    expect(used.activatedAt).toBe(activated.activatedAt);
  });

  it("refuses a malformed activation body with 400", async () => {
    const upn = await newUser(sim);
    const t = await prov(upn, "event");
    const error = await expectError(await action(t.serial, "activate", { passcode: 4089123456 }), 400);
    expect(error.details).toHaveProperty("passcode");
    await expectError(await action(t.serial, "activate", {}), 400);
    expect((await getToken(t.serial)).state).toBe("Assigned");
  });
});

describe("state transitions", () => {
  it("suspends, reactivates, locks and unlocks, revokes, and refuses everything on a Lost token", async () => {
    const upn = await newUser(sim);
    const t = await active(upn, "event"); // counter 0 used

    await expectError(await action(t.serial, "unlock"), 422, "invalid_state");
    await expectError(await action(t.serial, "reactivate"), 422, "invalid_state");

    const suspended = await expectJson(await action(t.serial, "suspend"));
    expect(Object.keys(suspended).sort()).toEqual(TOKEN_FIELDS);
    expect(suspended.state).toBe("Suspended");
    expect(await check(upn, "4089" + otpFor(t, { counter: 1 }))).toMatchObject({ code: 0, reason: "suspended" });
    await expectError(await action(t.serial, "suspend"), 422, "invalid_state");
    await expectError(await action(t.serial, "unlock"), 422, "invalid_state");

    expect((await expectJson(await action(t.serial, "reactivate"))).state).toBe("Active");
    expect((await check(upn, "4089" + otpFor(t, { counter: 1 }))).code).toBe(1);

    for (let i = 0; i < 3; i++) expect((await check(upn, "4089000000")).code).toBe(0);
    const locked = await getToken(t.serial);
    expect(locked).toMatchObject({ state: "Locked", failCount: 3 });
    expect(locked.lockedUntil).toMatch(ISO);
    expect((await check(upn, "4089" + otpFor(t, { counter: 2 }))).reason).toBe("locked");
    const unlocked = await expectJson(await action(t.serial, "unlock"));
    expect(unlocked).toMatchObject({ state: "Active", failCount: 0, lockedUntil: null });
    expect((await check(upn, "4089" + otpFor(t, { counter: 2 }))).code).toBe(1);

    const lost = await expectJson(await action(t.serial, "revoke"));
    expect(lost.state).toBe("Lost");
    expect((await check(upn, "4089" + otpFor(t, { counter: 3 }))).code).toBe(0);

    const attempts: [string, unknown][] = [
      ["activate", { passcode: "4089" + otpFor(t, { counter: 4 }) }],
      ["suspend", undefined],
      ["reactivate", undefined],
      ["unlock", undefined],
      ["revoke", undefined],
      ["resync", { otp1: otpFor(t, { counter: 5 }), otp2: otpFor(t, { counter: 6 }) }],
      ["pin", { pin: "5555" }],
      ["reissue", {}],
    ];
    for (const [name, body] of attempts) {
      const error = await expectError(await action(t.serial, name, body), 422);
      expect(error.code, name).toBe("invalid_state");
    }
    expect(await getToken(t.serial)).toMatchObject({ state: "Lost", user: upn });
    expect((await check(upn, "4089" + otpFor(t, { counter: 7 }))).code).toBe(0);
  });

  it("returns a suspended token that was never activated to Assigned, from where it still activates", async () => {
    const upn = await newUser(sim);
    const t = await prov(upn, "event");
    expect((await expectJson(await action(t.serial, "suspend"))).state).toBe("Suspended");
    await expectError(await action(t.serial, "activate", { passcode: "4089" + otpFor(t, { counter: 0 }) }), 422, "invalid_state");
    const back = await expectJson(await action(t.serial, "reactivate"));
    expect(back).toMatchObject({ state: "Assigned", activatedAt: null });
    expect((await expectJson(await action(t.serial, "activate", { passcode: "4089" + otpFor(t, { counter: 0 }) }))).state).toBe("Active");
  });

  it("answers 404 for an unknown serial and 400 for a malformed one", async () => {
    await expectError(await sim.tms(`${TOKENS}/0000000000000000`), 404, "not_found");
    await expectError(await action("0000000000000000", "suspend"), 404, "not_found");
    await expectError(await sim.tms(`${TOKENS}/not%20a%20serial!`), 400);
  });
});

describe("resync", () => {
  it("moves an event token to two consecutive codes far ahead, after which the next code validates", async () => {
    const upn = await newUser(sim);
    const t = await active(upn, "event"); // next expected counter: 1
    const synced = await expectJson(await action(t.serial, "resync", { otp1: otpFor(t, { counter: 30 }), otp2: otpFor(t, { counter: 31 }) }));
    expect(Object.keys(synced).sort()).toEqual(TOKEN_FIELDS);
    expect(synced).toMatchObject({ state: "Active", failCount: 0 });
    expect((await check(upn, "4089" + otpFor(t, { counter: 32 }))).code).toBe(1);
    expect(await check(upn, "4089" + otpFor(t, { counter: 31 }))).toMatchObject({ code: 0, reason: "replayed" });
  });

  it("refuses codes that are not consecutive with 400 and leaves the token where it was", async () => {
    const upn = await newUser(sim);
    const t = await active(upn, "event");
    for (const [a, b] of [[40, 42], [41, 40], [40, 40]]) {
      const error = await expectError(await action(t.serial, "resync", { otp1: otpFor(t, { counter: a }), otp2: otpFor(t, { counter: b }) }), 400);
      expect(Object.keys(error.details ?? {})).toEqual(expect.arrayContaining(["otp1"]));
    }
    await expectError(await action(t.serial, "resync", { otp1: otpFor(t, { counter: 40 }) }), 400);
    expect((await check(upn, "4089" + otpFor(t, { counter: 1 }))).code).toBe(1);
  });

  it("moves a time token's clock offset to two consecutive codes ahead", async () => {
    const upn = await newUser(sim);
    const t = await active(upn, "time");
    await awayFromStepEdge(5);
    await expectJson(await action(t.serial, "resync", { otp1: otpFor(t, { offsetSteps: 5 }), otp2: otpFor(t, { offsetSteps: 6 }) }));
    expect((await check(upn, "4089" + otpFor(t, { offsetSteps: 7 }))).code).toBe(1);
  });

  it("refuses resync of a token that was never activated with 422", async () => {
    const upn = await newUser(sim);
    const t = await prov(upn, "event");
    await expectError(await action(t.serial, "resync", { otp1: otpFor(t, { counter: 3 }), otp2: otpFor(t, { counter: 4 }) }), 422, "invalid_state");
  });
});

describe("PIN change", () => {
  it("replaces the PIN: the old one fails, the new one works, and a bad PIN is refused", async () => {
    const upn = await newUser(sim);
    const t = await active(upn, "event");
    const changed = await expectJson(await action(t.serial, "pin", { pin: "5173" }));
    expect(Object.keys(changed).sort()).toEqual(TOKEN_FIELDS);
    expect(changed.state).toBe("Active");
    expect(await check(upn, "4089" + otpFor(t, { counter: 1 }))).toMatchObject({ code: 0, reason: "wrong_pin" });
    expect((await check(upn, "5173" + otpFor(t, { counter: 1 }))).code).toBe(1);

    for (const pin of ["51a3", "517", "517312", ""]) {
      const error = await expectError(await action(t.serial, "pin", { pin }), 400);
      expect(error.details, pin).toHaveProperty("pin");
    }
    const missing = await expectError(await action(t.serial, "pin", {}), 400);
    expect(missing.details).toHaveProperty("pin");
    expect((await check(upn, "5173" + otpFor(t, { counter: 2 }))).code).toBe(1);
  });

  it("refuses the current PIN as the new one with 400 and a sentence, changes nothing, and records the refusal", async () => {
    const upn = await newUser(sim);
    const t = await active(upn, "event");
    const error = await expectError(await action(t.serial, "pin", { pin: "4089" }), 400);
    expect(error.message).toBe("The new PIN is the same as the current one. Choose a different PIN.");
    expect(error.details).toEqual({ pin: "same_as_current" });
    expect((await check(upn, "4089" + otpFor(t, { counter: 1 }))).code).toBe(1);
    const events = await expectJson(await sim.tms(`${TMS}/events?user=${encodeURIComponent(upn)}&type=token.pin`));
    expect(events.events.map((e: { result: string; reason: string | null }) => [e.result, e.reason])).toEqual([["failure", "same_pin"]]);
  });
});

describe("reissue", () => {
  it("issues a new seed and activation key: the token is Assigned again and only the new seed works", async () => {
    const upn = await newUser(sim);
    const old = await active(upn, "event");
    expect((await check(upn, "4089" + otpFor(old, { counter: 1 }))).code).toBe(1);

    const body = await expectJson(await action(old.serial, "reissue"));
    expect(Object.keys(body).sort()).toEqual(["activation", "token"]);
    expect(Object.keys(body.activation).sort()).toEqual(ACTIVATION_FIELDS);
    expect(Object.keys(body.token).sort()).toEqual(TOKEN_FIELDS);
    expect(body.token).toMatchObject({ serial: old.serial, state: "Assigned", activatedAt: null, failCount: 0, user: upn });
    const fresh = await recover(body);
    expect(fresh.activationKey).not.toBe(old.activationKey);
    expect(fresh.activationKey).toMatch(/^(?=.*[a-z])(?=.*[A-Z])[A-Za-z0-9]{16}$/);
    expect(Buffer.from(fresh.secret)).not.toEqual(Buffer.from(old.secret));
    expect((await readPskc(fresh.seedXml, fresh.activationKey))[0]).toMatchObject({ serial: old.serial, userId: upn, algorithm: "hotp" });
    await expect(readPskc(fresh.seedXml, old.activationKey)).rejects.toThrow(PskcError);
    expect(new URL(fresh.otpauthUri).searchParams.get("secret")).not.toBe(new URL(old.otpauthUri).searchParams.get("secret"));

    // Assigned again: nothing validates until it is activated.
    expect(await check(upn, "4089" + otpFor(fresh, { counter: 0 }))).toMatchObject({ code: 0, reason: "not_active" });
    // The old seed no longer activates...
    for (const c of [0, 2, 3]) {
      await expectError(await action(old.serial, "activate", { passcode: "4089" + otpFor(old, { counter: c }) }), 400);
    }
    expect((await getToken(old.serial)).state).toBe("Assigned");
    // ...the new one does, with the PIN kept.
    expect((await expectJson(await action(old.serial, "activate", { passcode: "4089" + otpFor(fresh, { counter: 0 }) }))).state).toBe("Active");
    // And after activation the old seed's codes still fail while the new seed's pass.
    for (const c of [1, 2]) expect(await check(upn, "4089" + otpFor(old, { counter: c }))).toMatchObject({ code: 0, reason: "wrong_otp" });
    expect((await check(upn, "4089" + otpFor(fresh, { counter: 1 }))).code).toBe(1);
  });

  it("refuses a bad PIN on reissue with 400 and keeps the token as it was", async () => {
    const upn = await newUser(sim);
    const t = await active(upn, "event");
    const error = await expectError(await action(t.serial, "reissue", { pin: "12a4" }), 400);
    expect(error.details).toHaveProperty("pin");
    expect((await getToken(t.serial)).state).toBe("Active");
    expect((await check(upn, "4089" + otpFor(t, { counter: 1 }))).code).toBe(1);
  });
});

describe("delete", () => {
  it("deletes a token (204), after which it is gone everywhere", async () => {
    const upn = await newUser(sim);
    const t = await active(upn, "event");
    const res = await sim.tms(`${TOKENS}/${t.serial}`, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    await expectError(await sim.tms(`${TOKENS}/${t.serial}`), 404, "not_found");
    await expectError(await sim.tms(`${TOKENS}/${t.serial}`, { method: "DELETE" }), 404, "not_found");
    await expectError(await action(t.serial, "suspend"), 404, "not_found");
    expect((await getUser(upn)).tokens).toEqual([]);
    expect(await check(upn, "4089" + otpFor(t, { counter: 1 }))).toMatchObject({ code: 0, reason: "no_token" });
  });
});

describe("listing tokens", () => {
  it("filters by user and by state", async () => {
    const upn = await newUser(sim);
    const a = await active(upn, "event");
    const b = await prov(upn, "time");
    const c = await active(upn, "event");
    await expectJson(await action(c.serial, "suspend"));
    const serials = async (query: string) =>
      (await expectJson(await sim.tms(`${TOKENS}?${query}`))).tokens.map((t: { serial: string }) => t.serial);
    const u = `user=${encodeURIComponent(upn)}`;
    expect(await serials(u)).toEqual([a.serial, b.serial, c.serial]);
    expect(await serials(`user=${encodeURIComponent(upn.toUpperCase())}`)).toEqual([a.serial, b.serial, c.serial]);
    expect(await serials(`${u}&state=Active`)).toEqual([a.serial]);
    expect(await serials(`${u}&state=Assigned`)).toEqual([b.serial]);
    expect(await serials(`${u}&state=Suspended`)).toEqual([c.serial]);
    expect(await serials(`${u}&state=Lost`)).toEqual([]);
    const listed = await expectJson(await sim.tms(`${TOKENS}?${u}`));
    for (const t of listed.tokens) {
      expect(Object.keys(t).sort()).toEqual(TOKEN_FIELDS);
      expect(t.user).toBe(upn);
    }
    const everyActive = await expectJson(await sim.tms(`${TOKENS}?state=Active&limit=1000`));
    for (const t of everyActive.tokens) expect(t.state).toBe("Active");
    expect(everyActive.tokens.map((t: { serial: string }) => t.serial)).toContain(a.serial);
    const bad = await expectError(await sim.tms(`${TOKENS}?state=Broken`), 400);
    expect(bad.details).toHaveProperty("state");
  });

  it("pages through every token exactly once by cursor", async () => {
    const upn = await newUser(sim);
    for (let i = 0; i < 5; i++) await prov(upn, "event");
    const everything = (await expectJson(await sim.tms(`${TOKENS}?limit=1000`))).tokens.map((t: { serial: string }) => t.serial);
    expect(everything.length).toBeGreaterThanOrEqual(5);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { tokens: { serial: string }[]; nextCursor: string | null } = await expectJson(
        await sim.tms(`${TOKENS}?limit=3${cursor !== null ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
      );
      expect(page.tokens.length).toBeLessThanOrEqual(3);
      seen.push(...page.tokens.map((t) => t.serial));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 1000);
    expect(seen).toEqual(everything);
    expect(pages).toBe(Math.ceil(everything.length / 3));

    const mine: string[] = [];
    cursor = null;
    do {
      const page: { tokens: { serial: string }[]; nextCursor: string | null } = await expectJson(
        await sim.tms(`${TOKENS}?user=${encodeURIComponent(upn)}&limit=2${cursor !== null ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
      );
      mine.push(...page.tokens.map((t) => t.serial));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(mine).toHaveLength(5);
    expect(new Set(mine).size).toBe(5);
  });
});

describe("PSKC import", () => {
  const importPskc = (pskc: string, password?: string) =>
    post(`${TOKENS}/import`, { pskc, ...(password !== undefined && { password }) });

  it("imports the RFC 6030 example into the inventory, and rejects it the second time", async () => {
    const first = await expectJson(await importPskc(fixtureXml(), "qwerty"));
    expect(first).toEqual({ added: [FIXTURE_SERIAL], rejected: [] });
    const token = await getToken(FIXTURE_SERIAL);
    expect(Object.keys(token).sort()).toEqual(TOKEN_FIELDS);
    expect(token).toMatchObject({ serial: FIXTURE_SERIAL, state: "Inventory", otpMode: "event", otpLength: 8, user: null, activatedAt: null });
    const inventory = await expectJson(await sim.tms(`${TOKENS}?state=Inventory`));
    expect(inventory.tokens.map((t: { serial: string }) => t.serial)).toContain(FIXTURE_SERIAL);

    const before = (await expectJson(await sim.tms(`${TOKENS}?limit=1000`))).tokens;
    const second = await expectJson(await importPskc(fixtureXml(), "qwerty"));
    expect(second.added).toEqual([]);
    expect(second.rejected).toHaveLength(1);
    expect(second.rejected[0].serial).toBe(FIXTURE_SERIAL);
    expect(typeof second.rejected[0].reason).toBe("string");
    expect(second.rejected[0].reason.length).toBeGreaterThan(0);
    expect((await expectJson(await sim.tms(`${TOKENS}?limit=1000`))).tokens).toEqual(before);
    expect(await getToken(FIXTURE_SERIAL)).toEqual(token);

    // An Inventory token is nobody's yet: it cannot be activated or reissued.
    await expectError(await action(FIXTURE_SERIAL, "activate", { passcode: "4089" + "00000000" }), 422, "invalid_state");
    await expectError(await action(FIXTURE_SERIAL, "reissue", {}), 422, "invalid_state");
  });

  it("imports the other keys of a file when one serial is a duplicate", async () => {
    const xml = fixtureXml();
    const pkg = xml.slice(xml.indexOf("<pskc:KeyPackage>"), xml.indexOf("</pskc:KeyPackage>") + "</pskc:KeyPackage>".length);
    const twin = pkg.replace(`<pskc:SerialNo>${FIXTURE_SERIAL}</pskc:SerialNo>`, "<pskc:SerialNo>987654322</pskc:SerialNo>").replace('Id="123456"', 'Id="123457"');
    const both = xml.replace(pkg, `${pkg}\n    ${twin}`);
    expect((await readPskc(both, "qwerty")).map((k) => k.serial)).toEqual([FIXTURE_SERIAL, "987654322"]);
    await importPskc(fixtureXml(), "qwerty"); // make sure the first serial exists, whatever ran before
    const answer = await expectJson(await importPskc(both, "qwerty"));
    expect(answer.added).toEqual(["987654322"]);
    expect(answer.rejected.map((r: { serial: string }) => r.serial)).toEqual([FIXTURE_SERIAL]);
    expect(await getToken("987654322")).toMatchObject({ state: "Inventory", otpLength: 8 });
  });

  it("keeps an imported token reachable under the serial the import reported, in any case", async () => {
    const answer = await expectJson(await importPskc(fixtureXml().replace(FIXTURE_SERIAL, "vendor-ab12cd"), "qwerty"));
    // Serials are case-insensitive and reported upper-case, like provisioned ones.
    const serial = "VENDOR-AB12CD";
    expect(answer).toEqual({ added: [serial], rejected: [] });
    const listed = (await expectJson(await sim.tms(`${TOKENS}?state=Inventory&limit=1000`))).tokens.map((t: { serial: string }) => t.serial);
    expect(listed).toContain(serial);
    expect(await getToken(serial)).toMatchObject({ serial, state: "Inventory" });
    expect(await getToken("vendor-ab12cd")).toMatchObject({ serial, state: "Inventory" });
    const again = await expectJson(await importPskc(fixtureXml().replace(FIXTURE_SERIAL, "Vendor-AB12cd"), "qwerty"));
    expect(again.added).toEqual([]);
    expect((await sim.tms(`${TOKENS}/vendor-ab12cd`, { method: "DELETE" })).status).toBe(204);
  });

  it("refuses a wrong password with 400 wrong_password, and garbage with 400", async () => {
    const count = (await expectJson(await sim.tms(`${TOKENS}?limit=1000`))).tokens.length;
    const wrong = await expectError(await importPskc(fixtureXml().replace(FIXTURE_SERIAL, "111222333"), "azerty"), 400, "wrong_password");
    expect(wrong.details).toHaveProperty("password");
    await expectError(await importPskc(fixtureXml().replace(FIXTURE_SERIAL, "111222333")), 400, "wrong_password");
    const garbage = await expectError(await importPskc("this is not a PSKC file", "qwerty"), 400);
    expect(garbage.details).toHaveProperty("pskc");
    await expectError(await importPskc("<?xml version=\"1.0\"?><html><body/></html>", "qwerty"), 400);
    await expectError(await importPskc("", "qwerty"), 400);
    await expectError(await post(`${TOKENS}/import`, { file: "x" }), 400);
    await expectError(await sim.tms(`${TOKENS}/111222333`), 404);
    expect((await expectJson(await sim.tms(`${TOKENS}?limit=1000`))).tokens.length).toBe(count);
  });
});

describe("events", () => {
  it("records every token operation with its type, user and serial, and never a PIN or activation key", async () => {
    const upn = await newUser(sim);
    const t = await prov(upn, "event", "7351");
    const passcodes: string[] = [];
    const pc = (pin: string, p: Provisioned, counter: number) => {
      const code = pin + otpFor(p, { counter });
      passcodes.push(code);
      return code;
    };
    await expectError(await action(t.serial, "activate", { passcode: pc("7351", t, 50) }), 400);
    await expectJson(await action(t.serial, "activate", { passcode: pc("7351", t, 0) }));
    await expectJson(await action(t.serial, "suspend"));
    await expectJson(await action(t.serial, "reactivate"));
    for (let i = 0; i < 3; i++) expect((await check(upn, "7351000000")).reason).toBe("wrong_otp");
    await expectJson(await action(t.serial, "unlock"));
    await expectJson(await action(t.serial, "resync", { otp1: otpFor(t, { counter: 20 }), otp2: otpFor(t, { counter: 21 }) }));
    await expectJson(await action(t.serial, "pin", { pin: "8642" }));
    expect((await check(upn, pc("8642", t, 22))).code).toBe(1);
    const fresh = await recover(await expectJson(await action(t.serial, "reissue")));
    await expectJson(await action(t.serial, "activate", { passcode: pc("8642", fresh, 0) }));
    await expectJson(await action(t.serial, "revoke"));
    expect((await sim.tms(`${TOKENS}/${t.serial}`, { method: "DELETE" })).status).toBe(204);

    const mine = await allEvents({ user: upn });
    for (const e of mine) {
      expect(Object.keys(e).sort()).toEqual(EVENT_FIELDS);
      expect(e.user).toBe(upn);
      expect(e.at).toMatch(ISO);
    }
    const tokenOps = mine.filter((e) => String(e.type).startsWith("token."));
    expect(tokenOps.map((e) => [e.type, e.result])).toEqual([
      ["token.provisioned", "success"],
      ["token.activate", "failure"],
      ["token.activate", "success"],
      ["token.suspend", "success"],
      ["token.reactivate", "success"],
      ["token.unlock", "success"],
      ["token.resync", "success"],
      ["token.pin", "success"],
      ["token.reissue", "success"],
      ["token.activate", "success"],
      ["token.revoke", "success"],
      ["token.deleted", "success"],
    ]);
    for (const e of tokenOps) expect(e.serial).toBe(t.serial);
    expect(mine.filter((e) => e.type === "auth").map((e) => e.reason)).toEqual(["wrong_otp", "wrong_otp", "wrong_otp", null]);
    expect(mine.filter((e) => e.type === "account.created")).toHaveLength(1);
    const ids = mine.map((e) => e.id as number);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));

    const text = JSON.stringify(mine);
    for (const code of passcodes) expect(text).not.toContain(code);
    for (const e of mine) {
      const loose = JSON.stringify({ type: e.type, result: e.result, code: e.code, reason: e.reason, clientIp: e.clientIp, detail: e.detail });
      expect(loose).not.toContain("7351");
      expect(loose).not.toContain("8642");
      expect(loose.toLowerCase()).not.toContain('"pin"');
    }
  });

  it("never shows an activation key, seed or passcode anywhere in the whole log", async () => {
    expect(issuedKeys.length).toBeGreaterThan(10);
    const text = JSON.stringify(await allEvents());
    for (const key of issuedKeys) expect(text).not.toContain(key);
    expect(text).not.toContain("otpauth://");
    expect(text.toLowerCase()).not.toContain("activationkey");
  });

  it("records the import with the serials it added and rejected", async () => {
    const imports = await allEvents({ type: "token.import" });
    expect(imports.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(imports[0].detail)).toContain(FIXTURE_SERIAL);
    expect(imports.some((e) => JSON.stringify(e.detail).includes("987654322"))).toBe(true);
  });

  it("pages forward with after and nextCursor, and filters by user and type", async () => {
    const upn = await newUser(sim);
    const t = await active(upn, "event");
    for (let i = 0; i < 3; i++) {
      await expectJson(await action(t.serial, "suspend"));
      await expectJson(await action(t.serial, "reactivate"));
    }
    const full = await allEvents({ user: upn });
    // user.created, account.created, token.provisioned, token.activate, 3 × (token.suspend, token.reactivate)
    expect(full.map((e) => e.type)).toEqual([
      "user.created",
      "account.created",
      "token.provisioned",
      "token.activate",
      ...Array(3).fill(["token.suspend", "token.reactivate"]).flat(),
    ]);

    const paged: Record<string, unknown>[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const qs: URLSearchParams = new URLSearchParams({ user: upn, limit: "2", ...(after !== null && { after }) });
      const page = await expectJson(await sim.tms(`${TMS}/events?${qs}`));
      expect(page.events.length).toBeLessThanOrEqual(2);
      paged.push(...page.events);
      after = page.nextCursor;
      pages++;
    } while (after !== null && pages < 100);
    expect(paged).toEqual(full);
    expect(pages).toBe(Math.ceil(full.length / 2));

    const fromThird = await allEvents({ user: upn, after: String(full[2].id) });
    expect(fromThird).toEqual(full.slice(3));
    expect(await allEvents({ user: upn, after: String(full.at(-1)!.id) })).toEqual([]);

    const suspends = await allEvents({ user: upn, type: "token.suspend" });
    expect(suspends).toHaveLength(3);
    for (const e of suspends) expect(e).toMatchObject({ type: "token.suspend", user: upn, serial: t.serial, result: "success" });
    const everySuspend = await allEvents({ type: "token.suspend" });
    for (const e of everySuspend) expect(e.type).toBe("token.suspend");
    expect(everySuspend.length).toBeGreaterThan(suspends.length);

    // The log also follows forward: a new operation appears after the last id seen.
    const last = String(full.at(-1)!.id);
    await expectJson(await action(t.serial, "suspend"));
    const next = await allEvents({ after: last });
    expect(next.map((e) => [e.type, e.serial])).toEqual([["token.suspend", t.serial]]);
  });
});
