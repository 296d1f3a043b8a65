import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./harness";

// Several simulators started at once on one empty DATA_DIR (possible on PostgreSQL, where they may
// share one) must end up with ONE master key: each process gets the same key, and master.key holds it.

const base = fs.mkdtempSync(path.join(os.tmpdir(), "master-key-race-"));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

function child(rounds: { dir: string; at: number }[]): Promise<{ dir: string; key?: string; error?: string }[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/integration/support/load-master-key.ts"), JSON.stringify(rounds)], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    proc.on("error", reject);
    proc.on("exit", (code) =>
      code === 0 ? resolve(out.trim().split("\n").map((l) => JSON.parse(l) as { dir: string; key?: string; error?: string })) : reject(new Error(`child exited ${code}`)),
    );
  });
}

describe("the master key file under concurrent starts", () => {
  it("gives every process starting at once on an empty DATA_DIR the same key, the one in master.key", async () => {
    const processes = 6;
    const roundCount = 40;
    // Far enough ahead for every process to have loaded; then one round every 25 ms.
    const start = Date.now() + 4000;
    const rounds = Array.from({ length: roundCount }, (_, i) => ({ dir: path.join(base, `data-${i}`), at: start + i * 25 }));
    const results = (await Promise.all(Array.from({ length: processes }, () => child(rounds)))).flat();

    expect(results.filter((r) => r.error)).toEqual([]);
    for (const { dir } of rounds) {
      const keys = new Set(results.filter((r) => r.dir === dir).map((r) => r.key));
      const onDisk = fs.readFileSync(path.join(dir, "master.key"), "utf8").trim();
      expect(keys).toEqual(new Set([onDisk]));
      // No candidate file is left behind.
      expect(fs.readdirSync(dir)).toEqual(["master.key"]);
      expect((fs.statSync(path.join(dir, "master.key")).mode & 0o777).toString(8)).toBe("600");
    }
  }, 60_000);
});
