import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ATTR, CODE, checkMessageAuthenticator, parsePacket } from "../../lib/radius/packet";
import { nodeForAddress, type AuthNode } from "../../mock-safenet/radius/nodes";
import { startRadiusServer, type RadiusDropEvent, type RadiusServer, type RadiusValidateAnswer, type RadiusValidateRequest } from "../../mock-safenet/radius/server";
import { freeUdpPort } from "./harness";
import { accessRequest, ask, exchange, radclient, radtest, text } from "./support/radius-client";

// The RADIUS front end on a real UDP socket, driven by FreeRADIUS's radtest/radclient and by our own
// client. validate() is a stub here: this file tests the server, not the validator behind it.

const SECRET = "radius-test-secret-0123456789";
const PIN_OTP = "4089123456";
const OUTER = "4089999999";
const NEXT = "4089000001";
const OK = "SafeNet authentication OK.";
const FAILED = "SafeNet authentication failed.";
const RESYNC = "Please re-authenticate, using the next response.";

const node: AuthNode = { id: "1", name: "localhost", address: "127.0.0.1", requireMessageAuthenticator: true, secret: SECRET };
const nodes: AuthNode[] = [node];
const events: RadiusDropEvent[] = [];
let clock = Date.now();
let gate: Promise<void> | undefined;
let openGate = () => {};
/** Holds every validation until the returned function is called (or the test ends). */
const holdValidations = () => {
  gate = new Promise((r) => (openGate = r));
  return () => {
    gate = undefined;
    openGate();
  };
};

const validate = vi.fn(async (req: RadiusValidateRequest): Promise<RadiusValidateAnswer> => {
  if (gate) await gate;
  if (req.username === "boom") throw new Error("database is locked");
  if (req.username !== "alice") return { code: 0, message: FAILED };
  if (req.state === "resync-1") return req.passcode === NEXT ? { code: 1, message: OK } : { code: 0, message: FAILED };
  if (req.state !== undefined) return { code: 0, message: FAILED };
  if (req.passcode === PIN_OTP) return { code: 1, message: OK };
  if (req.passcode === OUTER) return { code: 5, message: RESYNC, state: "resync-1" };
  return { code: 0, message: FAILED };
});

let server: RadiusServer;
const log = vi.fn((_line: string) => {});

beforeAll(async () => {
  server = await startRadiusServer({
    host: "127.0.0.1",
    port: 0,
    nodes: { forAddress: async (ip) => nodeForAddress(nodes, ip) },
    validate,
    record: async (e) => void events.push(e),
    log,
    limits: { perAddress: 4, eventWindowMs: 0 },
    now: () => clock,
  });
});
afterAll(() => server.close());
afterEach(() => {
  gate = undefined;
  openGate();
  validate.mockClear();
  events.length = 0;
  node.requireMessageAuthenticator = true;
  node.secret = SECRET;
});

const reasons = () => events.map((e) => e.reason);
const alice = (password = PIN_OTP) => ({ username: "alice", password, secret: SECRET });

