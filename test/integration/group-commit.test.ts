import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { makeGroupCommit } from "../../mock-safenet/group-commit";

// Group commit on a real WAL database, watched from a second connection as another process would.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "group-commit-"));
const file = path.join(dir, "db.sqlite");
const writer = new Database(file);
writer.pragma("journal_mode = WAL");
writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
const reader = new Database(file, { readonly: true });
const batch = makeGroupCommit(writer);
const insert = writer.prepare("INSERT INTO t (v) VALUES (?)");
const seen = () => (reader.prepare("SELECT v FROM t ORDER BY id").all() as { v: string }[]).map((r) => r.v);

afterAll(() => {
  reader.close();
  writer.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  writer.exec("DELETE FROM t");
});

describe("group commit", () => {
  it("commits the units of one turn together, and answers only once they are visible to others", async () => {
    const a = batch.run(() => insert.run("a"));
    const b = batch.run(() => insert.run("b"));
    expect(writer.inTransaction).toBe(true);
    expect(seen()).toEqual([]);
    await Promise.all([a, b]);
    expect(writer.inTransaction).toBe(false);
    expect(seen()).toEqual(["a", "b"]);
  });

  it("rolls back a failing unit alone; the rest of its batch still commits", async () => {
    const ok = batch.run(() => insert.run("kept"));
    const failing = batch.run(() => {
      insert.run("undone");
      throw new Error("refused");
    });
    await expect(failing).rejects.toThrow("refused");
    await ok;
    expect(seen()).toEqual(["kept"]);
  });

  it("makes settled() wait for writes that joined an open batch outside run()", async () => {
    const unit = batch.run(() => insert.run("unit"));
    insert.run("joined"); // e.g. a TMS request writing while validations hold the batch open
    const settled = batch.settled();
    expect(seen()).toEqual([]);
    await settled;
    await unit;
    expect(seen()).toEqual(["unit", "joined"]);
    await expect(batch.settled()).resolves.toBeUndefined();
  });

  it("lets writes outside any batch commit on their own, as before", () => {
    insert.run("alone");
    expect(seen()).toEqual(["alone"]);
  });
});
