import Database from "better-sqlite3";
import fc from "fast-check";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENT_KEY, startSimulator, TMS_KEY, type Simulator } from "../integration/harness";
import { activeToken, newUser, otpFor, setPolicy, type Provisioned } from "../integration/provision";
import { hostileQuery, hostileSegment, hostileString, percentEncode } from "./support/hostile";
import { leakProblems } from "./support/leaks";
import { PORTAL_NEXTAUTH_SECRET, startPortal, type Portal } from "./support/portal";
import { actionBody, buildActions, hostileFields, REAL_SEGMENTS, TARGETS, type Action, type ActionBodyKind, type PortalTarget } from "./support/portal-targets";
import { csrf, CookieJar, sessionMfa, signInSession } from "./support/portal-session";
import { send } from "./support/raw-http";

// The built portal (next start) against the real simulator, under hostile input on every page, route
// handler and server action, without a session and with an employee's and an administrator's: never
// a 5xx outside the classes the hardened-surface work fixes, never a stack trace or a secret in an
// answer, never a record changed by a refused request, and /api/health still answering.

const RUNS = Number(process.env.PORTAL_FUZZ_RUNS ?? 5_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const MASTER_KEY = Buffer.alloc(32, 11).toString("base64");
const PASSWORD = "Test!Passw0rd"; // newUser's

type Who = "none" | "forged" | "enroll" | "employee" | "admin";
interface Session {
  jar: CookieJar;
  csrfToken: string;
  /** Signs in again when a request ended the session (sign-out is one of the things fuzzed). */
  renew: () => Promise<void>;
}

let sim: Simulator;
let portal: Portal;
let actions: Action[] = [];
const sessions = new Map<Who, Session>();
const known = new Map<string, Provisioned & { counter: number }>();

async function knownTokenUser(groups: string[]): Promise<string> {
  const upn = await newUser(sim, groups);
  const t = await activeToken(sim, upn, "event");
  known.set(upn, { ...t, counter: 1 });
  return upn;
}

function nextPasscode(upn: string): string {
  const t = known.get(upn)!;
  return `4089${otpFor(t, { counter: t.counter++ })}`;
}

async function session(who: Who, upn: string, password: string, withOtp: boolean, expect: string): Promise<void> {
  const s: Session = { jar: new CookieJar(), csrfToken: "", renew: async () => {} };
  s.renew = async () => {
    s.jar = await signInSession(portal.base, upn, password, withOtp ? () => nextPasscode(upn) : undefined, expect);
    s.csrfToken = await csrf(portal.base, s.jar);
  };
  await s.renew();
  sessions.set(who, s);
}

beforeAll(async () => {
  sim = await startSimulator({ SAFENET_LOG: "off", SAFENET_MASTER_KEY: MASTER_KEY });
  portal = await startPortal(sim.base, sim.smtpPort);
  actions = buildActions();
  // Hostile passcodes in the OTP step must not lock the signed-in users' tokens out from under the run.
  await setPolicy(sim, { lockThreshold: 0 });
  const employee = await knownTokenUser([]);
  const admin = await knownTokenUser(["RAS Admins"]);
  const enrollee = await newUser(sim);
  await session("employee", employee, PASSWORD, true, "done");
  await session("admin", admin, PASSWORD, true, "done");
  await session("enroll", enrollee, PASSWORD, false, "enroll");
});
afterAll(async () => {
  await portal?.stop();
  await sim?.stop();
});

// ---- generation ---------------------------------------------------------------------------------

const segment = fc.oneof({ weight: 3, arbitrary: hostileSegment }, { weight: 1, arbitrary: fc.constantFrom(...REAL_SEGMENTS) });
const who = fc.constantFrom<Who>("none", "forged", "enroll", "employee", "employee", "admin", "admin", "admin");
const EVENT_FILTERS = ["user", "kind", "result", "from", "to", "cursor", "limit"];

const request = fc.record({
  who,
  target: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TARGETS).map((t) => ({ t })) }, { weight: 2, arbitrary: fc.nat().map((n) => ({ a: n })) }),
  segments: fc.array(segment, { minLength: 2, maxLength: 2 }),
  query: fc.oneof(hostileQuery, fc.array(fc.tuple(fc.constantFrom(...EVENT_FILTERS, "error", "callbackUrl"), hostileSegment), { maxLength: 4 }).map((ps) => "?" + ps.map(([k, v]) => `${k}=${v}`).join("&"))),
  form: hostileFields,
  realCsrf: fc.boolean(),
  action: actionBody,
  extraHeader: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom("origin", "x-forwarded-for", "x-forwarded-host", "host", "accept", "next-router-state-tree", "rsc"), hostileString) }),
});
type Generated = typeof request extends fc.Arbitrary<infer T> ? T : never;

