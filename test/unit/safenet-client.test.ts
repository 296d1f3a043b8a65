import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../lib/safenet/contract";
import { safenetClient, type SafeNetClient } from "../../lib/server/safenet/client";
import { SafeNetError } from "../../lib/safenet/contract";
import { errorSentence } from "../../lib/safenet/token-actions";

// A stand-in SafeNet on 127.0.0.1 that answers what each test tells it to: the client must turn
// every wrong answer into a SafeNetError that names the endpoint, and never leak the body.

const SECRET = "Sup3rSecretActivationKey";
type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

let answer: Handler = (_req, res) => res.writeHead(500).end();
let server: http.Server;
let client: SafeNetClient;

const json = (status: number, body: unknown): Handler => (_req, res) => {
  res.writeHead(status, { "content-type": "application/json" }).end(typeof body === "string" ? body : JSON.stringify(body));
};

const token = {
  serial: "0123456789ABCDEF", type: "MobilePASS", otpMode: "time", otpLength: 6, state: "Active", user: "alice@corp.local",
  failCount: 0, lockedUntil: null, createdAt: "2025-01-02T03:04:05.000Z", activatedAt: "2025-01-02T03:05:00.000Z", lastUsedAt: null,
};

/** The SafeNetError a call fails with; the test fails if it succeeds or throws anything else. */
async function failure(call: Promise<unknown>): Promise<SafeNetError> {
  const err = await call.then(
    () => new Error("expected the call to fail"),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SafeNetError);
  return err as SafeNetError;
}

