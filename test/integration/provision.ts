import { expect } from "vitest";
import { hotp, totp } from "../../lib/otp";
import { readPskc } from "../../lib/pskc";
import { REPO, type Simulator } from "./harness";

// Provisions a token through the TMS Web API and recovers its seed the way MobilePASS does:
// by decrypting the seed file with the activation key.

export interface Provisioned {
  serial: string;
  secret: Uint8Array;
  activationKey: string;
  seedXml: string;
  otpauthUri: string;
  downloadUrl: string;
  mode: "time" | "event";
}

export async function provision(sim: Simulator, user: string, mode: "time" | "event", pin?: string): Promise<Provisioned> {
  const res = await sim.tms(`${REPO}/users/${encodeURIComponent(user)}/tokens`, {
    method: "POST",
    json: { type: "MobilePASS", otpMode: mode, ...(pin !== undefined && { pin }) },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return await recover(await res.json());
}

/** A provisioning (or reissue) answer, as the fields a test needs. */
export interface ProvisionAnswer {
  token: { serial: string; otpMode: "time" | "event" };
  activation: { activationKey: string; seedFile: { base64: string }; otpauthUri: string; downloadUrl: string };
}

/** Recovers the seed from the answer's seed file with its activation key, as MobilePASS does. */
export async function recover(body: ProvisionAnswer): Promise<Provisioned> {
  const seedXml = Buffer.from(body.activation.seedFile.base64, "base64").toString("utf8");
  const [key] = await readPskc(seedXml, body.activation.activationKey);
  return {
    serial: body.token.serial,
    secret: key.secret,
    activationKey: body.activation.activationKey,
    seedXml,
    otpauthUri: body.activation.otpauthUri,
    downloadUrl: body.activation.downloadUrl,
    mode: body.token.otpMode,
  };
}

/** The code a MobilePASS would show: at `offsetSteps` from now (time) or at `counter` (event). */
export function otpFor(t: Provisioned, at: { counter?: number; offsetSteps?: number } = {}): string {
  if (t.mode === "event") return hotp(t.secret, at.counter ?? 0);
  return totp(t.secret, Date.now() / 1000 + (at.offsetSteps ?? 0) * 30);
}

/**
 * Provisions and activates, so the token is Active and ready to validate. A time token is activated
 * with the previous step's code (inside the drift window), which leaves the current code unused.
 */
export async function activeToken(sim: Simulator, user: string, mode: "time" | "event", pin = "4089") {
  const t = await provision(sim, user, mode, pin);
  const res = await sim.tms(`/TMSWebAPI/v1/tokens/${t.serial}/activate`, {
    method: "POST",
    json: { passcode: pin + otpFor(t, { counter: 0, offsetSteps: -1 }) },
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return t;
}

export async function setPolicy(sim: Simulator, patch: Record<string, unknown>) {
  const res = await sim.tms("/TMSWebAPI/v1/policy", { method: "PUT", json: patch });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Waits until the next TOTP step starts when fewer than `margin` seconds remain in this one. */
export async function awayFromStepEdge(margin = 3) {
  const left = 30 - ((Date.now() / 1000) % 30);
  if (left < margin) await new Promise((r) => setTimeout(r, left * 1000 + 200));
}

let userCounter = 0;

/** A fresh directory user, so that each test owns its tokens and counters. */
export async function newUser(sim: Simulator, groups: string[] = []): Promise<string> {
  const sam = `t${process.pid}x${++userCounter}`;
  const upn = `${sam}@corp.local`;
  const res = await sim.tms(`${REPO}/users`, {
    method: "POST",
    json: { upn, displayName: `Test ${sam}`, email: upn, password: "Test!Passw0rd", groups },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return upn;
}

export async function tokenState(sim: Simulator, serial: string) {
  return (await (await sim.tms(`/TMSWebAPI/v1/tokens/${serial}`)).json()) as { state: string; failCount: number; lockedUntil: string | null };
}

/** Asserts the contract's error answer `{"error":{"code","message","details"?}}` with `status`; returns the error. */
export async function expectError(res: Response, status: number, code?: string) {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  const body = JSON.parse(text) as { error: { code: string; message: string; details?: Record<string, unknown> } };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
  expect(typeof body.error.message).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(0);
  for (const key of Object.keys(body.error)) expect(["code", "message", "details"]).toContain(key);
  if (code !== undefined) expect(body.error.code).toBe(code);
  return body.error;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/**
 * One HTTP request with nothing normalised (any method, raw path bytes, any headers, any body),
 * for the inputs that fetch refuses to send. Only to the simulator's own 127.0.0.1 address.
 */
export async function rawRequest(
  base: string,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
): Promise<RawAnswer> {
  const http = await import("node:http");
  const url = new URL(base);
  if (url.hostname !== "127.0.0.1") throw new Error(`rawRequest only talks to 127.0.0.1, not ${url.hostname}`);
  const headers = { ...opts.headers };
  const named = (h: string) => Object.keys(headers).some((k) => k.toLowerCase() === h);
  // Node sends a GET/HEAD/DELETE/OPTIONS body without any framing header unless told the length.
  if (opts.body !== undefined && !named("content-length") && !named("transfer-encoding")) headers["content-length"] = String(Buffer.byteLength(opts.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method, path, headers, agent: false, timeout: opts.timeoutMs ?? 15_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          const text = body.toString("utf8");
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on("error", reject);
    req.end(opts.body);
  });
}

/** The problems with an error body, measured against {"error":{"code","message","details"?}}; [] when it fits. */
export function errorShapeProblems(body: unknown): string[] {
  const problems: string[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(body)) return [`the body is not a JSON object: ${JSON.stringify(body)}`];
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== "error") problems.push(`top-level keys are ${JSON.stringify(keys)}, expected ["error"]`);
  const error = body.error;
  if (!isObject(error)) return [...problems, "error is not an object"];
  const extra = Object.keys(error).filter((k) => !["code", "message", "details"].includes(k));
  if (extra.length) problems.push(`error has unexpected keys ${JSON.stringify(extra)}`);
  if (typeof error.code !== "string" || !/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(error.code)) problems.push(`error.code ${JSON.stringify(error.code)} is not a snake_case string`);
  if (typeof error.message !== "string" || error.message.trim() === "") problems.push(`error.message ${JSON.stringify(error.message)} is not a sentence`);
  if ("details" in error && !isObject(error.details)) problems.push(`error.details ${JSON.stringify(error.details)} is not an object`);
  return problems;
}

/** Asserts the contract's error shape on a rawRequest answer, and the status and code when given. */
export function expectRawError(res: { status: number; json: unknown; text?: string }, status?: number, code?: string) {
  const where = `${res.status} ${res.text ?? JSON.stringify(res.json)}`.slice(0, 600);
  if (status !== undefined) expect(res.status, where).toBe(status);
  expect(errorShapeProblems(res.json), where).toEqual([]);
  if (code !== undefined) expect((res.json as { error: { code: string } }).error.code, where).toBe(code);
  return (res.json as { error: { code: string; message: string; details?: Record<string, unknown> } }).error;
}

/** Asserts the status (200 unless told) and returns the parsed JSON body; the body text is the failure message. */
export async function expectJson(res: Response, status = 200) {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text);
}
