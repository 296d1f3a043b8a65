import dgram from "node:dgram";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { radiusAuthenticate } from "../../lib/server/safenet/radius-client";
import { radiusAnswer, radiusLine, radiusTimeoutSentence, radiusUnavailable } from "../../lib/connect/radius";
import { startRadiusServer, type RadiusServer, type RadiusValidateRequest } from "../../mock-safenet/radius/server";
import { nodeForAddress } from "../../mock-safenet/radius/nodes";

// The portal's RADIUS client (connection test) against the simulator's RADIUS server with a stub
// validator, and the words the OTP step shows for its answers.

const SECRET = "portal-radius-client-secret-0123";
const nodes = [{ id: "1", name: "localhost", address: "127.0.0.1", requireMessageAuthenticator: true, secret: SECRET }];
const seen: RadiusValidateRequest[] = [];
let server: RadiusServer;

beforeAll(async () => {
  server = await startRadiusServer({
    host: "127.0.0.1",
    port: 0,
    nodes: { forAddress: async (ip) => nodeForAddress(nodes, ip) },
    validate: async (req) => {
      seen.push(req);
      if (req.passcode === "4089111111") return { code: 1, message: "SafeNet authentication OK." };
      if (req.passcode === "4089555555") return { code: 5, message: "Please re-authenticate, using the next response.", state: "st-ÿ-1" };
      if (req.state === "st-ÿ-1" && req.passcode === "4089555556") return { code: 1, message: "SafeNet authentication OK." };
      if (req.passcode === "4089222222") return { code: 0, message: "User's token is locked." };
      return { code: 0, message: "SafeNet authentication failed." };
    },
    record: async () => {},
    log: () => {},
  });
});
afterAll(() => server.close());

const target = () => ({ host: "127.0.0.1", port: server.port, secret: SECRET });
const ask = (password: string, more: { state?: Buffer; secret?: string; port?: number; deadlineMs?: number } = {}) =>
  radiusAuthenticate({ ...target(), ...(more.secret && { secret: more.secret }), ...(more.port && { port: more.port }) }, { username: "alice", password, state: more.state, callingStationId: "198.51.100.7" }, { deadlineMs: more.deadlineMs ?? 1500, retransmitMs: 300 });

describe("the portal's RADIUS client", () => {
  it("gets Access-Accept with the message, and sends the client address as Calling-Station-Id", async () => {
    expect(await ask("4089111111")).toEqual({ kind: "accept", message: "SafeNet authentication OK." });
    expect(seen.at(-1)).toMatchObject({ username: "alice", passcode: "4089111111", clientIp: "198.51.100.7", radius: { nasIdentifier: "safenet-login-portal" } });
  });

  it("gets Access-Challenge with the State's octets, and sends them back with the next passcode", async () => {
    const challenge = await ask("4089555555");
    expect(challenge).toMatchObject({ kind: "challenge", message: "Please re-authenticate, using the next response." });
    const state = challenge.kind === "challenge" ? challenge.state : undefined;
    expect(state?.toString("latin1")).toBe("st-ÿ-1");
    // Through the form as base64url and back.
    const carried = Buffer.from(state!.toString("base64url"), "base64url");
    expect(await ask("4089555556", { state: carried })).toMatchObject({ kind: "accept" });
  });

  it("a wrong secret: the server drops it, and the client reports a timeout at its deadline", async () => {
    const started = Date.now();
    const reply = await ask("4089111111", { secret: "not-the-node-secret-0123456789", deadlineMs: 800 });
    expect(reply).toMatchObject({ kind: "timeout" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(750);
  });

  it("retransmits the same request until an answer comes (a lost first packet costs one interval)", async () => {
    const relay = dgram.createSocket("udp4");
    let forwarded = 0;
    let client: dgram.RemoteInfo | undefined;
    const upstream = dgram.createSocket("udp4");
    upstream.on("message", (m) => client && relay.send(m, client.port, client.address));
    await new Promise<void>((r) => upstream.bind(0, "127.0.0.1", r));
    const requests: string[] = [];
    relay.on("message", (m, from) => {
      requests.push(m.toString("hex"));
      client = from;
      if (requests.length === 1) return; // the first one is lost
      forwarded++;
      upstream.send(m, server.port, "127.0.0.1");
    });
    await new Promise<void>((r) => relay.bind(0, "127.0.0.1", r));
    const reply = await ask("4089111111", { port: relay.address().port });
    expect(reply).toMatchObject({ kind: "accept" });
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(new Set(requests).size).toBe(1);
    expect(forwarded).toBeGreaterThanOrEqual(1);
    relay.close();
    upstream.close();
  });

  it("ignores an answer that does not verify under the secret (a forgery) and waits for the deadline", async () => {
    const fake = dgram.createSocket("udp4");
    fake.on("message", (m, from) => {
      const forged = Buffer.from(m);
      forged[0] = 2; // "Access-Accept", with the request's authenticator: no Response Authenticator
      fake.send(forged, from.port, from.address);
    });
    await new Promise<void>((r) => fake.bind(0, "127.0.0.1", r));
    expect(await ask("4089111111", { port: fake.address().port, deadlineMs: 600 })).toMatchObject({ kind: "timeout" });
    fake.close();
  });
});

describe("the OTP step's words for RADIUS", () => {
  it("maps each RADIUS answer to the validator's code and result", () => {
    expect(radiusAnswer("accept", "SafeNet authentication OK.")).toEqual({ code: 1, result: "AUTH_SUCCESS", message: "SafeNet authentication OK." });
    expect(radiusAnswer("challenge", "")).toMatchObject({ code: 5, result: "OUTER_WINDOW_AUTH", message: "Please re-authenticate, using the next response." });
    expect(radiusAnswer("reject", "User's token is locked.")).toMatchObject({ code: 0, reason: "locked" });
    expect(radiusAnswer("reject", "SafeNet authentication failed.").reason).toBeUndefined();
    expect(radiusLine("accept", radiusAnswer("accept", "SafeNet authentication OK."))).toBe("Access-Accept — SafeNet authentication OK. (over HTTP: 1 AUTH_SUCCESS)");
  });

  it("says why RADIUS is off, and what to check after a timeout", () => {
    expect(radiusUnavailable(1812, "a-secret-of-sixteen+")).toBeNull();
    expect(radiusUnavailable(1812, undefined)).toMatch(/SAFENET_RADIUS_SECRET/);
    expect(radiusUnavailable(0, "a-secret-of-sixteen+")).toMatch(/SAFENET_RADIUS_PORT is 0/);
    expect(radiusTimeoutSentence("127.0.0.1", 1812, 3900)).toMatch(/at 127\.0\.0\.1:1812 within 4 s.*auth node covers the portal's address.*SAFENET_RADIUS_SECRET/);
  });
});
