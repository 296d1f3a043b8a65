import Database from "better-sqlite3";
import fc from "fast-check";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENT_KEY, REPO, startSimulator, TMS, TMS_KEY, VALIDATOR, type Simulator } from "../integration/harness";
import { activeToken } from "../integration/provision";
import { hostileBodyText, hostileContentType, hostileQuery, hostileSegment, hostileString } from "./support/hostile";
import { leakProblems } from "./support/leaks";
import { send } from "./support/raw-http";

// Every simulator endpoint under hostile input: never a 5xx, never a crash, never a stack trace or a
// secret in an answer, and never a stored record changed by a request the simulator refused.

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const MASTER_KEY = Buffer.alloc(32, 9).toString("base64");

type Auth = "tms" | "agent" | "none";
interface Endpoint {
  method: string;
  /** The path with {s} where a hostile (or, sometimes, a real) segment goes. */
  path: string;
  fields: string[];
  auth: Auth;
  /** A real value for {s} now and then, so that hostile bodies reach the handlers behind the lookups. */
  real?: () => string;
}

let sim: Simulator;
let serial = "";
const ALICE = "alice@corp.local";

const ENDPOINTS: Endpoint[] = [
  { method: "GET", path: "/health", fields: [], auth: "none" },
  { method: "GET", path: "/TMSService/ClientDownload/MobilePASSWin.exe", fields: [], auth: "none" },
  { method: "GET", path: "/{s}", fields: [], auth: "none" },
  { method: "GET", path: VALIDATOR, fields: [], auth: "none" },
  { method: "POST", path: VALIDATOR, fields: ["username", "passcode", "state", "clientIp", "organization"], auth: "agent" },
  { method: "GET", path: TMS, fields: [], auth: "tms" },
  { method: "GET", path: `${TMS}/repositories`, fields: [], auth: "tms" },
  { method: "POST", path: `${TMS}/repositories/{s}/authenticate`, fields: ["username", "password"], auth: "tms", real: () => "corp.local" },
  { method: "GET", path: `${TMS}/repositories/{s}/users`, fields: [], auth: "tms", real: () => "corp.local" },
  { method: "POST", path: `${TMS}/repositories/{s}/users`, fields: ["upn", "displayName", "email", "password", "groups"], auth: "tms", real: () => "corp.local" },
  { method: "GET", path: `${REPO}/users/{s}`, fields: [], auth: "tms", real: () => ALICE },
  { method: "PATCH", path: `${REPO}/users/{s}`, fields: ["email", "displayName", "groups"], auth: "tms", real: () => ALICE },
  { method: "GET", path: `${TMS}/repositories/{s}/groups`, fields: [], auth: "tms", real: () => "corp.local" },
  { method: "PUT", path: `${REPO}/users/{s}/account`, fields: [], auth: "tms", real: () => ALICE },
  { method: "DELETE", path: `${REPO}/users/{s}/account`, fields: [], auth: "tms" },
  { method: "POST", path: `${REPO}/users/{s}/tokens`, fields: ["type", "otpMode", "pin", "email"], auth: "tms", real: () => ALICE },
  { method: "GET", path: `${TMS}/tokens`, fields: [], auth: "tms" },
  { method: "GET", path: `${TMS}/tokens/{s}`, fields: [], auth: "tms", real: () => serial },
  { method: "DELETE", path: `${TMS}/tokens/{s}`, fields: [], auth: "tms" },
  ...["activate", "suspend", "reactivate", "unlock", "revoke", "resync", "pin", "reissue"].map((a) => ({
    method: "POST",
    path: `${TMS}/tokens/{s}/${a}`,
    fields: ["passcode", "otp1", "otp2", "pin"],
    auth: "tms" as Auth,
    real: () => serial,
  })),
  { method: "POST", path: `${TMS}/tokens/import`, fields: ["pskc", "password"], auth: "tms" },
  { method: "GET", path: `${TMS}/policy`, fields: [], auth: "tms" },
  {
    method: "PUT",
    path: `${TMS}/policy`,
    fields: ["lockThreshold", "lockDurationSeconds", "pinMode", "pinPosition", "pinMinLength", "pinMaxLength", "otpLength", "timeStepSeconds", "timeDriftSteps", "lookAheadWindow", "outerWindow"],
    auth: "tms",
  },
  { method: "GET", path: `${TMS}/events`, fields: [], auth: "tms" },
  { method: "GET", path: "/mailbox/messages", fields: [], auth: "tms" },
  { method: "GET", path: "/mailbox/messages/{s}/attachments/{s}", fields: [], auth: "tms" },
  { method: "POST", path: `${TMS}/{s}`, fields: [], auth: "tms" },
  { method: "OPTIONS", path: `${TMS}/policy`, fields: [], auth: "tms" },
  { method: "HEAD", path: `${TMS}/tokens/{s}`, fields: [], auth: "tms", real: () => serial },
];

const authHeaders = fc.oneof(
  { weight: 8, arbitrary: fc.constant<"right">("right") },
  { weight: 1, arbitrary: fc.constantFrom<"none" | "wrong">("none", "wrong") },
  { weight: 1, arbitrary: hostileString.map((s) => ({ hostile: s })) },
);