describe("attackers: what is dropped, silently and counted", () => {
  it("a request signed with the wrong secret: no answer, no validation, a bad_message_authenticator event", async () => {
    const sent = await ask(server.port, { ...alice(), secret: "not-the-secret" });
    expect(sent.response).toBeNull();
    expect(validate).not.toHaveBeenCalled();
    expect(reasons()).toEqual(["bad_message_authenticator"]);
    expect(events[0]).toMatchObject({ type: "radius_drop", result: "failure", clientIp: "127.0.0.1", detail: { node: "localhost" } });
  });

  it("radclient with the wrong secret gets no reply", async () => {
    const r = await radclient(server.port, "not-the-secret", ['User-Name = "alice"', `User-Password = "${PIN_OTP}"`, "Message-Authenticator = 0x00"]);
    expect(r.out).toMatch(/No reply from server/i);
    expect(validate).not.toHaveBeenCalled();
    expect(reasons()).toContain("bad_message_authenticator");
  });

  it("a request from an address no node covers: no answer, an unknown_node event", async () => {
    const sent = await ask(server.port, { ...alice(), from: "127.0.0.2" });
    expect(sent.response).toBeNull();
    expect(validate).not.toHaveBeenCalled();
    expect(events).toMatchObject([{ reason: "unknown_node", clientIp: "127.0.0.2" }]);
  });

  it("no Message-Authenticator from a node that requires one: no answer, a missing_message_authenticator event", async () => {
    const sent = await ask(server.port, { ...alice(), messageAuthenticator: false });
    expect(sent.response).toBeNull();
    expect(validate).not.toHaveBeenCalled();
    expect(reasons()).toEqual(["missing_message_authenticator"]);
  });

  it("a forged Message-Authenticator is checked even where the node does not require one", async () => {
    node.requireMessageAuthenticator = false;
    const sent = await ask(server.port, { ...alice(), secret: "not-the-secret" });
    expect(sent.response).toBeNull();
    expect(reasons()).toEqual(["bad_message_authenticator"]);
  });

  it("without a Message-Authenticator, a password hidden with another secret is dropped, not validated", async () => {
    node.requireMessageAuthenticator = false;
    const sent = await ask(server.port, { ...alice(), messageAuthenticator: false, passwordSecret: "not-the-secret" });
    expect(sent.response).toBeNull();
    expect(validate).not.toHaveBeenCalled();
    expect(reasons()).toEqual(["bad_password"]);
  });

  it("malformed datagrams are dropped and counted, and the next good request is answered", async () => {
    const good = accessRequest(alice());
    const badLength = Buffer.from(good);
    badLength.writeUInt16BE(good.length + 10, 2);
    const badAttribute = Buffer.from(good);
    badAttribute[21] = 1; // the first attribute's length
    const random = Buffer.from(Array.from({ length: 300 }, () => Math.floor(Math.random() * 256)));
    random[0] = 1;
    const junk = [good.subarray(0, 10), good.subarray(0, good.length - 3), badLength, badAttribute, random, Buffer.alloc(0), Buffer.alloc(5000, 1)];
    const before = server.dropped().malformed ?? 0;
    expect(await exchange(server.port, junk)).toEqual([]);
    expect((server.dropped().malformed ?? 0) - before).toBe(junk.length);
    expect(validate).not.toHaveBeenCalled();
    expect((await ask(server.port, alice())).response?.code).toBe(CODE.accessAccept);
  });

  it("a validator that fails: no answer (the NAS retries, and the retry is validated afresh), logged, and the server carries on", async () => {
    const request = accessRequest({ username: "boom", password: PIN_OTP, secret: SECRET });
    const fromPort = await freeUdpPort();
    expect(await exchange(server.port, [request], { fromPort })).toEqual([]);
    expect(await exchange(server.port, [request], { fromPort })).toEqual([]);
    expect(validate).toHaveBeenCalledTimes(2);
    expect(log).toHaveBeenCalledWith(expect.stringContaining("database is locked"));
    expect((await ask(server.port, alice())).response?.code).toBe(CODE.accessAccept);
  });

  it("another RADIUS code (an Accounting-Request) is dropped", async () => {
    const acct = accessRequest(alice());
    acct[0] = 4;
    expect(await exchange(server.port, [acct])).toEqual([]);
    expect(reasons()).toEqual(["not_access_request"]);
  });

  it("a flood from one address cannot queue unbounded work: past 4 outstanding requests the rest are dropped", async () => {
    const open = holdValidations();
    const flood = Array.from({ length: 10 }, (_, i) => accessRequest({ ...alice(), identifier: i }));
    const answers = exchange(server.port, flood, { waitMs: 1500, answers: 4 });
    await vi.waitFor(() => expect(validate).toHaveBeenCalledTimes(4));
    await new Promise((r) => setTimeout(r, 100));
    expect(validate).toHaveBeenCalledTimes(4);
    expect(reasons().filter((r) => r === "overloaded")).toHaveLength(6);
    open();
    expect(await answers).toHaveLength(4);
    expect((await ask(server.port, alice())).response?.code).toBe(CODE.accessAccept);
  });
});

