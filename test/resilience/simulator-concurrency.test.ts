import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENT_KEY, startSimulator, VALIDATOR, type Simulator } from "../integration/harness";
import { activeToken, awayFromStepEdge, newUser, otpFor } from "../integration/provision";
import { twoProcessBurst } from "./support/bursts";

// The same right passcode, 50 times at once from two processes: accepted exactly once.

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ SAFENET_LOG: "off" });
});
afterAll(async () => {
  await sim?.stop();
});

describe("50 identical right passcodes from two processes", () => {
  it.each(["event", "time"] as const)("accept a %s token's code exactly once; the rest are replays", async (mode) => {
    const user = await newUser(sim);
    const t = await activeToken(sim, user, mode);
    if (mode === "time") await awayFromStepEdge(5);
    const passcode = `4089${mode === "event" ? otpFor(t, { counter: 1 }) : otpFor(t)}`;
    const answers = await twoProcessBurst({
      url: sim.base + VALIDATOR,
      headers: { "x-agent-key": AGENT_KEY, "content-type": "application/json" },
      body: JSON.stringify({ username: user, passcode }),
      perProcess: 25,
    });
    const tally: Record<string, number> = {};
    for (const a of answers) {
      const body = a.status === 200 ? (JSON.parse(a.text) as { code: number; reason?: string }) : undefined;
      const key = body ? `code ${body.code}${body.reason ? ` ${body.reason}` : ""}` : `http ${a.status}`;
      tally[key] = (tally[key] ?? 0) + 1;
    }
    console.log(`simulator race (${mode} token): 2 processes × 25 identical passcodes → ${JSON.stringify(tally)}`);
    expect(tally).toEqual({ "code 1": 1, "code 0 replayed": 49 });
  });
});