const request = fc
  .record({
    endpoint: fc.constantFrom(...ENDPOINTS),
    segments: fc.array(fc.oneof({ weight: 3, arbitrary: hostileSegment }, { weight: 1, arbitrary: fc.constant("<real>") }), { minLength: 2, maxLength: 2 }),
    query: hostileQuery,
    contentType: hostileContentType,
    auth: authHeaders,
    withBody: fc.boolean(),
    bodySeed: fc.integer(),
  })
  .chain((r) => hostileBodyText(r.endpoint.fields).map((body) => ({ ...r, body })));

type Generated = typeof request extends fc.Arbitrary<infer T> ? T : never;

function build(g: Generated) {
  const e = g.endpoint;
  let i = 0;
  const p = e.path.replace(/\{s\}/g, () => {
    const s = g.segments[i++];
    return s === "<real>" && e.real ? encodeURIComponent(e.real()) : s === "<real>" ? "x" : s;
  });
  const headers: Record<string, string> = {};
  const key = e.auth === "agent" ? AGENT_KEY : TMS_KEY;
  if (g.auth === "right") {
    if (e.auth === "agent") headers["x-agent-key"] = key;
    else headers.authorization = `Bearer ${key}`;
  } else if (g.auth === "wrong") {
    headers.authorization = "Bearer wrong-key-0123456789abcdef";
    headers["x-agent-key"] = "wrong-agent-key-0123456789";
  } else if (typeof g.auth === "object") {
    headers.authorization = `Bearer ${g.auth.hostile}`;
    headers["x-agent-key"] = g.auth.hostile;
  }
  const hasBody = g.withBody || ["POST", "PUT", "PATCH"].includes(e.method);
  if (hasBody && g.contentType !== undefined) headers["content-type"] = g.contentType;
  return { method: e.method, path: p + g.query, headers, body: hasBody ? g.body : undefined };
}

/** Every stored record a request could change, except the event log (refusals are events by design). */
function snapshot(db: Database.Database): string {
  const tables = ["meta", "repositories", "users", "groups", "user_groups", "tokens", "resync_states", "policy", "mail_messages"];
  return JSON.stringify(tables.map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()), (_k, v) =>
    v && typeof v === "object" && v.type === "Buffer" ? Buffer.from(v.data).toString("hex") : v,
  );
}

beforeAll(async () => {
  sim = await startSimulator({ SAFENET_LOG: "off", SAFENET_MASTER_KEY: MASTER_KEY });
  serial = (await activeToken(sim, ALICE, "event")).serial;
});
afterAll(async () => {
  await sim?.stop();
});

describe("simulator under hostile input", () => {
  it(`answers ${RUNS} hostile requests without a 5xx, a crash, a leak or a change it refused`, async () => {
    const inputs = fc.sample(request, { numRuns: RUNS, seed: SEED });
    const db = new Database(path.join(sim.dataDir, "safenet.sqlite"), { readonly: true, fileMustExist: true });
    const secrets = { "TMS API key": TMS_KEY, "agent key": AGENT_KEY, "master key": MASTER_KEY };
    const statuses: Record<string, number> = {};
    const perEndpoint = new Map<string, number>();
    const failures: string[] = [];
    let unsendable = 0;
    let network = 0;
    let accepted = 0;
    let worstMs = 0;
    let before = snapshot(db);
    const started = performance.now();
    for (const g of inputs) {
      const r = build(g);
      const label = `${g.endpoint.method} ${g.endpoint.path}`;
      perEndpoint.set(label, (perEndpoint.get(label) ?? 0) + 1);
      const result = await send(sim.base, r.method, r.path, r.headers, r.body);
      const shown = `${r.method} ${r.path.slice(0, 160)} ${JSON.stringify(r.headers).slice(0, 160)} body ${String(r.body ?? "").slice(0, 160)}`;
      if (result.kind === "unsendable") {
        unsendable++;
        continue;
      }
      if (result.kind === "network") {
        network++;
        if (!sim.alive()) failures.push(`the simulator died after: ${shown}`);
        continue;
      }
      const { answer, ms } = result;
      worstMs = Math.max(worstMs, ms);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      if (answer.status >= 500) failures.push(`${answer.status} for ${shown} → ${answer.text.slice(0, 300)}`);
      const sent = `${r.path}\n${String(r.body ?? "")}\n${JSON.stringify(r.headers)}`;
      for (const problem of leakProblems(answer, secrets, sent)) failures.push(`${problem} for ${shown}`);
      const after = snapshot(db);
      if (after !== before) {
        if (answer.status >= 400) failures.push(`a refused request (${answer.status}) changed stored records: ${shown}`);
        else accepted++;
        before = after;
      }
      if (failures.length > 50) break;
    }
    const seconds = (performance.now() - started) / 1000;
    db.close();
    const health = await fetch(`${sim.base}/health`);
    console.log(
      [
        `simulator fuzz: ${inputs.length} hostile requests (seed ${SEED}) over ${perEndpoint.size} endpoints in ${seconds.toFixed(1)} s, worst answer ${worstMs.toFixed(0)} ms`,
        `  statuses ${JSON.stringify(statuses)}; not sendable by Node ${unsendable}; connection errors ${network}; accepted changes ${accepted}`,
        `  5xx ${Object.entries(statuses).filter(([s]) => Number(s) >= 500).reduce((n, [, c]) => n + c, 0)}; problems ${failures.length}; alive ${sim.alive()}; /health ${health.status}`,
      ].join("\n"),
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(sim.alive()).toBe(true);
    expect(health.status).toBe(200);
    expect(network, "connection errors").toBeLessThan(inputs.length / 100);
  });
});
