import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../integration/harness";
import { signIn, standIn, startPortal, type Mode, type Portal } from "./support/portal";

// SafeNet down, hanging or answering after 10 s: every portal page still answers within 5 s with a
// clear message, never a 5xx, and the home page says the OTP service is not available.

let sim: Simulator;
let proxy: Awaited<ReturnType<typeof standIn>>;
let portal: Portal;
let employee = "";

const PAGES = ["/", "/login", "/login/otp", "/enroll", "/token", "/connect", "/mailbox", "/mobilepass", "/denied", "/admin", "/admin/mfa", "/api/health", "/api/auth/session", "/api/auth/csrf"];

beforeAll(async () => {
  sim = await startSimulator({ SAFENET_LOG: "off" });
  proxy = await standIn(sim.base);
  portal = await startPortal(proxy.url, sim.smtpPort);
  employee = (await signIn(portal.base, "alice@corp.local", "Alice!2026")).cookie;
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

describe("the portal with SafeNet unavailable", () => {
  it("has a signed-in employee session to work with", () => {
    expect(employee).toMatch(/session-token/);
  });

  it.each(["refuse", "hang", "slow"] as Mode[])("answers every page and the sign-in within 5 s with SafeNet %s", async (mode) => {
    proxy.set(mode);
    try {
      const rows: string[] = [];
      const problems: string[] = [];
      for (const cookie of [undefined, employee]) {
        for (const p of PAGES) {
          const r = await timedGet(p, cookie);
          rows.push(`${p}${cookie ? " (employee)" : ""} ${r.status} ${r.ms.toFixed(0)} ms`);
          if (r.status === 0 || r.status >= 500 || r.ms > 5_000) problems.push(`${p}${cookie ? " as employee" : ""}: ${r.status} after ${r.ms.toFixed(0)} ms ${r.status >= 500 || r.status === 0 ? r.text.slice(0, 200) : ""}`);
        }
      }
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
});
