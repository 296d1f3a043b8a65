import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile, isPostgresUrl, openSql, redactUrl, sql, type Sql } from "@/lib/runtime/sql";
import { createPostgresDatabase } from "../integration/support/portal-db";

// The SQL kit both processes' data layers stand on: one text for both dialects, transactions that
// hold on SQLite although its driver is synchronous, group commit, and PostgreSQL when a test
// cluster is given (TEST_POSTGRES_URL, set by `npm run test:postgres`).

describe("one SQL text for both dialects", () => {
  it("numbers PostgreSQL's placeholders and keeps SQLite's anonymous", () => {
    const q = sql`SELECT a FROM t WHERE b = ${1} AND c = ${"x"}`;
    expect(compile(q, "sqlite")).toEqual({ text: "SELECT a FROM t WHERE b = ? AND c = ?", params: [1, "x"] });
    expect(compile(q, "postgres")).toEqual({ text: "SELECT a FROM t WHERE b = $1 AND c = $2", params: [1, "x"] });
  });

  it("splices nested fragments, raw text and lists, numbering across them", () => {
    const where = sql`c IN (${sql.join([3, 4])})`;
    const q = sql`SELECT ${sql.raw('"user"')} FROM t WHERE a = ${1} AND ${where} LIMIT ${5}`;
    expect(compile(q, "postgres")).toEqual({ text: 'SELECT "user" FROM t WHERE a = $1 AND c IN ($2, $3) LIMIT $4', params: [1, 3, 4, 5] });
    expect(compile(q, "sqlite").text).toBe('SELECT "user" FROM t WHERE a = ? AND c IN (?, ?) LIMIT ?');
    expect(compile(sql`SELECT 1${sql.empty}`, "sqlite").text).toBe("SELECT 1");
  });

  it("passes a value as a parameter, never as text, whatever it holds", () => {
    const evil = "x'; DROP TABLE t; --";
    const { text, params } = compile(sql`SELECT * FROM t WHERE name = ${evil}`, "postgres");
    expect(text).not.toContain("DROP");
    expect(params).toEqual([evil]);
  });

  it("turns booleans into SQLite's integers and undefined into NULL, and refuses Date objects", () => {
    expect(compile(sql`${true}, ${false}, ${undefined}`, "sqlite").params).toEqual([1, 0, null]);
    expect(compile(sql`${true}`, "postgres").params).toEqual([true]);
    expect(() => compile(sql`${new Date()}`, "sqlite")).toThrow(/epoch milliseconds/);
  });

  it("refuses an empty IN list rather than writing invalid SQL", () => {
    expect(() => sql.join([])).toThrow();
  });

  it("knows a PostgreSQL URL and never shows its password", () => {
    expect(isPostgresUrl("postgres://u:p@h/db")).toBe(true);
    expect(isPostgresUrl("postgresql://h/db")).toBe(true);
    expect(isPostgresUrl("file:data/portal.sqlite")).toBe(false);
    expect(isPostgresUrl(undefined)).toBe(false);
    expect(redactUrl("postgres://portal:s3cret@db.example:5432/portal")).toBe("postgres://portal:***@db.example:5432/portal");
  });
});

const dialects: [string, () => Promise<{ db: Sql; done: () => Promise<void> }>][] = [
  [
    "sqlite",
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sql-kit-"));
      const db = openSql({ dialect: "sqlite", file: path.join(dir, "t.sqlite") });
      return { db, done: async () => (await db.close(), fs.rmSync(dir, { recursive: true, force: true })) };
    },
  ],
];
if (process.env.TEST_POSTGRES_URL) {
  dialects.push([
    "postgres",
    async () => {
      const database = await createPostgresDatabase("kit");
      const db = openSql({ dialect: "postgres", url: database.url });
      return { db, done: async () => (await db.close(), await database.drop()) };
    },
  ]);
}

