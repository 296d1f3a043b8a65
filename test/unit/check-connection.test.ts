import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkOtpService, checkTmsApi, listRepositories } from "../../lib/safenet/check-connection";

// Real sockets on 127.0.0.1: the classification depends on what Node's HTTP stack reports.

const KEY = "right-key";
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
          ? json(res, 200, { repositories: [{ name: "corp.local", kind: "ActiveDirectory", users: 12 }] })
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

describe("checkTmsApi", () => {
  it("accepts the TMS with the right key", async () => {
    expect(await checkTmsApi(`${base}/TMSWebAPI/v1`, KEY)).toMatchObject({ ok: true, service: "TMSWebAPI", version: "1.2.3" });
  });

  it("says the API key is wrong on a 401", async () => {
    const result = await checkTmsApi(`${base}/TMSWebAPI/v1`, "wrong-key");
    expect(result).toMatchObject({ ok: false, kind: "unauthorized" });
    expect(!result.ok && result.message).toContain("SafeNet refused the TMS API key (HTTP 401): check SAFENET_TMS_API_KEY");
  });

  it("rejects the OTP service where the TMS should be", async () => {
    expect(await checkTmsApi(`${base}/TokenValidator/TokenValidator.asmx`, KEY)).toMatchObject({ ok: false, kind: "not_safenet" });
  });

  it("classifies a wrong path and a closed port like the OTP check", async () => {
    expect(await checkTmsApi(`${base}/TMSWebAPI/v2`, KEY)).toMatchObject({ ok: false, kind: "http_status" });
    expect(await checkTmsApi(`http://127.0.0.1:${closedPort}/TMSWebAPI/v1`, KEY)).toMatchObject({ ok: false, kind: "refused" });
  });
});

describe("listRepositories", () => {
  it("lists the repositories the TMS reports, with or without a trailing slash", async () => {
    const expected = { ok: true, repositories: [{ name: "corp.local", kind: "ActiveDirectory", users: 12 }] };
    expect(await listRepositories(`${base}/TMSWebAPI/v1`, KEY)).toEqual(expected);
    expect(await listRepositories(`${base}/TMSWebAPI/v1/`, KEY)).toEqual(expected);
  });

  it("says why the list is missing", async () => {
    expect(await listRepositories(`${base}/TMSWebAPI/v1`, "wrong-key")).toMatchObject({ ok: false, kind: "unauthorized" });
    expect(await listRepositories(`${base}/health`, KEY)).toMatchObject({ ok: false, kind: "http_status" });
  });
});