interface Built {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  actionKind?: ActionBodyKind;
}

function build(g: Generated): Built {
  const headers: Record<string, string> = {};
  const s = g.who === "none" || g.who === "forged" ? undefined : sessions.get(g.who);
  if (s) headers.cookie = s.jar.header();
  if (g.who === "forged") headers.cookie = "next-auth.session-token=forged; next-auth.csrf-token=forged";
  if (g.extraHeader) headers[g.extraHeader[0]] = g.extraHeader[1].replace(/[^\x20-\x7e]/g, "").slice(0, 500);
  if ("a" in g.target) {
    const a = actions[g.target.a % actions.length];
    headers["next-action"] = a.id;
    headers.accept = "text/x-component";
    if (g.action.contentType) headers["content-type"] = g.action.contentType;
    if (g.action.kind === "cross-origin") headers.origin = "http://evil.example";
    return { label: `action ${a.name}`, method: "POST", path: a.page, headers, body: g.action.body, actionKind: g.action.kind };
  }
  const t: PortalTarget = g.target.t;
  let i = 0;
  const p = t.path.replace(/\{s\}/g, () => g.segments[i++]) + (t.method === "GET" ? g.query : "");
  if (t.kind === "auth-form") {
    const fields: Record<string, string> = { ...g.form };
    if (g.realCsrf && s) fields.csrfToken = s.csrfToken;
    headers["content-type"] = "application/x-www-form-urlencoded";
    const body = Object.entries(fields).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join("&");
    return { label: `${t.method} ${t.path}`, method: t.method, path: p, headers, body };
  }
  return { label: `${t.method} ${t.path}`, method: t.method, path: p, headers };
}

// ---- the classes of 5xx the hardened-surface work fixes -------------------------------------------

const badUtf8 = (p: string) =>
  p
    .split("?")[0]
    .split("/")
    .some((seg) => {
      try {
        decodeURIComponent(seg);
        return false;
      } catch {
        return true;
      }
    });

/** Which of the hostile-input classes a request falls in, to name it when it fails. */
function inputClass(b: Built): string | null {
  if (b.actionKind === "huge") return "server-action body over the limit → 413";
  if (b.actionKind === "malformed") return "malformed action payload → 400";
  if (b.actionKind === "cross-origin" || (b.headers["next-action"] && b.headers.origin !== undefined)) return "cross-origin action → 403";
  if (badUtf8(b.path)) return "malformed UTF-8 in a path → 400/404";
  if (b.path.startsWith("/api/auth/error")) return "CR/LF or non-Latin-1 in /api/auth/error → 400";
  if (b.path.startsWith("/api/mailbox/")) return "invalid mailbox id → 404";
  return null;
}

// ---- records a refused request must not change ----------------------------------------------------

async function snapshot(db: Database.Database): Promise<string> {
  const local = ["settings", "exclusion_rules"].map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all());
  const tms = async (p: string) => (await sim.tms(`/TMSWebAPI/v1${p}`)).json();
  const remote = await Promise.all([tms("/repositories/corp.local/users?limit=1000"), tms("/tokens?limit=1000"), tms("/policy")]);
  // A failed passcode counts on its token by design; everything else about a token must stay.
  return JSON.stringify([local, remote], (k, v) => (["failCount", "lockedUntil", "lastUsedAt"].includes(k) ? undefined : v));
}

/** A server action answers 200 with its refusal inside: an error state or a redirect away. */
function refused(b: Built, status: number, headers: Record<string, unknown>, text: string): boolean {
  if (status >= 300) return true;
  if (b.actionKind) return Boolean(headers["x-action-redirect"]) || /"status":"(?:error|invalid)"|"ok":false/.test(text);
  return false;
}

