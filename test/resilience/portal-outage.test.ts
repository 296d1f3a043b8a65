import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signTicket } from "../../lib/connect/ticket";
import { startSimulator, type Simulator } from "../integration/harness";
import { activeToken, newUser, otpFor } from "../integration/provision";
import { PORTAL_NEXTAUTH_SECRET, signIn, standIn, startPortal, type Mode, type Portal } from "./support/portal";
import { buildActions, invokeAction, type Action } from "./support/portal-targets";
import { signInSession } from "./support/portal-session";

// SafeNet down, hanging or answering after 10 s: every portal page still answers within 5 s with a
// clear message, never a 5xx, and the home page says the OTP service is not available; so does every
// server action that needs SafeNet (sign-in, enrollment, the connection test, Check connection).

let sim: Simulator;
let proxy: Awaited<ReturnType<typeof standIn>>;
let portal: Portal;
let employee = "";
let member = { upn: "", cookie: "" };
let admin = "";
let actions: Action[] = [];

const PAGES = ["/", "/login", "/login/otp", "/enroll", "/token", "/connect", "/mailbox", "/mobilepass", "/denied", "/admin", "/admin/mfa", "/api/health", "/api/auth/session", "/api/auth/csrf"];

beforeAll(async () => {
  sim = await startSimulator({ SAFENET_LOG: "off" });
  proxy = await standIn(sim.base);
  portal = await startPortal(proxy.url, sim.smtpPort);
  employee = (await signIn(portal.base, "alice@corp.local", "Alice!2026")).cookie;
  actions = buildActions();
  // An employee and an administrator signed in with PIN + OTP (event tokens whose codes the test computes).
  const withToken = async (groups: string[]) => {
    const upn = await newUser(sim, groups);
    const t = await activeToken(sim, upn, "event");
    const jar = await signInSession(portal.base, upn, "Test!Passw0rd", () => `4089${otpFor(t, { counter: 1 })}`, "done");
    return { upn, cookie: jar.header() };
  };
  member = await withToken([]);
  admin = (await withToken(["RAS Admins"])).cookie;
});
afterAll(async () => {
  await portal?.stop();
  await proxy?.close();
  await sim?.stop();
});