describe("duplicates (RFC 5080 §2.2.2)", () => {
  it("a retransmission within 30 s is answered from the cache, octet for octet, and validated once", async () => {
    const request = accessRequest({ ...alice(), identifier: 42 });
    const fromPort = await freeUdpPort();
    const first = await exchange(server.port, [request], { fromPort, answers: 1 });
    clock += 29_000;
    const again = await exchange(server.port, [request], { fromPort, answers: 1 });
    clock -= 29_000;
    expect(first).toHaveLength(1);
    expect(again).toEqual(first);
    expect(validate).toHaveBeenCalledTimes(1);
  });

  it("retransmissions while the first is being validated get one answer, after one validation", async () => {
    const open = holdValidations();
    const request = accessRequest({ ...alice(), identifier: 43 });
    const answers = exchange(server.port, [request, request, request], { waitMs: 600 });
    await vi.waitFor(() => expect(validate).toHaveBeenCalledTimes(1));
    open();
    expect(await answers).toHaveLength(1);
    expect(validate).toHaveBeenCalledTimes(1);
  });

  it("after 30 s, or with a new Request Authenticator under the same Identifier, it is a new request", async () => {
    const request = accessRequest({ ...alice(), identifier: 44 });
    const fromPort = await freeUdpPort();
    await exchange(server.port, [request], { fromPort, answers: 1 });
    await exchange(server.port, [request], { fromPort, answers: 1 });
    expect(validate).toHaveBeenCalledTimes(1);
    clock += 30_000;
    await exchange(server.port, [request], { fromPort, answers: 1 });
    clock -= 30_000;
    expect(validate).toHaveBeenCalledTimes(2);
    await exchange(server.port, [accessRequest({ ...alice(), identifier: 44 })], { fromPort, answers: 1 });
    expect(validate).toHaveBeenCalledTimes(3);
  });

  it("the same request from another source port is not a retransmission", async () => {
    const request = accessRequest({ ...alice(), identifier: 45 });
    await exchange(server.port, [request], { answers: 1 });
    await exchange(server.port, [request], { answers: 1 });
    expect(validate).toHaveBeenCalledTimes(2);
  });
});

describe("answers", () => {
  it("Access-Accept with SafeNet's message; Message-Authenticator first, and it verifies", async () => {
    const { response } = await ask(server.port, alice());
    expect(response?.code).toBe(CODE.accessAccept);
    expect(text(response, ATTR.replyMessage)).toBe(OK);
    expect(response?.attributes[0].type).toBe(ATTR.messageAuthenticator);
    expect(validate).toHaveBeenCalledWith(expect.objectContaining({ username: "alice", passcode: PIN_OTP, clientIp: "127.0.0.1" }));
  });

  it("Message-Authenticator is sent first also to a node that does not send one", async () => {
    node.requireMessageAuthenticator = false;
    const sent = await ask(server.port, { ...alice(), messageAuthenticator: false });
    const req = parsePacket(sent.request);
    expect(sent.response?.attributes[0].type).toBe(ATTR.messageAuthenticator);
    expect(req.ok && sent.response && checkMessageAuthenticator(sent.response, SECRET, req.value.authenticator)).toBe("good");
  });

  it("Access-Reject with SafeNet's failure message in Reply-Message", async () => {
    const { response } = await ask(server.port, alice("4089000000"));
    expect(response?.code).toBe(CODE.accessReject);
    expect(text(response, ATTR.replyMessage)).toBe(FAILED);
  });

  it("Access-Challenge with State for the validator's code 5; the next passcode with that State is accepted", async () => {
    const first = await ask(server.port, alice(OUTER));
    expect(first.response?.code).toBe(CODE.accessChallenge);
    expect(text(first.response, ATTR.replyMessage)).toBe(RESYNC);
    const state = text(first.response, ATTR.state);
    expect(state).toBe("resync-1");
    const second = await ask(server.port, { ...alice(NEXT), state, identifier: 2 });
    expect(second.response?.code).toBe(CODE.accessAccept);
    expect(validate).toHaveBeenLastCalledWith(expect.objectContaining({ passcode: NEXT, state: "resync-1" }));
  });

  it("no User-Password (CHAP, EAP): Access-Reject saying what to send", async () => {
    const { response } = await ask(server.port, { username: "alice", secret: SECRET });
    expect(response?.code).toBe(CODE.accessReject);
    expect(text(response, ATTR.replyMessage)).toMatch(/PAP/);
    expect(validate).not.toHaveBeenCalled();
  });

  it("the client is the Calling-Station-Id when it is an IP, else the source; the NAS goes with it", async () => {
    const nas = [{ type: ATTR.nasIpAddress, value: Buffer.from([192, 0, 2, 1]) }];
    await ask(server.port, { ...alice(), extra: [...nas, { type: ATTR.callingStationId, value: Buffer.from("198.51.100.7") }] });
    expect(validate).toHaveBeenLastCalledWith(
      expect.objectContaining({ clientIp: "198.51.100.7", radius: { node: "localhost", from: "127.0.0.1", nasIp: "192.0.2.1", nasIdentifier: "test-nas", callingStationId: "198.51.100.7" } }),
    );
    await ask(server.port, { ...alice(), identifier: 2, extra: [{ type: ATTR.callingStationId, value: Buffer.from("00-14-22-01-23-45") }] });
    expect(validate).toHaveBeenLastCalledWith(expect.objectContaining({ clientIp: "127.0.0.1" }));
  });
});

