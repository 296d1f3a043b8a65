import path from "node:path";
import fs from "node:fs";
import os from "node:os";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { migratePortal } from "../../db/migrate";
import { GET } from "../../app/api/health/route";
import { closedPort, createPostgresDatabase } from "./support/portal-db";

// /api/health as a load balancer probes it: 200 while the portal's database answers and is
// migrated, else 503 with a sentence that says what to do — quickly, and never with a password.

const ROOT = path.resolve(__dirname, "../..");
const saved = { DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: process.env.DATA_DIR };
let dir: string;

/** The process's database handle is opened again from the environment on the next probe. */
async function reopen(env: { DATABASE_URL?: string; DATA_DIR?: string }) {
  const global = globalThis as { portalDb?: { close(): Promise<void> } };
  await global.portalDb?.close().catch(() => undefined);
  global.portalDb = undefined;
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

async function probe() {
  const res = await GET();
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}


beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-health-"));
});
afterEach(async () => {
  await reopen({ DATABASE_URL: undefined, DATA_DIR: saved.DATA_DIR });
});
afterAll(async () => {
  await reopen(saved);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("/api/health on SQLite", () => {
  it("answers 503 before the database exists and 200 once it is migrated", async () => {
    await reopen({ DATABASE_URL: undefined, DATA_DIR: dir });
    const before = await probe();
    expect(before.status).toBe(503);
    expect(before.body).toMatchObject({ status: "error", service: "portal", database: "unavailable" });
    expect(before.body.message).toContain("does not exist yet");
    await migratePortal({ root: ROOT, dir, url: undefined });
    await reopen({ DATA_DIR: dir });
    expect(await probe()).toEqual({ status: 200, body: { status: "ok", service: "portal", database: "ok" } });
  });
});

describe("/api/health on PostgreSQL", () => {
  it("answers 503 at once, without the password, when PostgreSQL does not answer", async () => {
    await reopen({ DATABASE_URL: `postgres://portal:s3cret-pass@127.0.0.1:${await closedPort()}/portal` });
    const started = Date.now();
    const { status, body } = await probe();
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: "error", service: "portal", database: "unavailable" });
    expect(body.message).toMatch(/does not answer.*check that PostgreSQL is running/);
    expect(JSON.stringify(body)).not.toContain("s3cret-pass");
  });

  it("answers 503 with what to do when DATABASE_URL is not a PostgreSQL URL", async () => {
    await reopen({ DATABASE_URL: "mysql://portal@127.0.0.1/portal" });
    const { status, body } = await probe();
    expect(status).toBe(503);
    expect(body.message).toContain("DATABASE_URL must be a postgres:// URL");
  });

  it.skipIf(!process.env.TEST_POSTGRES_URL)("answers 503 before migration and 200 after", async () => {
    const created = await createPostgresDatabase("portal_health");
    try {
      await reopen({ DATABASE_URL: created.url });
      const before = await probe();
      expect(before.status).toBe(503);
      expect(before.body.message).toContain("not migrated");
      await migratePortal({ root: ROOT, url: created.url });
      expect(await probe()).toEqual({ status: 200, body: { status: "ok", service: "portal", database: "ok" } });
    } finally {
      await reopen({ DATABASE_URL: undefined });
      await created.drop();
    }
  });
});