describe.each(dialects)("on %s", (_name, open) => {
  let db: Sql;
  let done: () => Promise<void>;
  beforeAll(async () => {
    ({ db, done } = await open());
    await db.exec(`CREATE TABLE counters (id INTEGER PRIMARY KEY, n BIGINT NOT NULL, "user" TEXT)`);
    await db.run(sql`INSERT INTO counters (id, n, "user") VALUES (${1}, ${0}, ${"a"})`);
  });
  afterAll(() => done());

  it("reads numbers as numbers and keeps quoted aliases' case", async () => {
    await db.run(sql`UPDATE counters SET n = ${1_800_000_000_000} WHERE id = ${1}`);
    const row = await db.get<{ n: number; userName: string; total: number }>(
      sql`SELECT n, "user" AS "userName", (SELECT count(*) FROM counters) AS total FROM counters WHERE id = ${1}`,
    );
    expect(row).toEqual({ n: 1_800_000_000_000, userName: "a", total: 1 });
    await db.run(sql`UPDATE counters SET n = ${0} WHERE id = ${1}`);
  });

  it("keeps read-modify-write transactions from losing updates when they interleave", async () => {
    // Each transaction awaits between its read and its write: without the turn-taking (SQLite) or the
    // row lock (PostgreSQL) the 40 would read the same n and the total would come out short.
    await Promise.all(
      Array.from({ length: 40 }, () =>
        db.transaction(async (tx) => {
          const row = await tx.get<{ n: number }>(sql`SELECT n FROM counters WHERE id = ${1}${tx.forUpdate}`);
          await new Promise((r) => setImmediate(r));
          await tx.run(sql`UPDATE counters SET n = ${row!.n + 1} WHERE id = ${1}`);
        }),
      ),
    );
    expect((await db.get<{ n: number }>(sql`SELECT n FROM counters WHERE id = ${1}`))!.n).toBe(40);
  });

  it("rolls back a transaction that throws, and only that one", async () => {
    const results = await Promise.allSettled([
      db.transaction(async (tx) => {
        await tx.run(sql`INSERT INTO counters (id, n) VALUES (${2}, ${0})`);
        throw new Error("refused");
      }),
      db.transaction(async (tx) => tx.run(sql`INSERT INTO counters (id, n) VALUES (${3}, ${0})`)),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
    const ids = await db.all<{ id: number }>(sql`SELECT id FROM counters ORDER BY id`);
    expect(ids.map((r) => r.id)).toEqual([1, 3]);
  });

  it("group commit: units of one turn share a commit, a failing unit is undone alone, nothing resolves before its commit", async () => {
    await db.run(sql`DELETE FROM counters WHERE id <> ${1}`);
    const units = [10, 11, 12, 13].map((id) =>
      db.transaction(
        async (tx) => {
          await tx.run(sql`INSERT INTO counters (id, n) VALUES (${id}, ${id})`);
          if (id === 12) throw new Error("this unit fails");
          return id;
        },
        { batch: true },
      ),
    );
    const settled = await Promise.allSettled(units);
    expect(settled.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    const ids = await db.all<{ id: number }>(sql`SELECT id FROM counters WHERE id >= ${10} ORDER BY id`);
    expect(ids.map((r) => r.id)).toEqual([10, 11, 13]);
  });

  it("a plain statement issued while a transaction is open waits for it instead of landing inside it", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const failing = db.transaction(async (tx) => {
      await tx.run(sql`UPDATE counters SET n = ${999} WHERE id = ${1}`);
      await gate;
      throw new Error("rolled back");
    });
    await new Promise((r) => setTimeout(r, 20));
    const outside = db.run(sql`INSERT INTO counters (id, n) VALUES (${20}, ${1})`);
    release();
    await expect(failing).rejects.toThrow("rolled back");
    await outside;
    expect((await db.get<{ n: number }>(sql`SELECT n FROM counters WHERE id = ${1}`))!.n).toBe(40);
    expect(await db.get(sql`SELECT id FROM counters WHERE id = ${20}`)).toEqual({ id: 20 });
  });
});
