import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ATTR, CODE } from "../../lib/radius/packet";
import { freeUdpPort, startSimulator, TMS, type Simulator } from "./harness";
import { activeToken, expectError, newUser, otpFor, type Provisioned } from "./provision";
import { accessRequest, ask, exchange, radclient, radtest, text } from "./support/radius-client";

// The RADIUS front end of the REAL simulator (server.ts as npm start runs it): auth nodes from its
// database, answers from its validator, drops in its event log. FreeRADIUS's radtest and radclient
// where they can say what is tested; our own client where a test needs octet control.
// With TEST_POSTGRES_URL (test/integration/support/with-postgres.ts) the same file runs on PostgreSQL.

const SECRET = "first-start-radius-secret-0123456789";
const OTHER_SECRET = "a-node-without-message-authenticator-42";
const PIN = "4089";

let sim: Simulator;

interface EventRow {
  id: number;
  type: string;
  user: string | null;
  result: string;
  code: number | null;
  reason: string | null;
  clientIp: string | null;
  detail: Record<string, unknown> | null;
}

async function events(query = ""): Promise<EventRow[]> {
  const res = await sim.tms(`${TMS}/events?limit=1000${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { events: EventRow[] }).events;
}
const lastEventId = async () => (await events()).at(-1)?.id ?? 0;

async function addNode(body: Record<string, unknown>) {
  const res = await sim.tms(`${TMS}/authnodes`, { method: "POST", json: body });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; name: string; address: string; requireMessageAuthenticator: boolean };
}

const user = async (): Promise<{ upn: string; t: Provisioned }> => {
  const upn = await newUser(sim);
  return { upn, t: await activeToken(sim, upn, "event", PIN) };
};
const code = (t: Provisioned, counter: number) => PIN + otpFor(t, { counter });

beforeAll(async () => {
  sim = await startSimulator({ SAFENET_RADIUS_SECRET: SECRET });
});
afterAll(async () => {
  await sim?.stop();
});

describe("attackers: the secret never comes back", () => {
  it("no answer, list or event carries a node's secret; the log neither", async () => {
    const secret = "never-returned-secret-0123456789";
    const created = await sim.tms(`${TMS}/authnodes`, { method: "POST", json: { name: "gw-secret", address: "198.51.100.9", secret } });
    const body = await created.text();
    expect(created.status).toBe(201);
    expect(body).not.toContain(secret);
    expect(Object.keys(JSON.parse(body) as object).sort()).toEqual(["address", "createdAt", "id", "name", "requireMessageAuthenticator"]);
    const list = await (await sim.tms(`${TMS}/authnodes`)).text();
    expect(list).not.toContain(secret);
    expect(list).not.toContain(SECRET);
    const all = JSON.stringify(await events());
    expect(all).not.toContain(secret);
    expect(all).not.toContain(SECRET);
    // A refused write does not echo the secret either (too short here, so it is the field in error).
    const refused = await sim.tms(`${TMS}/authnodes`, { method: "POST", json: { name: "gw-short", address: "198.51.100.10", secret: "short-secret!" } });
    const refusedText = await refused.text();
    expect(refused.status).toBe(400);
    expect(refusedText).not.toContain("short-secret!");
    // A duplicate name's 409 neither.
    const dup = await sim.tms(`${TMS}/authnodes`, { method: "POST", json: { name: "gw-secret", address: "198.51.100.11", secret: "another-secret-0123456789" } });
    expect(dup.status).toBe(409);
    expect(await dup.text()).not.toContain("another-secret-0123456789");
    for (const s of [secret, SECRET, "short-secret!", "another-secret-0123456789"]) expect(sim.output()).not.toContain(s);
  });
});

describe("attackers: dropped silently and counted", () => {
  it("radclient with the wrong secret gets no reply, nothing is validated, and the drop is an event", async () => {
    const { upn, t } = await user();
    const after = await lastEventId();
    // radclient rather than radtest: radtest waits 3 × 5 s for the answer that never comes.
    const r = await radclient(sim.radiusPort, "not-the-shared-secret-0123", [`User-Name = "${upn}"`, `User-Password = "${code(t, 1)}"`, "Message-Authenticator = 0x00"]);
    expect(r.out).toMatch(/No reply from server/i);
    const seen = await events(`&after=${after}`);
    expect(seen.filter((e) => e.type === "auth")).toEqual([]);
    expect(seen).toContainEqual(expect.objectContaining({ type: "radius_drop", reason: "bad_message_authenticator", clientIp: "127.0.0.1" }));
    // Never the User-Name in the drop's event (anyone can write one).
    expect(JSON.stringify(seen)).not.toContain(upn);
    // The code was not used up: the right secret is accepted with it.
    expect((await radtest(sim.radiusPort, upn, code(t, 1), SECRET)).out).toMatch(/Received Access-Accept/);
  });

  it("a request from an address no node covers (a node exists for another address only) is dropped", async () => {
    await addNode({ name: "elsewhere", address: "192.0.2.0/24", secret: "elsewhere-secret-0123456789" });
    const { upn, t } = await user();
    const after = await lastEventId();
    const sent = await ask(sim.radiusPort, { username: upn, password: code(t, 1), secret: "elsewhere-secret-0123456789", from: "127.0.0.2" });
    expect(sent.response).toBeNull();
    const seen = await events(`&after=${after}`);
    expect(seen.filter((e) => e.type === "auth")).toEqual([]);
    expect(seen).toContainEqual(expect.objectContaining({ type: "radius_drop", reason: "unknown_node", clientIp: "127.0.0.2" }));
  });

  it("a missing Message-Authenticator is refused from a node that requires it, accepted from one that does not", async () => {
    const { upn, t } = await user();
    const after = await lastEventId();
    const refused = await ask(sim.radiusPort, { username: upn, password: code(t, 1), secret: SECRET, messageAuthenticator: false });
    expect(refused.response).toBeNull();
    expect(await events(`&after=${after}&type=radius_drop`)).toContainEqual(expect.objectContaining({ reason: "missing_message_authenticator" }));
    expect(await events(`&after=${after}&type=auth`)).toEqual([]);

    await addNode({ name: "legacy-nas", address: "127.0.0.3", secret: OTHER_SECRET, requireMessageAuthenticator: false });
    const accepted = await ask(sim.radiusPort, { username: upn, password: code(t, 1), secret: OTHER_SECRET, messageAuthenticator: false, from: "127.0.0.3" });
    expect(accepted.response?.code).toBe(CODE.accessAccept);
    // Our answer still carries a Message-Authenticator, first.
    expect(accepted.response?.attributes[0].type).toBe(ATTR.messageAuthenticator);
  });

  it("a removed node's address is dropped from the next packet on", async () => {
    const node = await addNode({ name: "short-lived", address: "127.0.0.4", secret: "short-lived-secret-0123456789" });
    const { upn, t } = await user();
    const first = await ask(sim.radiusPort, { username: upn, password: code(t, 1), secret: "short-lived-secret-0123456789", from: "127.0.0.4" });
    expect(first.response?.code).toBe(CODE.accessAccept);
    expect((await sim.tms(`${TMS}/authnodes/${node.id}`, { method: "DELETE" })).status).toBe(204);
    const second = await ask(sim.radiusPort, { username: upn, password: code(t, 2), secret: "short-lived-secret-0123456789", from: "127.0.0.4" });
    expect(second.response).toBeNull();
  });
});

describe("attackers: single use across HTTP and RADIUS", () => {
  it("a passcode accepted over HTTP is refused over RADIUS, and one accepted over RADIUS is refused over HTTP", async () => {
    const { upn, t } = await user();
    expect(((await (await sim.validate({ username: upn, passcode: code(t, 1) })).json()) as { code: number }).code).toBe(1);
    const replay = await ask(sim.radiusPort, { username: upn, password: code(t, 1), secret: SECRET });
    expect(replay.response?.code).toBe(CODE.accessReject);

    const viaRadius = await ask(sim.radiusPort, { username: upn, password: code(t, 2), secret: SECRET });
    expect(viaRadius.response?.code).toBe(CODE.accessAccept);
    expect(await (await sim.validate({ username: upn, passcode: code(t, 2) })).json()).toMatchObject({ code: 0, reason: "replayed" });
  });
});

describe("answers from the simulator's validator", () => {
  it("radtest: Access-Accept with SafeNet's message", async () => {
    const { upn, t } = await user();
    const r = await radtest(sim.radiusPort, upn, code(t, 1), SECRET);
    expect(r.out).toMatch(/Received Access-Accept/);
    expect(r.out).toContain("SafeNet authentication OK.");
  });

  it("Access-Reject with SafeNet's message in Reply-Message; a locked token says so", async () => {
    const { upn, t } = await user();
    const wrong = await ask(sim.radiusPort, { username: upn, password: PIN + "000000", secret: SECRET });
    expect(wrong.response?.code).toBe(CODE.accessReject);
    expect(text(wrong.response, ATTR.replyMessage)).toBe("SafeNet authentication failed.");
    const r = await radtest(sim.radiusPort, upn, "9999" + otpFor(t, { counter: 1 }), SECRET);
    expect(r.out).toMatch(/Received Access-Reject/);
    expect((await sim.tms(`${TMS}/tokens/${t.serial}/suspend`, { method: "POST" })).status).toBe(200);
    const suspended = await ask(sim.radiusPort, { username: upn, password: code(t, 1), secret: SECRET });
    expect(text(suspended.response, ATTR.replyMessage)).toBe("User's token is suspended.");
  });

  it("radclient: outer window → Access-Challenge with State; the next code with that State → Access-Accept", async () => {
    const { upn, t } = await user();
    const first = await radclient(sim.radiusPort, SECRET, [`User-Name = "${upn}"`, `User-Password = "${code(t, 40)}"`, "Message-Authenticator = 0x00"]);
    expect(first.out).toMatch(/Received Access-Challenge/);
    expect(first.out).toContain("Please re-authenticate, using the next response.");
    const state = /State = (0x[0-9a-f]+)/i.exec(first.out)?.[1];
    expect(state).toBeDefined();
    const next = await radclient(sim.radiusPort, SECRET, [`User-Name = "${upn}"`, `User-Password = "${code(t, 41)}"`, `State = ${state}`, "Message-Authenticator = 0x00"]);
    expect(next.out).toMatch(/Received Access-Accept/);
    // The State was single use.
    const again = await radclient(sim.radiusPort, SECRET, [`User-Name = "${upn}"`, `User-Password = "${code(t, 42)}"`, `State = ${state}`, "Message-Authenticator = 0x00"]);
    expect(again.out).toMatch(/Received Access-Reject/);
  });

  it("records the NAS in the auth event: Calling-Station-Id as the client when it is an IP, else the NAS address", async () => {
    const { upn, t } = await user();
    const after = await lastEventId();
    const calling = { type: ATTR.callingStationId, value: Buffer.from("198.51.100.7") };
    expect((await ask(sim.radiusPort, { username: upn, password: code(t, 1), secret: SECRET, extra: [calling] })).response?.code).toBe(CODE.accessAccept);
    const mac = { type: ATTR.callingStationId, value: Buffer.from("00-11-22-33-44-55") };
    expect((await ask(sim.radiusPort, { username: upn, password: code(t, 2), secret: SECRET, extra: [mac] })).response?.code).toBe(CODE.accessAccept);
    const auth = await events(`&after=${after}&type=auth`);
    expect(auth).toMatchObject([
      { user: upn, result: "success", clientIp: "198.51.100.7", detail: { radius: { node: "localhost", from: "127.0.0.1", nasIdentifier: "test-nas", callingStationId: "198.51.100.7" } } },
      { user: upn, result: "success", clientIp: "127.0.0.1", detail: { radius: { node: "localhost", callingStationId: "00-11-22-33-44-55" } } },
    ]);
    expect(JSON.stringify(auth)).not.toContain(code(t, 1));
  });

  it("a retransmission is answered from the cache, octet for octet: validated once, one event", async () => {
    const { upn, t } = await user();
    const after = await lastEventId();
    const request = accessRequest({ username: upn, password: code(t, 1), secret: SECRET, identifier: 77 });
    const fromPort = await freeUdpPort();
    const first = await exchange(sim.radiusPort, [request], { fromPort, answers: 1 });
    const again = await exchange(sim.radiusPort, [request], { fromPort, answers: 1 });
    expect(first).toHaveLength(1);
    expect(again).toEqual(first);
    expect(await events(`&after=${after}&type=auth`)).toHaveLength(1);
  });

  it("malformed datagrams are dropped and the simulator carries on", async () => {
    const { upn, t } = await user();
    expect(await exchange(sim.radiusPort, [Buffer.alloc(0), Buffer.alloc(19, 1), Buffer.alloc(5000, 1)])).toEqual([]);
    expect((await ask(sim.radiusPort, { username: upn, password: code(t, 1), secret: SECRET })).response?.code).toBe(CODE.accessAccept);
    expect(sim.alive()).toBe(true);
  });
});

describe("auth nodes over the TMS Web API", () => {
  it("the first start made the node for 127.0.0.1, and a restart does not bring back a removed one", async () => {
    const list = (await (await sim.tms(`${TMS}/authnodes`)).json()) as { authNodes: { id: string; name: string; address: string; requireMessageAuthenticator: boolean }[] };
    const local = list.authNodes.find((n) => n.name === "localhost");
    expect(local).toMatchObject({ address: "127.0.0.1", requireMessageAuthenticator: true });
    expect(await events("&type=authnode.added")).toContainEqual(expect.objectContaining({ detail: expect.objectContaining({ name: "localhost" }) }));
  });

  it("POST normalises the address and answers 201; GET lists it; DELETE answers 204 and records an event; 404 after", async () => {
    const node = await addNode({ name: "v6-block", address: " 2001:DB8:0::/48 ", secret: "v6-block-secret-0123456789" });
    expect(node).toMatchObject({ name: "v6-block", address: "2001:db8::/48", requireMessageAuthenticator: true });
    const mapped = await addNode({ name: "mapped", address: "::ffff:192.0.2.77", secret: "mapped-secret-0123456789", requireMessageAuthenticator: false });
    expect(mapped).toMatchObject({ address: "192.0.2.77", requireMessageAuthenticator: false });
    const list = (await (await sim.tms(`${TMS}/authnodes`)).json()) as { authNodes: { id: string }[] };
    expect(list.authNodes.map((n) => n.id)).toEqual(expect.arrayContaining([node.id, mapped.id]));
    expect((await sim.tms(`${TMS}/authnodes/${node.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await events("&type=authnode.removed")).toContainEqual(expect.objectContaining({ detail: expect.objectContaining({ id: node.id, name: "v6-block" }) }));
    await expectError(await sim.tms(`${TMS}/authnodes/${node.id}`, { method: "DELETE" }), 404, "not_found");
  });

  it("bad input is a 400 with a sentence naming the field; a taken name a 409", async () => {
    const post = (json: unknown) => sim.tms(`${TMS}/authnodes`, { method: "POST", json });
    const base = { name: "bad", secret: "a-good-secret-0123456789" };
    for (const address of ["not-an-address", "10.0.0.1-10.0.0.9", "10.0.0.1/8", "300.1.1.1", ""]) {
      const e = await expectError(await post({ ...base, address }), 400, "invalid_input");
      expect(e.details).toHaveProperty("address");
      expect(e.message).toMatch(/address/);
    }
    for (const secret of ["too-short", "with a space in it 0123456789", "x".repeat(129)]) {
      const e = await expectError(await post({ ...base, address: "192.0.2.1", secret }), 400, "invalid_input");
      expect(e.details).toHaveProperty("secret");
    }
    await expectError(await post({ address: "192.0.2.1", secret: base.secret }), 400, "invalid_input");
    await expectError(await post({ ...base, address: "192.0.2.1", extra: 1 }), 400, "invalid_input");
    await expectError(await post({ ...base, name: "localhost", address: "192.0.2.1" }), 409, "authnode_exists");
  });

  it("every route wants the TMS key", async () => {
    for (const [method, path] of [["GET", "/authnodes"], ["POST", "/authnodes"], ["DELETE", "/authnodes/x"]]) {
      const res = await fetch(`${sim.base}${TMS}${path}`, { method, headers: { authorization: "Bearer wrong-key-0123456789abcdef" } });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });
});
