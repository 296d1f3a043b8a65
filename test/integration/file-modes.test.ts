import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { migratePortal } from "../../db/migrate";
import { openPortalDb } from "../../db/index";
import { openDatabase } from "../../mock-safenet/db";
import { loadMasterKey } from "../../mock-safenet/keys";
import { ensureEnvFile } from "../../scripts/setup-env";

// DATA_DIR at rest: the folder 0700, both databases with their -wal and -shm and master.key 0600,
// also under a permissive umask, and an older installation's wider modes tightened with a message.
// Files only: with DATABASE_URL the portal keeps no database file, so this runs on SQLite alone.

const root = path.resolve(__dirname, "../..");
const modeOf = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);
let base: string;
let umask: number;

beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "file-modes-"));
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
  fs.rmSync(base, { recursive: true, force: true });
  vi.restoreAllMocks();
});

/** Opens everything the two services keep in DATA_DIR, as they do at start; returns what to close. */
async function openAll(dir: string) {
  const portal = openPortalDb(await migratePortal({ root, dir, url: undefined }));
  const safenet = await openDatabase({ dataDir: dir });
  loadMasterKey(undefined, dir);
  return async () => {
    await portal.close();
    await safenet.close();
  };
}

const secretFiles = ["portal.sqlite", "portal.sqlite-wal", "portal.sqlite-shm", "safenet.sqlite", "safenet.sqlite-wal", "safenet.sqlite-shm", "master.key"];

describe("files at rest", () => {
  it("creates DATA_DIR 0700 and every database file and the key file 0600", async () => {
    const dir = path.join(base, "new", "data");
    const close = await openAll(dir);
    try {
      expect(modeOf(dir)).toBe("700");
      for (const name of secretFiles) expect({ name, mode: modeOf(path.join(dir, name)) }).toEqual({ name, mode: "600" });
    } finally {
      await close();
    }
  });

  it("tightens an existing installation's wider modes at start and says so", async () => {
    const dir = path.join(base, "old");
    fs.mkdirSync(dir, { mode: 0o755 });
    for (const name of ["portal.sqlite", "safenet.sqlite"]) {
      const db = new Database(path.join(dir, name));
      db.pragma("journal_mode = WAL");
      db.exec("create table t (x)");
      fs.chmodSync(path.join(dir, name), 0o644);
      db.close();
    }
    fs.writeFileSync(path.join(dir, "portal.sqlite-wal"), "", { mode: 0o666 });
    fs.writeFileSync(path.join(dir, "master.key"), Buffer.alloc(32, 1).toString("base64"), { mode: 0o644 });
    fs.chmodSync(path.join(dir, "portal.sqlite-wal"), 0o666);
    fs.chmodSync(path.join(dir, "master.key"), 0o644);
    const warnings: string[] = [];
    vi.spyOn(console, "warn").mockImplementation((line: string) => void warnings.push(line));

    const close = await openAll(dir);
    try {
      expect(modeOf(dir)).toBe("700");
      for (const name of secretFiles) expect({ name, mode: modeOf(path.join(dir, name)) }).toEqual({ name, mode: "600" });
      expect(warnings.join("\n")).toContain(`Tightened the permissions of ${dir} from 0755 to 0700`);
      expect(warnings.join("\n")).toContain(`${path.join(dir, "portal.sqlite-wal")} from 0666 to 0600`);
      expect(warnings.join("\n")).toContain(`${path.join(dir, "master.key")} from 0644 to 0600`);
    } finally {
      await close();
    }
  });

  it("tightens an existing .env to 0600 and creates DATA_DIR 0700 on the first start", () => {
    fs.writeFileSync(path.join(base, ".env"), "DATA_DIR=data\n", { mode: 0o644 });
    fs.chmodSync(path.join(base, ".env"), 0o644);
    const dataDir = process.env.DATA_DIR;
    delete process.env.DATA_DIR;
    const warnings: string[] = [];
    vi.spyOn(console, "warn").mockImplementation((line: string) => void warnings.push(line));
    try {
      ensureEnvFile(base);
    } finally {
      if (dataDir !== undefined) process.env.DATA_DIR = dataDir;
    }
    expect(modeOf(path.join(base, ".env"))).toBe("600");
    expect(modeOf(path.join(base, "data"))).toBe("700");
    expect(warnings.join("\n")).toContain(`${path.join(base, ".env")} from 0644 to 0600`);
  });
});
