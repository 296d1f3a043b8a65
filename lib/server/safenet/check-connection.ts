import "server-only";
import http from "node:http";
import https from "node:https";
import type { Repository } from "../../safenet/contract";

// "Check connection" for the OTP service and the TMS Web API: one GET, classified into what an
// administrator can act on. node:http rather than fetch, since fetch refuses some ports outright
// ("bad port") and hides the socket error codes this classification needs.

export type CheckFailureKind = "bad_url" | "refused" | "dns" | "timeout" | "tls" | "http_status" | "not_safenet" | "unauthorized";
export type CheckFailure = { ok: false; kind: CheckFailureKind; message: string };
/** `keySent: false`: the TMS answered, but the API key was kept back because the URL is not the saved one. */
export type CheckResult = { ok: true; service: string; version: string; ms: number; keySent?: boolean } | CheckFailure;
export type { Repository };
export type RepositoriesResult = { ok: true; repositories: Repository[] } | CheckFailure;
export type CheckOptions = { timeoutMs?: number };
/** The TMS URL as saved in the settings and the API key that belongs to it. */
export type SavedTms = { url: string; apiKey: string };

export const CHECK_TIMEOUT_MS = 4_000;
const MAX_BODY = 1 << 20;

interface Target {
  name: string;
  service: string;
  pathHint: string;
}

const OTP: Target = { name: "OTP Service", service: "TokenValidator", pathHint: "/TokenValidator/TokenValidator.asmx" };
const TMS: Target = { name: "TMS Web API", service: "TMSWebAPI", pathHint: "/TMSWebAPI/v1" };

const fail = (kind: CheckFailureKind, message: string): CheckFailure => ({ ok: false, kind, message });

function parseUrl(raw: string, what: Target): URL | CheckFailure {
  const text = raw.trim();
  if (!text) return fail("bad_url", `Enter the ${what.name} URL first, for example http://safenet.example.com${what.pathHint}.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail("bad_url", `“${text}” is not a web address: enter a full http:// or https:// URL such as http://safenet.example.com${what.pathHint}.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return fail("bad_url", `“${text}” uses ${url.protocol.replace(/:$/, "")}, not http or https: enter an http:// or https:// URL.`);
  }
  if (!url.hostname) return fail("bad_url", `“${text}” names no host: enter a full URL such as http://safenet.example.com${what.pathHint}.`);
  return url;
}

type Answer = { status: number; statusText: string; location?: string; body: string; ms: number };

class CheckTimeout extends Error {}

function get(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<Answer> {
  const started = performance.now();
  const lib = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { method: "GET", agent: false, headers: { accept: "application/json", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY) chunks.push(chunk);
      });
      res.on("end", () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage || http.STATUS_CODES[res.statusCode ?? 0] || "",
          location: res.headers.location,
          body: size > MAX_BODY ? "" : Buffer.concat(chunks).toString("utf8"),
          ms: Math.max(1, Math.round(performance.now() - started)),
        });
      });
      res.on("error", reject);
    });
    const timer = setTimeout(() => req.destroy(new CheckTimeout()), timeoutMs);
    req.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end();
  });
}

const TLS_CODES = /SSL|TLS|CERT|EPROTO|UNABLE_TO_(VERIFY|GET)|SELF_SIGNED/;

function classifyError(err: unknown, url: URL, what: Target, timeoutMs: number): CheckFailure {
  const where = url.host;
  const seconds = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 100) / 10} seconds` : `${Math.round(timeoutMs)} ms`;
  if (err instanceof CheckTimeout) {
    return fail("timeout", `${where} did not answer within ${seconds}: check the host and port, and that no firewall drops the connection.`);
  }
  const code = (err as NodeJS.ErrnoException)?.code ?? "";
  const detail = err instanceof Error ? err.message : String(err);
  if (code === "ECONNREFUSED") {
    return fail("refused", `Nothing accepts connections at ${where} (connection refused): check the port, and that the ${what.name} is running.`);
  }
  if (["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NODATA", "EAI_NONAME"].includes(code)) {
    return fail("dns", `The host name ${url.hostname} cannot be resolved (DNS ${code}): check its spelling, or use the server's IP address.`);
  }
  if (url.protocol === "https:" && (TLS_CODES.test(code) || /ssl|tls|certificate|secure/i.test(detail))) {
    return fail("tls", `The secure (TLS) connection to ${where} failed (${code || detail}): check the server's certificate, or whether the service speaks plain http:// on that port.`);
  }
  if (code === "ECONNRESET" || code === "EPIPE") {
    return fail("refused", `${where} closed the connection without answering (${code}): check that this port belongs to the ${what.name}.`);
  }
  return fail("refused", `${where} cannot be reached (${code || detail}): check the host, the port and the network between the portal and SafeNet.`);
}

/**
 * Whether two URLs name the same service endpoint once parsed: scheme, user info, host, port
 * (default ports implied), path without trailing slashes, and query. Unparseable text is never the same.
 */
export function sameServiceUrl(a: string, b: string): boolean {
  const norm = (text: string) => {
    try {
      const u = new URL(text.trim());
      return `${u.protocol}//${u.username}:${u.password}@${u.host}${u.pathname.replace(/\/+$/, "")}${u.search}`;
    } catch {
      return null;
    }
  };
  const [na, nb] = [norm(a), norm(b)];
  return na !== null && na === nb;
}