describe("portal under hostile input", () => {
  it(`answers ${RUNS} hostile requests without a 5xx, a leak or a change it refused`, async () => {
    expect(actions.length).toBeGreaterThan(10);
    const inputs = fc.sample(request, { numRuns: RUNS, seed: SEED });
    const db = new Database(path.join(portal.dataDir, "portal.sqlite"), { readonly: true, fileMustExist: true });
    const secrets = { NEXTAUTH_SECRET: PORTAL_NEXTAUTH_SECRET, "TMS API key": TMS_KEY, "agent key": AGENT_KEY, "master key": MASTER_KEY };
    const statuses: Record<string, number> = {};
    const byWho: Record<string, Record<string, number>> = {};
    const classHits = new Map<string, number>();
    const failures: string[] = [];
    const changes: string[] = [];
    let unsendable = 0;
    let network = 0;
    let renewed = 0;
    let worst = { ms: 0, label: "" };
    let before = await snapshot(db);
    const started = performance.now();
    for (const [n, g] of inputs.entries()) {
      const b = build(g);
      const logFrom = portal.output().length;
      const result = await send(portal.base, b.method, b.path, b.headers, b.body, 20_000);
      const extra = Object.entries(b.headers).filter(([k]) => !["cookie", "next-action", "accept", "content-type"].includes(k));
      const shown = `${g.who}: ${b.method} ${b.path.slice(0, 200)}${b.actionKind ? ` (${b.label}, ${b.actionKind} body, ${b.headers["content-type"]})` : ""}${extra.length ? ` headers ${JSON.stringify(Object.fromEntries(extra)).slice(0, 200)}` : ""}${b.body ? ` body ${JSON.stringify(String(b.body).slice(0, 240))}` : ""}`;
      if (result.kind === "unsendable") {
        unsendable++;
        continue;
      }
      if (result.kind === "network") {
        network++;
        failures.push(`no answer (${result.reason}) to ${shown}`);
        continue;
      }
      const { answer, ms } = result;
      if (ms > worst.ms) worst = { ms, label: shown.slice(0, 160) };
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      (byWho[g.who] ??= {})[answer.status] = (byWho[g.who][answer.status] ?? 0) + 1;
      if (answer.status >= 500) {
        const cls = inputClass(b);
        if (cls) classHits.set(cls, (classHits.get(cls) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 20));
        const logged = portal.output().slice(logFrom).split("\n").find((l) => /⨯|error/i.test(l)) ?? "";
        failures.push(`${answer.status} for ${shown}${cls ? ` (${cls})` : ""} → ${answer.text.slice(0, 160)} [log: ${logged.slice(0, 200)}]`);
      }
      const sent = `${b.path}\n${String(b.body ?? "")}\n${JSON.stringify(b.headers)}`;
      for (const problem of leakProblems(answer, secrets, sent)) failures.push(`${problem} for ${shown}`);
      const after = await snapshot(db);
      if (after !== before) {
        if (refused(b, answer.status, answer.headers, answer.text)) failures.push(`a refused request (${answer.status}) changed stored records: ${shown}`);
        else changes.push(`${answer.status} ${shown.slice(0, 200)}`);
        before = after;
      }
      // A fuzzed sign-out or OTP step may end a session: sign in again so the rest still runs signed in.
      if (n % 250 === 249) {
        for (const [w, s] of sessions) {
          if ((await sessionMfa(portal.base, s.jar.header())) !== (w === "enroll" ? "enroll" : "done")) {
            await s.renew();
            renewed++;
          }
        }
        before = await snapshot(db);
      }
      if (failures.length > 50) break;
    }
    const seconds = (performance.now() - started) / 1000;
    db.close();
    const health = await fetch(`${portal.base}/api/health`);
    const fiveXX = Object.entries(statuses).filter(([s]) => Number(s) >= 500).reduce((sum, [, c]) => sum + c, 0);
    const lines = [
      `portal fuzz: ${inputs.length} hostile requests (seed ${SEED}) over ${TARGETS.length} routes and ${actions.length} server actions in ${seconds.toFixed(1)} s, slowest ${worst.ms.toFixed(0)} ms (${worst.label})`,
      `  statuses ${JSON.stringify(statuses)}; by session ${JSON.stringify(byWho)}`,
      `  not sendable by Node ${unsendable}; no answer ${network}; sessions signed in again ${renewed}; accepted changes ${changes.length}`,
      ...changes.slice(0, 5).map((c) => `    accepted: ${c}`),
      `  5xx ${fiveXX}${classHits.size ? `: ${[...classHits].map(([cls, n]) => `${cls} ${n}`).join(", ")}` : ""}`,
      `  problems ${failures.length}; /api/health ${health.status}`,
    ];
    console.log(lines.join("\n"));
    if (failures.length) console.log(`portal log (errors):\n${portal.output().split("\n").filter((l) => /error|⨯|\bat /i.test(l)).slice(0, 60).join("\n")}`);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(health.status).toBe(200);
  });
});
