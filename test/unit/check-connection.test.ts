import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkOtpService, checkTmsApi, listRepositories, sameServiceUrl } from "../../lib/server/safenet/check-connection";

// Real sockets on 127.0.0.1: the classification depends on what Node's HTTP stack reports.

const KEY = "right-key";
/** Contract v2: an LDAP repository whose server is down, with the status and message the MFA page warns with. */
const LDAP_DOWN = { name: "example.com", kind: "LDAP", users: null, status: "unreachable", message: "ldap://10.0.0.9:389 refused the connection.", url: "ldap://10.0.0.9:389" };
/** The settings as saved: this URL and the key that belongs to it. */
const saved = (url: string, apiKey = KEY) => ({ url, apiKey });
let base = "";
let closedPort = 0;
let resetPort = 0;
const servers: (http.Server | net.Server)[] = [];

function listen<T extends http.Server | net.Server>(server: T): Promise<number> {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

beforeAll(async () => {
  const app = http.createServer((req, res) => {
    const bearer = req.headers.authorization === `Bearer ${KEY}`;
    switch (req.url) {
      case "/TokenValidator/TokenValidator.asmx":
        return json(res, 200, { service: "TokenValidator", status: "ok", version: "9.8.7" });
      case "/html":
        return res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Welcome</body></html>");
      case "/health":
        return json(res, 200, { service: "safenet-simulator", status: "ok", version: "9.8.7" });
      case "/hang":
        return; // never answers
      case "/moved":
        return res.writeHead(301, { location: "https://safenet.example.com/TokenValidator/TokenValidator.asmx" }).end();
      case "/broken":
        return json(res, 503, { error: "down" });
      case "/TMSWebAPI/v1":
        return bearer ? json(res, 200, { service: "TMSWebAPI", status: "ok", version: "1.2.3" }) : json(res, 401, { error: { code: "unauthorized" } });
      case "/TMSWebAPI/v1/repositories":
        return bearer
          ? json(res, 200, { repositories: [{ name: "corp.local", kind: "ActiveDirectory", users: 12 }, LDAP_DOWN] })
          : json(res, 401, { error: { code: "unauthorized" } });
      default:
        return json(res, 404, { error: { code: "not_found" } });
    }
  });
  base = `http://127.0.0.1:${await listen(app)}`;

  const gone = net.createServer();
  closedPort = await listen(gone);
  servers.pop();
  await new Promise((r) => gone.close(r));

  resetPort = await listen(net.createServer((socket) => socket.destroy()));
});

afterAll(async () => {
  for (const s of servers) {
    if (s instanceof http.Server) s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe("checkOtpService", () => {
  it("reports the service, its version and the round trip for a TokenValidator answer", async () => {
    const result = await checkOtpService(`${base}/TokenValidator/TokenValidator.asmx`);
    expect(result).toMatchObject({ ok: true, service: "TokenValidator", version: "9.8.7" });
    expect(result.ok && result.ms).toBeGreaterThan(0);
  });

  it("names the HTTP status and its reason for a wrong path", async () => {
    const result = await checkOtpService(`${base}/TokenValidator/Nope.asmx`);
    expect(result).toMatchObject({ ok: false, kind: "http_status" });
    expect(!result.ok && result.message).toContain("answered HTTP 404 Not Found");
  });

  it("says where a redirect points and that a failing server is failing", async () => {
    const moved = await checkOtpService(`${base}/moved`);
    expect(!moved.ok && moved.message).toContain("HTTP 301 Moved Permanently and points to https://safenet.example.com/");
    const broken = await checkOtpService(`${base}/broken`);
    expect(broken).toMatchObject({ ok: false, kind: "http_status" });
    expect(!broken.ok && broken.message).toContain("HTTP 503 Service Unavailable");
  });

  it("rejects an answer that is not JSON", async () => {
    const result = await checkOtpService(`${base}/html`);
    expect(result).toMatchObject({ ok: false, kind: "not_safenet" });
    expect(!result.ok && result.message).toContain("not with JSON");
  });

  it("rejects JSON from another service and names it", async () => {
    const result = await checkOtpService(`${base}/health`);
    expect(result).toMatchObject({ ok: false, kind: "not_safenet" });
    expect(!result.ok && result.message).toContain("“safenet-simulator”");
  });

  it("gives up on a server that never answers after the timeout", async () => {
    const started = Date.now();
    const result = await checkOtpService(`${base}/hang`, { timeoutMs: 150 });
    expect(result).toMatchObject({ ok: false, kind: "timeout" });
    expect(!result.ok && result.message).toContain("did not answer within 150 ms");
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("reports a closed port as connection refused", async () => {
    const result = await checkOtpService(`http://127.0.0.1:${closedPort}/TokenValidator/TokenValidator.asmx`);
    expect(result).toMatchObject({ ok: false, kind: "refused" });
    expect(!result.ok && result.message).toContain("connection refused");
  });

  it("reports a port that drops the connection without answering", async () => {
    const result = await checkOtpService(`http://127.0.0.1:${resetPort}/`);
    expect(result).toMatchObject({ ok: false, kind: "refused" });
  });

  it("reports a TLS failure for https:// to a plain-HTTP port", async () => {
    const result = await checkOtpService(`${base.replace("http:", "https:")}/TokenValidator/TokenValidator.asmx`);
    expect(result).toMatchObject({ ok: false, kind: "tls" });
    expect(!result.ok && result.message).toContain("plain http://");
  });

  it("reports a host name that does not resolve", async () => {
    const result = await checkOtpService("http://no-such-host.invalid/TokenValidator/TokenValidator.asmx", { timeoutMs: 3000 });
    expect(result).toMatchObject({ ok: false, kind: "dns" });
    expect(!result.ok && result.message).toContain("no-such-host.invalid");
  });

  it.each([
    ["not a url", "is not a web address"],
    ["ftp://127.0.0.1/TokenValidator", "not http or https"],
    ["", "Enter the OTP Service URL first"],
  ])("rejects the malformed URL %j without a request", async (url, words) => {
    const result = await checkOtpService(url);
    expect(result).toMatchObject({ ok: false, kind: "bad_url" });
    expect(!result.ok && result.message).toContain(words);
  });
});

describe("checkTmsApi at the saved URL", () => {
  const tms = () => `${base}/TMSWebAPI/v1`;
  it("accepts the TMS with the right key", async () => {
    expect(await checkTmsApi(tms(), saved(tms()))).toMatchObject({ ok: true, service: "TMSWebAPI", version: "1.2.3", keySent: true });
  });

  it("says the API key is wrong on a 401", async () => {
    const result = await checkTmsApi(tms(), saved(tms(), "wrong-key"));
    expect(result).toMatchObject({ ok: false, kind: "unauthorized" });
    expect(!result.ok && result.message).toContain("SafeNet refused the TMS API key (HTTP 401): check SAFENET_TMS_API_KEY");
  });

  it("rejects the OTP service where the TMS should be", async () => {
    const url = `${base}/TokenValidator/TokenValidator.asmx`;
    expect(await checkTmsApi(url, saved(url))).toMatchObject({ ok: false, kind: "not_safenet" });
  });

  it("classifies a wrong path and a closed port like the OTP check", async () => {
    const wrongPath = `${base}/TMSWebAPI/v2`;
    const closed = `http://127.0.0.1:${closedPort}/TMSWebAPI/v1`;
    expect(await checkTmsApi(wrongPath, saved(wrongPath))).toMatchObject({ ok: false, kind: "http_status" });
    expect(await checkTmsApi(closed, saved(closed))).toMatchObject({ ok: false, kind: "refused" });
  });
});

describe("listRepositories", () => {
  it("lists the repositories the TMS reports with their live status, with or without a trailing slash", async () => {
    const { url: _url, ...ldap } = LDAP_DOWN;
    const expected = { ok: true, repositories: [{ name: "corp.local", kind: "ActiveDirectory", users: 12 }, ldap] };
    expect(await listRepositories(`${base}/TMSWebAPI/v1`, saved(`${base}/TMSWebAPI/v1`))).toEqual(expected);
    expect(await listRepositories(`${base}/TMSWebAPI/v1/`, saved(`${base}/TMSWebAPI/v1`))).toEqual(expected);
  });

  it("says why the list is missing", async () => {
    expect(await listRepositories(`${base}/TMSWebAPI/v1`, saved(`${base}/TMSWebAPI/v1`, "wrong-key"))).toMatchObject({ ok: false, kind: "unauthorized" });
    expect(await listRepositories(`${base}/health`, saved(`${base}/health`))).toMatchObject({ ok: false, kind: "http_status" });
  });
});

describe("the API key goes only to the saved URL", () => {
  type Seen = { url: string; headers: http.IncomingHttpHeaders; body: string };
  let seen: Seen[] = [];
  let spy = "";
  const SAVED = "http://127.0.0.1:4010/TMSWebAPI/v1";
  const leaked = () => seen.filter((r) => JSON.stringify(r).includes(KEY));

  beforeAll(async () => {
    // Answers like a TMS: 401 in the contract's shape without the key, 200 with any Bearer.
    const recorder = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen.push({ url: req.url ?? "", headers: req.headers, body });
        if (req.url === "/plain") return json(res, 401, { message: "who are you" });
        if (req.headers.authorization) return json(res, 200, { service: "TMSWebAPI", status: "ok", version: "6.6.6" });
        return json(res, 401, { error: { code: "unauthorized", message: "Send the key." } });
      });
    });
    spy = `http://127.0.0.1:${await listen(recorder)}`;
  });

  it("probes an unsaved URL without the key and says so", async () => {
    seen = [];
    const result = await checkTmsApi(`${spy}/TMSWebAPI/v1`, saved(SAVED));
    expect(result).toMatchObject({ ok: true, service: "TMSWebAPI", keySent: false });
    expect(seen).toHaveLength(1);
    expect(seen[0].headers.authorization).toBeUndefined();
    expect(seen[0].headers["x-agent-key"]).toBeUndefined();
    expect(leaked()).toEqual([]);
  });

  it("does not call a 401 without the TMS error shape the TMS Web API", async () => {
    seen = [];
    expect(await checkTmsApi(`${spy}/plain`, saved(SAVED))).toMatchObject({ ok: false, kind: "not_safenet" });
    expect(leaked()).toEqual([]);
  });

  it("lists no repositories from an unsaved URL, and asks it nothing", async () => {
    seen = [];
    expect(await listRepositories(`${spy}/TMSWebAPI/v1`, saved(SAVED))).toMatchObject({ ok: false, kind: "unauthorized" });
    expect(seen).toEqual([]);
  });

  it("sends the key once the URL is the saved one, however it is spelled", async () => {
    seen = [];
    const result = await checkTmsApi(`${spy}/TMSWebAPI/v1/`, saved(`${spy.replace("http://", "HTTP://")}/TMSWebAPI/v1`));
    expect(result).toMatchObject({ ok: true, version: "6.6.6", keySent: true });
    expect(seen[0].headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("never sends a key with the OTP service check", async () => {
    seen = [];
    await checkOtpService(`${spy}/TokenValidator/TokenValidator.asmx`);
    expect(seen).toHaveLength(1);
    expect(seen[0].headers.authorization).toBeUndefined();
    expect(seen[0].headers["x-agent-key"]).toBeUndefined();
  });
});

describe("sameServiceUrl", () => {
  const SAVED = "http://safenet.corp.local:4010/TMSWebAPI/v1";
  it.each([
    [SAVED, true],
    [`${SAVED}/`, true],
    ["HTTP://SafeNet.Corp.Local:4010/TMSWebAPI/v1", true],
    [`  ${SAVED}  `, true],
    [`${SAVED}#frag`, true],
    ["https://safenet.corp.local:4010/TMSWebAPI/v1", false],
    ["http://safenet.corp.local:4011/TMSWebAPI/v1", false],
    ["http://safenet.corp.local/TMSWebAPI/v1", false],
    ["http://safenet.corp.local:4010/TMSWebAPI/v2", false],
    ["http://safenet.corp.local:4010/tmswebapi/v1", false],
    [`${SAVED}?x=1`, false],
    ["http://safenet.corp.local:4010@evil.example/TMSWebAPI/v1", false],
    ["http://user:pw@safenet.corp.local:4010/TMSWebAPI/v1", false],
    ["http://safenet.corp.local.evil.example:4010/TMSWebAPI/v1", false],
    ["not a url", false],
    ["", false],
  ])("%j: %s", (url, same) => {
    expect(sameServiceUrl(url, SAVED)).toBe(same);
    expect(sameServiceUrl(SAVED, url)).toBe(same);
  });

  it("a default port is the same as none", () => {
    expect(sameServiceUrl("https://tms.example:443/TMSWebAPI/v1", "https://tms.example/TMSWebAPI/v1")).toBe(true);
  });
});
