import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, VALIDATOR, type Simulator } from "./harness";
import { activeToken, awayFromStepEdge, newUser, otpFor, provision, setPolicy, tokenState } from "./provision";

// Every rule of "Validation semantics", over real HTTP against a started simulator.

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => sim?.stop());

const check = async (username: string, passcode: string, extra: Record<string, unknown> = {}) => {
  const res = await sim.validate({ username, passcode, ...extra });
  expect(res.status).toBe(200);
  return res.json();
};

describe("OTP validator", () => {
  it("answers Check connection without a key and refuses validation without the agent key", async () => {
    const get = await fetch(sim.base + VALIDATOR);
    expect(await get.json()).toMatchObject({ service: "TokenValidator", status: "ok" });
    expect((await sim.validate({ username: "alice", passcode: "1" }, "wrong-agent-key-000000")).status).toBe(401);
    const none = await fetch(sim.base + VALIDATOR, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(none.status).toBe(401);
  });

  it("accepts PIN + TOTP with SafeNet's success answer, for UPN, CORP\\user and bare names", async () => {
    const upn = await newUser(sim);
    const t = await activeToken(sim, upn, "time");
    await awayFromStepEdge();
    expect(await check(upn, "4089" + otpFor(t))).toEqual({
      code: 1,
      result: "AUTH_SUCCESS",
      message: "SafeNet authentication OK.",
      serial: t.serial,
    });
    const sam = upn.split("@")[0];
    expect((await check(`CORP\\${sam}`, "4089" + otpFor(t, { offsetSteps: 1 }))).code).toBe(1);
    await setPolicy(sim, { timeDriftSteps: 2 });
    expect((await check(sam.toUpperCase(), "4089" + otpFor(t, { offsetSteps: 2 }))).code).toBe(1);
    await setPolicy(sim, { timeDriftSteps: 1 });
  });

  it("accepts one step of drift either way and answers code 5 beyond it", async () => {
    const upn = await newUser(sim);
    const t = await activeToken(sim, upn, "time");
    await awayFromStepEdge();
    expect((await check(upn, "4089" + otpFor(t, { offsetSteps: 1 }))).code).toBe(1);
    const ahead = await check(upn, "4089" + otpFor(t, { offsetSteps: 6 }));
    expect(ahead).toMatchObject({ code: 5, result: "OUTER_WINDOW_AUTH", message: "Please re-authenticate, using the next response." });
    expect(typeof ahead.state).toBe("string");
    const resynced = await check(upn, "4089" + otpFor(t, { offsetSteps: 7 }), { state: ahead.state });
    expect(resynced.code).toBe(1);
    // The token's clock offset is now remembered: the next code of the drifted clock works directly.
    await awayFromStepEdge();
    expect((await check(upn, "4089" + otpFor(t, { offsetSteps: 8 }))).code).toBe(1);
  });

  it("refuses a used TOTP code as replayed and a code from before the last accepted one", async () => {
    const upn = await newUser(sim);
    const t = await activeToken(sim, upn, "time");
    await awayFromStepEdge();
    const passcode = "4089" + otpFor(t, { offsetSteps: 1 });
    expect((await check(upn, passcode)).code).toBe(1);
    expect(await check(upn, passcode)).toMatchObject({ code: 0, result: "AUTH_FAILURE", reason: "replayed" });
    expect(await check(upn, "4089" + otpFor(t))).toMatchObject({ code: 0, reason: "replayed" });
  });

  it("walks the HOTP look-ahead window and refuses replays of older counters", async () => {
    const upn = await newUser(sim);
    const t = await activeToken(sim, upn, "event"); // counter 0 used: next expected 1
    expect((await check(upn, "4089" + otpFor(t, { counter: 11 }))).code).toBe(1); // 1 + 10 look-ahead
    expect((await check(upn, "4089" + otpFor(t, { counter: 12 }))).code).toBe(1);
    expect(await check(upn, "4089" + otpFor(t, { counter: 5 }))).toMatchObject({ code: 0, reason: "replayed" });
    expect(await check(upn, "4089" + otpFor(t, { counter: 12 }))).toMatchObject({ code: 0, reason: "replayed" });
  });

  it("answers code 5 beyond the look-ahead, and resynchronises with the next code and the state", async () => {
    const upn = await newUser(sim);
    const t = await activeToken(sim, upn, "event");
    const far = await check(upn, "4089" + otpFor(t, { counter: 40 }));
    expect(far).toMatchObject({ code: 5, result: "OUTER_WINDOW_AUTH", serial: t.serial });
    // Without the state, the next code is still outside the window.
    const wrongNext = await check(upn, "4089" + otpFor(t, { counter: 42 }), { state: far.state });
    expect(wrongNext).toMatchObject({ code: 0, reason: "wrong_otp" });
    const again = await check(upn, "4089" + otpFor(t, { counter: 50 }));
    expect(again.code).toBe(5);
    expect((await check(upn, "4089" + otpFor(t, { counter: 51 }), { state: again.state })).code).toBe(1);
    expect((await check(upn, "4089" + otpFor(t, { counter: 52 }))).code).toBe(1);
    // A state is single-use.
    expect(await check(upn, "4089" + otpFor(t, { counter: 53 }), { state: again.state })).toMatchObject({ code: 0, reason: "wrong_otp" });
    // Beyond the outer window: plain failure.
    expect(await check(upn, "4089" + otpFor(t, { counter: 300 }))).toMatchObject({ code: 0, reason: "wrong_otp" });
  });

  it("tells a wrong PIN from a wrong OTP", async () => {
    const upn = await newUser(sim);
    const t = await activeToken(sim, upn, "event");
    expect(await check(upn, "1111" + otpFor(t, { counter: 1 }))).toMatchObject({ code: 0, reason: "wrong_pin" });
    expect(await check(upn, "4089000000")).toMatchObject({ code: 0, reason: "wrong_otp" });
    expect((await check(upn, "4089" + otpFor(t, { counter: 1 }))).code).toBe(1);
    expect(await check(upn, "40")).toMatchObject({ code: 0, result: "AUTH_FAILURE" });
  });

  it("follows the PIN position and the token PIN mode of the policy", async () => {
    const upn = await newUser(sim);
    const t = await activeToken(sim, upn, "event");
    await setPolicy(sim, { pinPosition: "suffix" });
    try {
      expect((await check(upn, otpFor(t, { counter: 1 }) + "4089")).code).toBe(1);
      expect((await check(upn, "4089" + otpFor(t, { counter: 2 }))).code).toBe(0);
      await setPolicy(sim, { pinMode: "token" });
      expect((await check(upn, otpFor(t, { counter: 3 }))).code).toBe(1);
    } finally {
      await setPolicy(sim, { pinMode: "server", pinPosition: "prefix" });
    }
  });

  it("locks after lockThreshold consecutive failures, refuses even a right passcode, then unlocks by itself", async () => {
    await setPolicy(sim, { lockThreshold: 3, lockDurationSeconds: 2 });
    try {
      const upn = await newUser(sim);
      const t = await activeToken(sim, upn, "event");
      for (let i = 0; i < 2; i++) expect((await check(upn, "4089000000")).reason).toBe("wrong_otp");
      expect((await tokenState(sim, t.serial)).failCount).toBe(2);
      expect((await check(upn, "9999" + otpFor(t, { counter: 1 }))).reason).toBe("wrong_pin");
      const locked = await tokenState(sim, t.serial);
      expect(locked.state).toBe("Locked");
      expect(locked.lockedUntil).not.toBeNull();
      expect(await check(upn, "4089" + otpFor(t, { counter: 1 }))).toEqual({
        code: 0,
        result: "AUTH_FAILURE",
        message: "User's token is locked.",
        reason: "locked",
        serial: t.serial,
      });
      await new Promise((r) => setTimeout(r, 2200));
      expect((await tokenState(sim, t.serial)).state).toBe("Active");
      expect((await check(upn, "4089" + otpFor(t, { counter: 1 }))).code).toBe(1);
    } finally {
      await setPolicy(sim, { lockDurationSeconds: 600 });
    }
  });

  it("resets the failure count on success, and never locks with lockThreshold 0", async () => {
    const upn = await newUser(sim);
    const t = await activeToken(sim, upn, "event");
    for (let i = 0; i < 2; i++) await check(upn, "4089000000");
    expect((await check(upn, "4089" + otpFor(t, { counter: 1 }))).code).toBe(1);
    expect((await tokenState(sim, t.serial)).failCount).toBe(0);
    await setPolicy(sim, { lockThreshold: 0 });
    try {
      for (let i = 0; i < 5; i++) await check(upn, "4089000000");
      expect(await tokenState(sim, t.serial)).toMatchObject({ state: "Active", failCount: 5 });
      expect((await check(upn, "4089" + otpFor(t, { counter: 2 }))).code).toBe(1);
    } finally {
      await setPolicy(sim, { lockThreshold: 3 });
    }
  });

  it("answers for suspended, not yet active, missing tokens and unknown users", async () => {
    const upn = await newUser(sim);
    expect(await check(upn, "40891234567")).toMatchObject({ code: 0, reason: "no_token" });
    expect(await check("nobody-here", "40891234567")).toMatchObject({ code: 0, reason: "unknown_user" });
    const assigned = await provision(sim, upn, "event", "4089");
    expect(await check(upn, "4089" + otpFor(assigned, { counter: 0 }))).toMatchObject({ code: 0, reason: "not_active" });
    const other = await newUser(sim);
    const t = await activeToken(sim, other, "event");
    await sim.tms(`/TMSWebAPI/v1/tokens/${t.serial}/suspend`, { method: "POST" });
    expect(await check(other, "4089" + otpFor(t, { counter: 1 }))).toMatchObject({
      code: 0,
      message: "User's token is suspended.",
      reason: "suspended",
    });
  });

  it("accepts exactly one of 20 identical requests fired at once", async () => {
    const upn = await newUser(sim);
    const t = await activeToken(sim, upn, "event");
    const passcode = "4089" + otpFor(t, { counter: 1 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => check(upn, passcode)));
    expect(answers.filter((a) => a.code === 1)).toHaveLength(1);
    expect(answers.filter((a) => a.reason === "replayed")).toHaveLength(19);
  });

  it("still refuses a used code after a restart, and keeps lock state", async () => {
    const upn = await newUser(sim);
    const t = await activeToken(sim, upn, "event");
    const passcode = "4089" + otpFor(t, { counter: 1 });
    expect((await check(upn, passcode)).code).toBe(1);
    const other = await newUser(sim);
    const locked = await activeToken(sim, other, "event");
    for (let i = 0; i < 3; i++) await check(other, "4089000000");
    await sim.restart();
    expect(await check(upn, passcode)).toMatchObject({ code: 0, reason: "replayed" });
    expect((await check(upn, "4089" + otpFor(t, { counter: 2 }))).code).toBe(1);
    expect((await check(other, "4089" + otpFor(locked, { counter: 1 }))).reason).toBe("locked");
  });

  it("records every validation in the event log, with the client address and no passcode", async () => {
    const upn = await newUser(sim);
    const t = await activeToken(sim, upn, "event");
    const passcode = "4089" + otpFor(t, { counter: 1 });
    await check(upn, passcode, { clientIp: "198.51.100.7" });
    const res = await sim.tms(`/TMSWebAPI/v1/events?user=${encodeURIComponent(upn)}&type=auth`);
    const { events } = await res.json();
    expect(events.at(-1)).toMatchObject({ type: "auth", user: upn, serial: t.serial, result: "success", code: 1, clientIp: "198.51.100.7" });
    expect(JSON.stringify(events)).not.toContain(passcode);
  });
});
