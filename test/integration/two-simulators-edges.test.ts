import crypto from "node:crypto";
import nodemailer from "nodemailer";
import { pskcBatch } from "../../bench/pskc-batch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, startSimulator, TMS, TMS_KEY, type Simulator } from "./harness";
import { expectJson } from "./provision";
import { createTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from "./support/sim-db";

// Two simulators on one PostgreSQL database, as two instances behind one name: whatever one of them
// wrote, the other answers with; a change asked of both at once happens once; nothing lives in one
// process only. (The validator's side of this is in the core's tests.)

describe.skipIf(!TEST_POSTGRES_URL)("two simulators on one PostgreSQL database", () => {
  let t: TestDatabase;
  let a: Simulator;
  let b: Simulator;

  beforeAll(async () => {
    t = await createTestDatabase("postgres");
    const shared = { SAFENET_DATABASE_URL: (t.target as { url: string }).url, SAFENET_MASTER_KEY: crypto.randomBytes(32).toString("base64") };
    // Started together: both seed the empty database at once.
    [a, b] = await Promise.all([startSimulator(shared), startSimulator(shared)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await t?.drop();
  });

  const createUser = (sim: Simulator, upn: string, n: number) =>
    sim.tms(`${REPO}/users`, { method: "POST", json: { upn, displayName: `Twin ${n}`, email: upn, password: "Twin!Passw0rd" } });
  const events = async (sim: Simulator, type: string, user: string) =>
    (await expectJson(await sim.tms(`${TMS}/events?type=${type}&user=${encodeURIComponent(user)}`))).events as unknown[];

  it("seeded the demo directory once, and one of the two printed its accounts", async () => {
    expect(await expectJson(await b.tms(`${TMS}/repositories`))).toEqual({ repositories: [{ name: "corp.local", kind: "ActiveDirectory", users: 5, status: "ok" }] });
    const printed = [a, b].map((s) => s.output().includes("alice@corp.local"));
    expect(printed.filter(Boolean)).toHaveLength(1);
  });

  it("creates a user once when both are asked at once, and each lists it", async () => {
    const upn = `twin.${process.pid}@corp.local`;
    const answers = await Promise.all([0, 1, 2, 3].map((i) => createUser(i % 2 ? b : a, upn, i)));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    for (const sim of [a, b]) {
      const page = await expectJson(await sim.tms(`${REPO}/users?search=${encodeURIComponent(upn.toUpperCase())}`));
      expect(page.users.map((u: { upn: string }) => u.upn)).toEqual([upn]);
    }
  });

  it("records the SafeNet account's creation once when both turn it on at once", async () => {
    const upn = `account.${process.pid}@corp.local`;
    expect((await createUser(a, upn, 9)).status).toBe(201);
    const answers = await Promise.all([a, b, a, b].map((sim) => sim.tms(`${REPO}/users/${upn}/account`, { method: "PUT" })));
    for (const res of answers) expect((await expectJson(res)).safenetAccount).toBe(true);
    expect(await events(b, "account.created", upn)).toHaveLength(1);
  });

  it("keeps both of two policy changes made at once through different instances", async () => {
    const before = await expectJson(await a.tms(`${TMS}/policy`));
    const [one, two] = await Promise.all([
      a.tms(`${TMS}/policy`, { method: "PUT", json: { lockThreshold: before.lockThreshold + 1 } }),
      b.tms(`${TMS}/policy`, { method: "PUT", json: { lookAheadWindow: before.lookAheadWindow + 1 } }),
    ]);
    await expectJson(one);
    await expectJson(two);
    for (const sim of [a, b]) {
      expect(await expectJson(await sim.tms(`${TMS}/policy`))).toMatchObject({
        lockThreshold: before.lockThreshold + 1,
        lookAheadWindow: before.lookAheadWindow + 1,
      });
    }
  });

  it("adds each serial of one PSKC file imported through both at once exactly once", async () => {
    const { xml, serials } = pskcBatch({ count: 40 });
    const answers = await Promise.all([a, b].map(async (sim) => expectJson(await sim.tms(`${TMS}/tokens/import`, { method: "POST", json: { pskc: xml, password: "Batch-Passw0rd" } }))));
    const added = answers.flatMap((x) => x.added as string[]);
    expect([...added].sort()).toEqual([...serials].sort());
    // What one added, the other rejected as existing: every serial is in exactly one `added`.
    for (const x of answers) {
      expect([...x.added, ...x.rejected.map((r: { serial: string }) => r.serial)].sort()).toEqual([...serials].sort());
      for (const r of x.rejected) expect(r.reason).toBe("A token with this serial already exists.");
    }
    const listed = await expectJson(await b.tms(`${TMS}/tokens?state=Inventory&limit=1000`));
    const ours = listed.tokens.filter((tk: { serial: string }) => serials.includes(tk.serial));
    expect(ours).toHaveLength(serials.length);
  });

  it("lists through one instance the mail the other one's SMTP sink took in, and empties it from either", async () => {
    const subject = `twin mail ${crypto.randomBytes(4).toString("hex")}`;
    const transport = nodemailer.createTransport({ host: "127.0.0.1", port: a.smtpPort, secure: false, ignoreTLS: true });
    await transport.sendMail({ from: "noreply@portal.example", to: "twin_mail@x.com", subject, text: "sealed body" });
    const listed = async (sim: Simulator) =>
      (await expectJson(await fetch(`${sim.base}/mailbox/messages?to=twin_mail@x.com`, { headers: { authorization: `Bearer ${TMS_KEY}` } }))).messages;
    const [m] = await listed(b);
    expect(m).toMatchObject({ subject, to: ["twin_mail@x.com"] });
    expect(m.text.trim()).toBe("sealed body");
    await expectJson(await fetch(`${b.base}/mailbox/messages`, { method: "DELETE", headers: { authorization: `Bearer ${TMS_KEY}` } }));
    expect(await listed(a)).toEqual([]);
  });
});
