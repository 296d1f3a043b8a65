import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { openSql, sql } from "../../lib/runtime/sql";

// Group commit (the SQL kit's `transaction(work, { batch: true })` on SQLite, which the validator
// uses) on a real WAL database, watched from a second connection as another process would.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "group-commit-"));
const file = path.join(dir, "db.sqlite");
const writer = openSql({ dialect: "sqlite", file });
const reader = () => new Database(file, { readonly: true });
let watcher: Database.Database;
const seen = () => (watcher.prepare("SELECT v FROM t ORDER BY id").all() as { v: string }[]).map((r) => r.v);
const insert = (db: typeof writer, v: string) => db.run(sql`INSERT INTO t (v) VALUES (${v})`);

afterAll(async () => {
  watcher.close();
  await writer.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await writer.exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL); DELETE FROM t");
  watcher ??= reader();
});

describe("group commit", () => {
  it("commits the units of one turn together, and answers only once they are visible to others", async () => {
    const answered: string[] = [];
    const a = writer.transaction((tx) => insert(tx, "a"), { batch: true }).then(() => answered.push("a") && seen());
    const b = writer.transaction((tx) => insert(tx, "b"), { batch: true }).then(() => answered.push("b") && seen());
    // Both units ran before the turn ended; neither is answered nor visible until the one commit.
    await new Promise((r) => queueMicrotask(() => r(null)));
    expect(answered).toEqual([]);
    expect(seen()).toEqual([]);
    // What each saw when it was answered: both rows, committed.
    expect(await Promise.all([a, b])).toEqual([
      ["a", "b"],
      ["a", "b"],
    ]);
  });

  it("rolls back a failing unit alone; the rest of its batch still commits", async () => {
    const ok = writer.transaction((tx) => insert(tx, "kept"), { batch: true });
    const failing = writer.transaction(
      async (tx) => {
        await insert(tx, "undone");
        throw new Error("refused");
      },
      { batch: true },
    );
    await expect(failing).rejects.toThrow("refused");
    await ok;
    expect(seen()).toEqual(["kept"]);
  });

  it("answers a write that joined an open batch outside a transaction only after that batch commits", async () => {
    const unit = writer.transaction((tx) => insert(tx, "unit"), { batch: true });
    // e.g. a TMS request writing while validations hold the batch open
    const joined = insert(writer, "joined").then(() => seen());
    expect(seen()).toEqual([]);
    expect(await joined).toEqual(["unit", "joined"]);
    await unit;
  });

  it("lets writes outside any batch commit on their own, as before", async () => {
    await insert(writer, "alone");
    expect(seen()).toEqual(["alone"]);
  });
});