describe("FreeRADIUS's clients", () => {
  it("radtest: Access-Accept (radclient checks our Response Authenticator and Message-Authenticator)", async () => {
    const r = await radtest(server.port, "alice", PIN_OTP, SECRET);
    expect(r.out).toMatch(/Received Access-Accept/);
    expect(r.out).toContain(`Reply-Message = "${OK}"`);
    expect(r.out).not.toMatch(/invalid|Message-Authenticator.*fail/i);
  });

  it("radtest: Access-Reject with Reply-Message", async () => {
    const r = await radtest(server.port, "alice", "4089000000", SECRET);
    expect(r.out).toMatch(/Received Access-Reject/);
    expect(r.out).toContain(`Reply-Message = "${FAILED}"`);
  });

  it("radclient: challenge with State, then accept with that State", async () => {
    const first = await radclient(server.port, SECRET, ['User-Name = "alice"', `User-Password = "${OUTER}"`, "Message-Authenticator = 0x00"]);
    expect(first.out).toMatch(/Received Access-Challenge/);
    const state = /State = (0x[0-9a-f]+)/.exec(first.out)?.[1];
    expect(state).toBe(`0x${Buffer.from("resync-1").toString("hex")}`);
    const second = await radclient(server.port, SECRET, ['User-Name = "alice"', `User-Password = "${NEXT}"`, `State = ${state}`, "Message-Authenticator = 0x00"]);
    expect(second.out).toMatch(/Received Access-Accept/);
  });

  it("radclient without Message-Authenticator to a node that requires it: no reply", async () => {
    const r = await radclient(server.port, SECRET, ['User-Name = "alice"', `User-Password = "${PIN_OTP}"`]);
    expect(r.out).toMatch(/No reply from server/i);
    expect(reasons()).toContain("missing_message_authenticator");
  });
});

describe("the limit across all addresses", () => {
  it("past `total` outstanding requests, a second address is turned away too", async () => {
    const release = holdValidations();
    const lan: AuthNode = { ...node, name: "loopback", address: "127.0.0.0/8" };
    const small = await startRadiusServer({
      host: "127.0.0.1",
      port: 0,
      nodes: { forAddress: async (ip) => nodeForAddress([lan], ip) },
      validate,
      record: async (e) => void events.push(e),
      log,
      limits: { perAddress: 10, total: 2, eventWindowMs: 0 },
    });
    try {
      const two = exchange(small.port, [0, 1].map((identifier) => accessRequest({ ...alice(), identifier })), { waitMs: 1500, answers: 2 });
      await vi.waitFor(() => expect(validate).toHaveBeenCalledTimes(2));
      expect((await ask(small.port, { ...alice(), from: "127.0.0.2" })).response).toBeNull();
      expect(events).toMatchObject([{ reason: "overloaded", clientIp: "127.0.0.2" }]);
      release();
      expect(await two).toHaveLength(2);
      expect((await ask(small.port, { ...alice(), from: "127.0.0.2" })).response?.code).toBe(CODE.accessAccept);
    } finally {
      await small.close();
    }
  });
});
