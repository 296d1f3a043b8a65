import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../integration/harness";
import { activeToken, newUser, otpFor } from "../integration/provision";
import { twoProcessBurstEach } from "./support/bursts";
import { startPortal, type Portal } from "./support/portal";
import { authForm, csrf, CookieJar, sessionMfa } from "./support/portal-session";

// One user, two password-only sign-ins ("pending"), and the same right PIN + OTP posted 50 times at
// once to the portal's OTP step from two processes, 25 per session: exactly one session becomes a
// full one; every other post is refused.

let sim: Simulator;
let portal: Portal;
beforeAll(async () => {
  sim = await startSimulator({ SAFENET_LOG: "off" });
  portal = await startPortal(sim.base, sim.smtpPort);
});
afterAll(async () => {
  await portal?.stop();
  await sim?.stop();
});

describe("50 identical right passcodes to the portal's OTP step from two sessions in two processes", () => {
  it("make exactly one session a PIN + OTP session and refuse the rest", async () => {
    const user = await newUser(sim);
    const t = await activeToken(sim, user, "event");
    const jars = [new CookieJar(), new CookieJar()];
    for (const jar of jars) {
      const first = await authForm(portal.base, jar, "credentials", { username: user, password: "Test!Passw0rd" });
      expect(first.url, "password step").not.toMatch(/error/);
      expect(await sessionMfa(portal.base, jar.header())).toBe("pending");
    }
    const passcode = `4089${otpFor(t, { counter: 1 })}`;
    const job = async (jar: CookieJar) => ({
      url: `${portal.base}/api/auth/callback/otp`,
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
      body: new URLSearchParams({ csrfToken: await csrf(portal.base, jar), passcode, json: "true" }).toString(),
      perProcess: 25,
    });
    const started = performance.now();
    const answers = await twoProcessBurstEach([await job(jars[0]), await job(jars[1])]);
    const ms = performance.now() - started - 1_500;

    const tally: Record<string, number> = {};
    const accepted: number[] = [];
    answers.forEach((list, i) =>
      list.forEach((a) => {
        const url = (() => {
          try {
            return (JSON.parse(a.text) as { url?: string }).url ?? "";
          } catch {
            return "";
          }
        })();
        const key = a.status !== 200 ? `http ${a.status}` : /error/.test(url) ? `refused (${decodeURIComponent(url.split("error=")[1] ?? "").slice(0, 60)})` : "accepted";
        tally[key] = (tally[key] ?? 0) + 1;
        if (key === "accepted") accepted.push(i);
        // The accepted answer may carry a new session cookie: the session it names is what counts.
        if (key === "accepted") for (const c of a.setCookie) jars[i].keepHeader(c);
      }),
    );
    const states = await Promise.all(jars.map((jar) => sessionMfa(portal.base, jar.header())));
    console.log(`portal OTP race: 2 processes × 25 identical right passcodes (2 sessions of ${user}) in ${ms.toFixed(0)} ms → ${JSON.stringify(tally)}; sessions now ${JSON.stringify(states)}`);
    expect(Object.keys(tally).filter((k) => k.startsWith("http 5")), "no 5xx").toEqual([]);
    expect(accepted).toHaveLength(1);
    expect(states.filter((s) => s === "done")).toHaveLength(1);
    expect(states[accepted[0]]).toBe("done");
    expect(states[1 - accepted[0]], "the other session").not.toBe("done");
  });
});