async function timedGet(path: string, cookie?: string) {
  const started = performance.now();
  try {
    const res = await fetch(portal.base + path, { headers: cookie ? { cookie } : {}, redirect: "manual", signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    return { status: res.status, text, ms: performance.now() - started };
  } catch (err) {
    return { status: 0, text: (err as Error).message, ms: performance.now() - started };
  }
}

/**
 * `work` on every item, `width` at a time, answers in item order. The pages and actions each wait up
 * to the portal's 4 s SafeNet deadline: a few at once keep the suite short (one at a time it took
 * 135 s), while each is still timed on its own and one portal process still serves them all.
 */
async function inTurns<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return results;
}

describe("the portal with SafeNet unavailable", () => {
  it("has a signed-in employee session to work with", () => {
    expect(employee).toMatch(/session-token/);
  });

  it.each(["refuse", "hang", "slow"] as Mode[])("answers every page and the sign-in within 5 s with SafeNet %s", async (mode) => {
    proxy.set(mode);
    try {
      const rows: string[] = [];
      const problems: string[] = [];
      const visits = [undefined, employee].flatMap((cookie) => PAGES.map((p) => ({ p, cookie })));
      const answers = await inTurns(visits, 4, ({ p, cookie }) => timedGet(p, cookie));
      visits.forEach(({ p, cookie }, i) => {
        const r = answers[i];
        rows.push(`${p}${cookie ? " (employee)" : ""} ${r.status} ${r.ms.toFixed(0)} ms`);
        if (r.status === 0 || r.status >= 500 || r.ms > 5_000) problems.push(`${p}${cookie ? " as employee" : ""}: ${r.status} after ${r.ms.toFixed(0)} ms ${r.status >= 500 || r.status === 0 ? r.text.slice(0, 200) : ""}`);
      });
      const s = await signIn(portal.base, "bob@corp.local", "Bob!2026");
      rows.push(`sign-in ${s.status} ${s.ms.toFixed(0)} ms → ${s.url}`);
      if (s.status >= 500 || s.ms > 5_000) problems.push(`sign-in: ${s.status} after ${s.ms.toFixed(0)} ms`);
      const home = await timedGet("/", employee);
      const saysDown = /OTP service:\s*not available/i.test(home.text.replace(/<!-- -->/g, ""));
      console.log(`portal with SafeNet ${mode}:\n  ${rows.join("\n  ")}\n  home page says the OTP service is not available: ${saysDown}`);
      expect(problems).toEqual([]);
      expect(saysDown).toBe(true);
    } finally {
      proxy.set("up");
    }
  });

  const action = (name: string) => {
    const a = actions.find((x) => x.name.endsWith(`#${name}`));
    if (!a) throw new Error(`no server action ${name} in the build`);
    return a;
  };
  // SafeNet's words when it cannot be asked, as the portal passes them on.
  const CLEAR = /did not answer (?:in time|within)|cannot be reached|unreachable|connection refused|closed the connection without answering|Nothing accepts connections|not available/i;

  it.each(["refuse", "hang", "slow"] as Mode[])("answers every server action that needs SafeNet within 5 s with a clear message with SafeNet %s", async (mode) => {
    proxy.set(mode);
    try {
      const otp = `${proxy.url}/TokenValidator/TokenValidator.asmx`;
      const ticket = signTicket({ viewer: member.upn, user: member.upn, clientIp: "10.0.0.7", exp: Date.now() + 600_000 }, PORTAL_NEXTAUTH_SECRET);
      const cases: { name: string; cookie: string; args: Parameters<typeof invokeAction>[3]; expect?: RegExp }[] = [
        { name: "startEnrollment", cookie: employee, args: { form: { pin: "4739", pinConfirm: "4739", email: "alice@corp.local" } } },
        { name: "decideConnection", cookie: member.cookie, args: { form: { username: member.upn, password: "Test!Passw0rd", clientIp: "10.0.0.7", clientMac: "", gateway: "" } } },
        { name: "sendPasscode", cookie: member.cookie, args: { form: { ticket, passcode: "4089123456" } }, expect: /OTP service is unreachable/ },
        { name: "checkOtpServiceAction", cookie: admin, args: { args: [otp] } },
        { name: "checkTmsApiAction", cookie: admin, args: { args: [`${proxy.url}/TMSWebAPI/v1`] } },
      ];
      const rows: string[] = [];
      const problems: string[] = [];
      const answers = await inTurns(cases, cases.length, (c) => invokeAction(portal.base, action(c.name), c.cookie, c.args));
      for (const [i, c] of cases.entries()) {
        const r = answers[i];
        const text = r.text.replace(/\s+/g, " ");
        const clear = (c.expect ?? CLEAR).exec(text);
        rows.push(`${c.name} ${r.status} ${r.ms.toFixed(0)} ms${r.redirect ? ` → ${r.redirect}` : ""}: ${clear ? `“…${text.slice(Math.max(0, clear.index - 40), clear.index + 80)}…”` : `no clear message in ${text.slice(0, 300)}`}`);
        if (r.status === 0 || r.status >= 500 || r.ms > 5_000 || !clear) problems.push(`${c.name}: ${r.status} after ${r.ms.toFixed(0)} ms, ${clear ? "clear" : `no clear message in ${text.slice(0, 300)}`}`);
      }
      const s = await signIn(portal.base, member.upn, "Test!Passw0rd");
      rows.push(`sign-in (password step) ${s.status} ${s.ms.toFixed(0)} ms → ${s.url}`);
      if (s.status >= 500 || s.ms > 5_000 || !/error=/.test(s.url ?? "")) problems.push(`sign-in: ${s.status} after ${s.ms.toFixed(0)} ms → ${s.url}`);
      console.log(`server actions with SafeNet ${mode}:\n  ${rows.join("\n  ")}`);
      expect(problems).toEqual([]);
    } finally {
      proxy.set("up");
    }
  });
});