beforeAll(async () => {
  Object.assign(process.env, { SAFENET_TMS_API_KEY: "tms-key", SAFENET_AGENT_KEY: "agent-key", NEXTAUTH_SECRET: "x".repeat(32) });
  server = http.createServer((req, res) => answer(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = safenetClient({ tmsUrl: `${base}/TMSWebAPI/v1`, otpServiceUrl: `${base}/TokenValidator/TokenValidator.asmx`, repository: "corp.local" });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  answer = (_req, res) => res.writeHead(500).end();
});

describe("a malformed SafeNet answer", () => {
  it("an HTML page from a proxy is a 502 bad_answer that names the endpoint, without the page", async () => {
    answer = (_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(`<html><body>Login here ${SECRET}</body></html>`);
    const err = await failure(client.policy());
    expect(err).toMatchObject({ status: 502, code: "bad_answer", details: { endpoint: "GET /policy" } });
    expect(err.message).toBe(
      "SafeNet's answer to GET /policy is not JSON (an HTML page, perhaps from a proxy). Check that the service URLs under Multi-factor authentication point to SafeNet.",
    );
    expect(errorSentence(err)).toBe(err.message);
  });

  it("truncated JSON is not JSON", async () => {
    answer = json(200, `{"serial":"0123456789ABCDEF","activationKey":"${SECRET}`);
    const err = await failure(client.getToken("0123456789ABCDEF"));
    expect(err.code).toBe("bad_answer");
    expect(err.message).toMatch(/^SafeNet's answer to GET \/tokens\/\{serial\} is not JSON\. /);
    expect(err.message).not.toContain(SECRET);
  });

  it("a body cut off mid-way is said to be cut off", async () => {
    answer = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "4000" });
      res.write(`{"token":{"serial":"0123456789ABCDEF"`, () => res.socket?.destroy());
    };
    const err = await failure(client.getToken("0123456789ABCDEF"));
    expect(err).toMatchObject({ status: 502, code: "bad_answer" });
    expect(err.message).toMatch(/GET \/tokens\/\{serial\} was cut off before its end/);
  });

  it("a field of the wrong type or a missing field is named", async () => {
    answer = json(200, { ...DEFAULT_POLICY, lockThreshold: "3" });
    expect((await failure(client.policy())).message).toMatch(/^SafeNet's answer to GET \/policy does not match the SafeNet contract: lockThreshold is not a number\. /);

    const { state: _state, ...noState } = token;
    answer = json(200, noState);
    expect((await failure(client.tokenAction("0123456789ABCDEF", "suspend"))).message).toMatch(
      /POST \/tokens\/\{serial\}\/suspend does not match the SafeNet contract: state is missing\./,
    );

    answer = json(200, { users: [{ upn: "alice@corp.local", displayName: "Alice", email: "a@corp.local", groups: "Domain Users", safenetAccount: true, tokens: [] }], nextCursor: null });
    expect((await failure(client.listUsers({ search: "alice" }))).message).toMatch(/GET \/repositories\/\{repo\}\/users does not match the SafeNet contract: users\.0\.groups is not an array\./);
  });

  it("an activation block that breaks the contract is refused without repeating its secrets", async () => {
    const activation = { activationKey: SECRET, seedFile: { filename: "S.pskc", contentType: "application/pskc+xml", base64: `${SECRET}==` }, otpauthUri: "otpauth://totp/x", downloadUrl: "http://127.0.0.1/d" };
    answer = json(201, { token, activation });
    const err = await failure(client.provision("alice@corp.local", { type: "MobilePASS", otpMode: "time", pin: "4089" }));
    expect(err.message).toMatch(/POST \/repositories\/\{repo\}\/users\/\{upn\}\/tokens does not match .*activation\.activationKey/);
    expect(err.message).not.toContain(SECRET);
    expect(JSON.stringify(err.details)).not.toContain(SECRET);
  });

  it("an empty body, or no body at all, where an answer is due", async () => {
    answer = json(200, "");
    expect((await failure(client.groups())).message).toMatch(/GET \/repositories\/\{repo\}\/groups was empty \(HTTP 200\)/);
    answer = (_req, res) => res.writeHead(204).end();
    expect((await failure(client.getToken("0123456789ABCDEF"))).message).toMatch(/was empty \(HTTP 204\)/);
  });

  it("a validator answer whose code and result disagree, or a code 5 without its state", async () => {
    answer = json(200, { code: 1, result: "AUTH_FAILURE", message: "SafeNet authentication OK." });
    expect((await failure(client.validate({ username: "alice", passcode: "4089123456" }))).message).toMatch(
      /^SafeNet's answer to POST to the OTP Service URL does not match the SafeNet contract: result is not the result of code 1\./,
    );
    answer = json(200, { code: 5, result: "OUTER_WINDOW_AUTH", message: "Please re-authenticate, using the next response.", serial: "S" });
    expect((await failure(client.validate({ username: "alice", passcode: "4089123456" }))).message).toMatch(/state is missing from a code 5 answer/);
  });

  it("an error status without the contract's error body keeps its status and names the endpoint", async () => {
    answer = (_req, res) => res.writeHead(502, { "content-type": "text/html" }).end(`<h1>Bad gateway</h1>${SECRET}`);
    const err = await failure(client.events(0));
    expect(err).toMatchObject({ status: 502, code: "http_error", message: "SafeNet answered HTTP 502 to GET /events." });
  });
});

describe("a well-formed SafeNet answer", () => {
  it("passes through, with the contract's error body turned into the SafeNetError it names", async () => {
    answer = json(200, { ...token, futureField: "ignored" });
    expect(await client.getToken("0123456789ABCDEF")).toEqual(token);

    answer = json(422, { error: { code: "invalid_state", message: "This token is Lost. Only a Suspended token can be reactivated.", details: { state: "Lost" } } });
    expect(await failure(client.tokenAction("0123456789ABCDEF", "reactivate"))).toMatchObject({
      status: 422,
      code: "invalid_state",
      message: "This token is Lost. Only a Suspended token can be reactivated.",
      details: { state: "Lost" },
    });

    answer = json(401, { error: { code: "invalid_credentials", message: "The user name or password is not right." } });
    expect(await client.authenticate("alice", "wrong")).toBeNull();

    answer = (_req, res) => res.writeHead(204).end();
    await expect(client.deleteToken("0123456789ABCDEF")).resolves.toBeUndefined();

    answer = json(200, { code: 5, result: "OUTER_WINDOW_AUTH", message: "Please re-authenticate, using the next response.", serial: "S", state: "abc" });
    expect(await client.validate({ username: "alice", passcode: "4089123456" })).toMatchObject({ code: 5, state: "abc" });
  });
});