/** The Authorization header for `url`: only the saved URL gets the saved key. */
function keyHeaders(url: string, saved: SavedTms): Record<string, string> | null {
  return saved.apiKey && sameServiceUrl(url, saved.url) ? { authorization: `Bearer ${saved.apiKey}` } : null;
}

async function probe(raw: string, what: Target, headers: Record<string, string>, options: CheckOptions): Promise<{ ok: true; json: unknown; ms: number } | CheckFailure> {
  const url = parseUrl(raw, what);
  if (!(url instanceof URL)) return url;
  const timeoutMs = options.timeoutMs ?? CHECK_TIMEOUT_MS;
  let answer: Answer;
  try {
    answer = await get(url, headers, timeoutMs);
  } catch (err) {
    return classifyError(err, url, what, timeoutMs);
  }
  const status = `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ""}`;
  if (answer.status === 401 && what === TMS && !headers.authorization) {
    // Without a key the TMS Web API answers 401 in the contract's error shape: that is its signature.
    const code = (() => {
      try {
        return (JSON.parse(answer.body) as { error?: { code?: unknown } })?.error?.code;
      } catch {
        return undefined;
      }
    })();
    if (code === "unauthorized") return { ok: true, json: { service: TMS.service, status: "unauthorized" }, ms: answer.ms };
    return fail("not_safenet", `The address answered HTTP 401, but not as the SafeNet ${what.name}: check that the URL ends in ${what.pathHint}.`);
  }
  if (answer.status === 401 && what === TMS) {
    return fail("unauthorized", "SafeNet refused the TMS API key (HTTP 401): check SAFENET_TMS_API_KEY in .env or the environment.");
  }
  if (answer.status >= 300 && answer.status < 400 && answer.location) {
    return fail("http_status", `The address answered ${status} and points to ${answer.location}: enter that address instead.`);
  }
  if (answer.status >= 500) {
    return fail("http_status", `The address answered ${status}: the server is failing; check its log and try again.`);
  }
  if (answer.status < 200 || answer.status >= 300) {
    return fail("http_status", `The address answered ${status}: check the path; the ${what.name} URL usually ends in ${what.pathHint}.`);
  }
  try {
    return { ok: true, json: JSON.parse(answer.body) as unknown, ms: answer.ms };
  } catch {
    return fail("not_safenet", `The address answered, but not with JSON, so it is not the SafeNet ${what.name}: check that the URL ends in ${what.pathHint}.`);
  }
}

function identify(json: unknown, ms: number, what: Target): CheckResult {
  const body = (json && typeof json === "object" ? json : {}) as { service?: unknown; version?: unknown };
  if (body.service !== what.service) {
    const says = typeof body.service === "string" ? ` (it says it is “${body.service}”)` : "";
    return fail("not_safenet", `The address answered, but not as the SafeNet ${what.name}${says}: check that the URL ends in ${what.pathHint}.`);
  }
  return { ok: true, service: what.service, version: typeof body.version === "string" ? body.version : "unknown", ms };
}

/** GET the OTP Service URL: the validator answers `{"service":"TokenValidator","status":"ok","version"}`. */
export async function checkOtpService(url: string, options: CheckOptions = {}): Promise<CheckResult> {
  const answer = await probe(url, OTP, {}, options);
  return answer.ok ? identify(answer.json, answer.ms, OTP) : answer;
}

/**
 * GET the TMS Web API URL. The saved URL gets the saved API key, and a 200 from TMSWebAPI proves both
 * address and key; any other URL is probed without the key (`keySent: false`), so that typing an
 * address and pressing Check never hands the key to whoever answers there.
 */
export async function checkTmsApi(url: string, saved: SavedTms, options: CheckOptions = {}): Promise<CheckResult> {
  const headers = keyHeaders(url, saved);
  const answer = await probe(url, TMS, headers ?? {}, options);
  if (!answer.ok) return answer;
  const result = identify(answer.json, answer.ms, TMS);
  return result.ok ? { ...result, keySent: headers !== null } : result;
}

/** The user repositories the TMS at the saved URL reports, for the User Repository choice. */
export async function listRepositories(url: string, saved: SavedTms, options: CheckOptions = {}): Promise<RepositoriesResult> {
  const headers = keyHeaders(url, saved);
  if (!headers) return fail("unauthorized", "The repositories are listed only from the saved TMS Web API URL, the one the API key belongs to: save the URL first.");
  const base = url.trim().replace(/\/+$/, "");
  const answer = await probe(base ? `${base}/repositories` : "", TMS, headers, options);
  if (!answer.ok) return answer;
  const list = (answer.json as { repositories?: unknown })?.repositories;
  if (!Array.isArray(list)) {
    return fail("not_safenet", "The TMS answered, but without a list of repositories: check that the TMS Web API URL ends in /TMSWebAPI/v1.");
  }
  const repositories = list
    .filter((r): r is Repository => !!r && typeof r === "object" && typeof (r as Repository).name === "string")
    .map((r) => ({
      name: r.name,
      kind: String(r.kind ?? ""),
      users: typeof r.users === "number" ? r.users : null,
      // Contract v2: an LDAP directory's live status, so the choice can warn about one that is down.
      ...(typeof r.status === "string" && { status: r.status }),
      ...(typeof r.message === "string" && { message: r.message }),
    }));
  return { ok: true, repositories };
}
