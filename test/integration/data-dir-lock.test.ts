import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataDirLockedError, LOCK_FILE, lockDataDir } from "../../mock-safenet/data-dir-lock";

// One owner per DATA_DIR: the simulator or a key rotation. A lock whose process is gone is taken over.

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the DATA_DIR lock", () => {
  it("refuses a second owner while the first lives, and frees on release", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lock-"));
    const release = lockDataDir(dir, "the SafeNet simulator");
    expect(() => lockDataDir(dir, "a master key rotation")).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir, "a master key rotation")).toThrow(/in use by the SafeNet simulator \(pid \d+\)/);
    release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir, "a master key rotation")();
  });

  it("takes over a lock left by a process that died", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lock-"));
    const dead = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: Number(dead.stdout.trim()), holder: "the SafeNet simulator" }));
    const release = lockDataDir(dir, "a master key rotation");
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), "utf8"))).toMatchObject({ pid: process.pid });
    release();
  });
});
