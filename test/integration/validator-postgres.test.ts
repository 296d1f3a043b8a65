import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "./harness";
import { createPostgresDatabase } from "./support/portal-db";
import { activeToken, newUser, otpFor, setPolicy, tokenState } from "./provision";

// Two simulators on one PostgreSQL database, as two instances behind a load balancer: a code is
// accepted once whichever instance gets it, failures and locks add up across both, and a code-5
// `state` handed out by one is honoured by the other. Needs TEST_POSTGRES_URL (npm run test:postgres).

const adminUrl = process.env.TEST_POSTGRES_URL;

describe.skipIf(!adminUrl)("two simulators on one PostgreSQL database", () => {
  let a: Simulator;
  let b: Simulator;
  let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  beforeAll(async () => {
    database = await createPostgresDatabase("safenet_validator");
    const env = { SAFENET_DATABASE_URL: database.url, SAFENET_MASTER_KEY: crypto.randomBytes(32).toString("base64") };
    // Started at once on the empty database: migrations, the key check, the PIN pepper and the demo seed race.
    [a, b] = await Promise.all([startSimulator(env), startSimulator(env)]);
  }, 90_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await database?.drop();
  });

  const check = async (sim: Simulator, username: string, passcode: string, extra: Record<string, unknown> = {}) => {
    const res = await sim.validate({ username, passcode, ...extra });
    expect(res.status).toBe(200);
    return (await res.json()) as { code: number; reason?: string; state?: string };
  };

  it("accepts 50 copies of one right passcode, sent over both at once, exactly once", async () => {
    const upn = await newUser(a);
    const t = await activeToken(a, upn, "event");
    const passcode = "4089" + otpFor(t, { counter: 1 });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => check(i % 2 ? b : a, upn, passcode)));
    expect(answers.filter((r) => r.code === 1)).toHaveLength(1);
    expect(answers.filter((r) => r.code === 0 && r.reason === "replayed")).toHaveLength(49);
  });

  it("adds up wrong passcodes over both instances and locks at the threshold, set through either", async () => {
    await setPolicy(b, { lockThreshold: 6, lockDurationSeconds: 600 });
    try {
      const upn = await newUser(a);
      const t = await activeToken(a, upn, "event");
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => check(i % 2 ? b : a, upn, "4089" + "000000")));
      expect(answers.filter((r) => r.reason === "wrong_otp")).toHaveLength(6);
      expect(answers.filter((r) => r.reason === "locked")).toHaveLength(14);
      expect(await tokenState(a, t.serial)).toMatchObject({ state: "Locked", failCount: 6 });
      expect(await check(b, upn, "4089" + otpFor(t, { counter: 1 }))).toMatchObject({ code: 0, reason: "locked" });
    } finally {
      await setPolicy(a, { lockThreshold: 3, lockDurationSeconds: 600 });
    }
  });

  it("honours on one instance the code-5 state the other handed out, once", async () => {
    const upn = await newUser(a);
    const t = await activeToken(a, upn, "event"); // counter 0 used: next expected 1, look-ahead to 11
    const challenge = await check(a, upn, "4089" + otpFor(t, { counter: 30 }));
    expect(challenge).toMatchObject({ code: 5 });
    expect(await check(b, upn, "4089" + otpFor(t, { counter: 31 }), { state: challenge.state })).toMatchObject({ code: 1 });
    expect(await check(a, upn, "4089" + otpFor(t, { counter: 32 }), { state: challenge.state })).toMatchObject({ code: 0, reason: "wrong_otp" });
    // Resynchronised at 31: the next code works on either instance without a state.
    expect(await check(a, upn, "4089" + otpFor(t, { counter: 33 }))).toMatchObject({ code: 1 });
  });

  it("lets a reader that follows the event log by id, while both instances write, miss no event", async () => {
    const users = await Promise.all(Array.from({ length: 8 }, () => newUser(a)));
    const start = (await ((await a.tms("/TMSWebAPI/v1/events?limit=1000")).json() as Promise<{ events: { id: number }[] }>)).events.at(-1)?.id ?? 0;
    let cursor = start;
    const seen: number[] = [];
    let writing = true;
    const follow = (async () => {
      while (writing || seen.length === 0) {
        const page = (await (await b.tms(`/TMSWebAPI/v1/events?after=${cursor}&limit=1000`)).json()) as { events: { id: number }[] };
        for (const e of page.events) seen.push(e.id);
        if (page.events.length) cursor = page.events.at(-1)!.id;
      }
    })();
    await Promise.all(
      Array.from({ length: 16 }, async (_, lane) => {
        for (let i = 0; i < 25; i++) await check(lane % 2 ? b : a, users[lane % users.length], "4089000000" + String(i % 10));
      }),
    );
    writing = false;
    await follow;
    // One last read after every write committed: what the follower missed for good shows as a gap.
    const all = (await (await a.tms(`/TMSWebAPI/v1/events?after=${start}&limit=1000`)).json()) as { events: { id: number }[] };
    const tail = (await (await b.tms(`/TMSWebAPI/v1/events?after=${cursor}&limit=1000`)).json()) as { events: { id: number }[] };
    expect([...seen, ...tail.events.map((e) => e.id)]).toEqual(all.events.map((e) => e.id));
  }, 60_000);
});
