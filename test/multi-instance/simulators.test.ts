import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../integration/harness";
import { activeToken, newUser, otpFor, setPolicy, tokenState } from "../integration/provision";
import { ask } from "../integration/support/radius-client";
import { database, ENABLED, twoSimulators, type Database } from "./stack";

const RADIUS_SECRET = "multi-instance-radius-secret-0123456789";

// Two simulators on one PostgreSQL database: whichever instance a validation reaches, a passcode
// is accepted once, failures add up to the lock, and a resync started on one finishes on the other.

let db: Database;
let a: Simulator;
let b: Simulator;

type Answer = { code: number; result: string; reason?: string; state?: string };
const check = async (sim: Simulator, username: string, passcode: string, extra: Record<string, unknown> = {}): Promise<Answer> => {
  const res = await sim.validate({ username, passcode, ...extra });
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
};

describe.skipIf(!ENABLED)("two simulators on one database", () => {
  beforeAll(async () => {
    db = await database("multi_sim");
    [a, b] = await twoSimulators(db, { SAFENET_RADIUS_SECRET: RADIUS_SECRET });
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
  });

  it("accepts exactly one of 50 identical right passcodes sent over both at once", async () => {
    const upn = await newUser(a);
    const t = await activeToken(a, upn, "event");
    const passcode = "4089" + otpFor(t, { counter: 1 });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => check(i % 2 ? b : a, upn, passcode)));
    expect(answers.filter((x) => x.code === 1)).toHaveLength(1);
    expect(answers.filter((x) => x.code === 0 && x.reason === "replayed")).toHaveLength(49);
  });

  it("RADIUS: one first-start node for both; a node added on one answers on the other, removed there it is dropped on both", async () => {
    const list = (await (await a.tms("/TMSWebAPI/v1/authnodes")).json()) as { authNodes: { name: string }[] };
    expect(list.authNodes.filter((n) => n.name === "localhost")).toHaveLength(1);
    const created = await a.tms("/TMSWebAPI/v1/authnodes", { method: "POST", json: { name: "shared-nas", address: "127.0.0.5", secret: "shared-nas-secret-0123456789" } });
    expect(created.status).toBe(201);
    const node = (await created.json()) as { id: string };
    const upn = await newUser(a);
    const t = await activeToken(a, upn, "event");
    const viaB = await ask(b.radiusPort, { username: upn, password: "4089" + otpFor(t, { counter: 1 }), secret: "shared-nas-secret-0123456789", from: "127.0.0.5" });
    expect(viaB.response?.code).toBe(2);
    // Single use across instances and paths: the code B accepted over RADIUS is refused by A over HTTP.
    expect(await check(a, upn, "4089" + otpFor(t, { counter: 1 }))).toMatchObject({ code: 0, reason: "replayed" });
    expect((await b.tms(`/TMSWebAPI/v1/authnodes/${node.id}`, { method: "DELETE" })).status).toBe(204);
    const afterRemoval = await ask(a.radiusPort, { username: upn, password: "4089" + otpFor(t, { counter: 2 }), secret: "shared-nas-secret-0123456789", from: "127.0.0.5" });
    expect(afterRemoval.response).toBeNull();
  });

  it("locks the token at the policy's threshold, counting the failures of both", async () => {
    // The policy is set through A and read by B: neither may keep it in memory.
    await setPolicy(a, { lockThreshold: 4 });
    try {
      const upn = await newUser(a);
      const t = await activeToken(b, upn, "event");
      for (const [i, sim] of [a, b, a].entries()) expect(await check(sim, upn, `4089${String(900000 + i)}`)).toMatchObject({ code: 0 });
      expect(await tokenState(a, t.serial)).toMatchObject({ state: "Active", failCount: 3 });
      expect(await check(b, upn, "4089999999")).toMatchObject({ code: 0 });
      expect(await tokenState(a, t.serial)).toMatchObject({ state: "Locked", failCount: 4 });
      // Locked for every instance: even the right passcode fails, on either.
      expect(await check(a, upn, "4089" + otpFor(t, { counter: 1 }))).toMatchObject({ code: 0, reason: "locked" });
      expect(await check(b, upn, "4089" + otpFor(t, { counter: 2 }))).toMatchObject({ code: 0, reason: "locked" });
    } finally {
      await setPolicy(b, { lockThreshold: 3 });
    }
  });

  it("counts every one of many wrong passcodes sent over both at once (no lost update)", async () => {
    await setPolicy(b, { lockThreshold: 30 });
    try {
      const upn = await newUser(a);
      const t = await activeToken(a, upn, "event");
      const answers = await Promise.all(Array.from({ length: 29 }, (_, i) => check(i % 2 ? b : a, upn, `4089${String(800000 + i)}`)));
      expect(answers.every((x) => x.code === 0)).toBe(true);
      expect(await tokenState(b, t.serial)).toMatchObject({ state: "Active", failCount: 29 });
      expect(await check(a, upn, "4089777777")).toMatchObject({ code: 0 });
      expect(await tokenState(b, t.serial)).toMatchObject({ state: "Locked", failCount: 30 });
      expect(await check(b, upn, "4089" + otpFor(t, { counter: 1 }))).toMatchObject({ code: 0, reason: "locked" });
    } finally {
      await setPolicy(a, { lockThreshold: 3 });
    }
  });

  it("finishes on B a resync that A started", async () => {
    const upn = await newUser(a);
    const t = await activeToken(a, upn, "event");
    const far = await check(a, upn, "4089" + otpFor(t, { counter: 40 }));
    expect(far).toMatchObject({ code: 5, result: "OUTER_WINDOW_AUTH" });
    expect(typeof far.state).toBe("string");
    expect(await check(b, upn, "4089" + otpFor(t, { counter: 41 }), { state: far.state })).toMatchObject({ code: 1 });
    // The counter moved for both: the next code works on A, the used one is a replay on B.
    expect(await check(a, upn, "4089" + otpFor(t, { counter: 42 }))).toMatchObject({ code: 1 });
    expect(await check(b, upn, "4089" + otpFor(t, { counter: 42 }))).toMatchObject({ code: 0, reason: "replayed" });
    // The state was used up by B: A refuses it.
    expect(await check(a, upn, "4089" + otpFor(t, { counter: 43 }), { state: far.state })).toMatchObject({ code: 0 });
  });
});
