import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startSimulator, type Simulator } from "./harness";
import { activeToken, otpFor, type Provisioned } from "./provision";
import { createPostgresDatabase } from "./support/portal-db";

// `npm run safenet:rotate-key` on a PostgreSQL database two simulators share: refused while either
// runs (each holds the database's shared advisory lock), done in one transaction once both are
// stopped, and both validate under the new key afterwards. Needs TEST_POSTGRES_URL.

const adminUrl = process.env.TEST_POSTGRES_URL;

describe.skipIf(!adminUrl)("rotating the master key of a shared PostgreSQL database", () => {
  let a: Simulator;
  let b: Simulator;
  let url: string;
  let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  let token: Provisioned;
  const oldKey = crypto.randomBytes(32).toString("base64");

  beforeAll(async () => {
    database = await createPostgresDatabase("safenet_rotate");
    url = database.url;
    a = await startSimulator({ SAFENET_DATABASE_URL: url, SAFENET_MASTER_KEY: oldKey });
    b = await startSimulator({ SAFENET_DATABASE_URL: url, SAFENET_MASTER_KEY: oldKey });
    token = await activeToken(a, "alice@corp.local", "event", "4089");
  }, 90_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await database?.drop();
  });

  const rotate = (dataDir: string) =>
    spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, "scripts/rotate-key.ts")], {
      cwd: dataDir,
      env: { NODE_ENV: "test", PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, SAFENET_DATABASE_URL: url, SAFENET_MASTER_KEY: oldKey },
      encoding: "utf8",
    });

  it("refuses while any simulator on the database runs, whatever its DATA_DIR", async () => {
    const both = rotate(a.dataDir);
    expect(both.status).toBe(1);
    expect(both.stderr).toMatch(/in use by a SafeNet simulator/);
    // One stopped, the other still running: still refused.
    let onlyB: ReturnType<typeof rotate> | undefined;
    await a.restart({}, () => {
      onlyB = rotate(a.dataDir);
    });
    expect(onlyB!.status).toBe(1);
    expect(onlyB!.stderr).toMatch(/in use by a SafeNet simulator/);
    // Nothing changed: the token still validates on both.
    expect(await (await b.validate({ username: "alice@corp.local", passcode: "4089" + otpFor(token, { counter: 1 }) })).json()).toMatchObject({ code: 1 });
  }, 60_000);

  it("re-seals once every simulator is stopped; both run on the new key, the old one is refused", async () => {
    let run: ReturnType<typeof rotate> | undefined;
    await b.restart({}, async () => {
      await a.restart({}, () => {
        run = rotate(a.dataDir);
      }).catch(() => undefined); // a comes back with the old key and is refused, as it should be
    }).catch(() => undefined);
    expect(run!.status, run!.stderr).toBe(0);
    expect(run!.stdout).toContain("Re-sealed 1 token seeds");
    const newKey = fs.readFileSync(path.join(a.dataDir, "master.key.new"), "utf8").trim();
    expect(Buffer.from(newKey, "base64")).toHaveLength(32);

    await a.restart({ SAFENET_MASTER_KEY: newKey });
    await b.restart({ SAFENET_MASTER_KEY: newKey });
    expect(await (await a.validate({ username: "alice@corp.local", passcode: "4089" + otpFor(token, { counter: 2 }) })).json()).toMatchObject({ code: 1 });
    expect(await (await b.validate({ username: "alice@corp.local", passcode: "4089" + otpFor(token, { counter: 3 }) })).json()).toMatchObject({ code: 1 });
    await expect(a.restart({ SAFENET_MASTER_KEY: oldKey })).rejects.toThrow(/master key does not match/);
  }, 90_000);
});
