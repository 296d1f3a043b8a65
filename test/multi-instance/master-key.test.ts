import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../integration/harness";
import { activeToken, newUser, otpFor } from "../integration/provision";
import { database, ENABLED, type Database } from "./stack";

// Two simulators started at the same moment on one empty DATA_DIR, with no SAFENET_MASTER_KEY: the
// first start makes DATA_DIR/master.key. Both must end up with the same key (one file, made once),
// or seeds one sealed would be unreadable to the other. On PostgreSQL the data-dir lock does not
// apply, so nothing else keeps them apart.

let db: Database | undefined;
const sims: Simulator[] = [];
let dataDir: string | undefined;

describe.skipIf(!ENABLED)("two simulators creating the master key at once", () => {
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.stop()));
    await db?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("start with one master.key between them, and each reads what the other sealed", async () => {
    db = await database("multi_key");
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "safenet-shared-dir-"));
    const env = { SAFENET_DATABASE_URL: db.url, DATA_DIR: dataDir };
    const started = await Promise.allSettled([startSimulator(env), startSimulator(env)]);
    for (const s of started) if (s.status === "fulfilled") sims.push(s.value);
    expect(started.map((s) => (s.status === "rejected" ? String(s.reason) : "started"))).toEqual(["started", "started"]);

    const files = fs.readdirSync(dataDir).filter((f) => f.includes("master"));
    expect(files).toEqual(["master.key"]);
    const [a, b] = sims;
    // A seed sealed by A (provisioning), opened by B (validation), and the other way round.
    const upn = await newUser(a);
    const t = await activeToken(a, upn, "event");
    expect(await (await b.validate({ username: upn, passcode: "4089" + otpFor(t, { counter: 1 }) })).json()).toMatchObject({ code: 1 });
    const upn2 = await newUser(b);
    const t2 = await activeToken(b, upn2, "event");
    expect(await (await a.validate({ username: upn2, passcode: "4089" + otpFor(t2, { counter: 1 }) })).json()).toMatchObject({ code: 1 });
  });
});
