import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseEnv } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { ensureEnvFile } from "../../scripts/setup-env";

// The first start writes .env with random keys; later starts keep what is there.

const KEYS = ["SAFENET_TMS_API_KEY", "SAFENET_AGENT_KEY", "SAFENET_MASTER_KEY", "NEXTAUTH_SECRET"];
const dirs: string[] = [];
const tempRoot = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "setup-env-"));
  dirs.push(dir);
  return dir;
};
const read = (dir: string) => parseEnv(fs.readFileSync(path.join(dir, ".env"), "utf8"));

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("ensureEnvFile", () => {
  it("writes .env readable by its owner only, with every key random and the master key 32 bytes", () => {
    const a = tempRoot();
    const b = tempRoot();
    expect(ensureEnvFile(a).created).toBe(true);
    ensureEnvFile(b);
    expect(fs.statSync(path.join(a, ".env")).mode & 0o777).toBe(0o600);
    const first = read(a);
    const second = read(b);
    for (const key of KEYS) {
      expect(first[key], key).toMatch(/^[A-Za-z0-9+/=_-]{32,}$/);
      expect(first[key]).not.toBe(second[key]);
    }
    expect(Buffer.from(first.SAFENET_MASTER_KEY!, "base64")).toHaveLength(32);
    expect(fs.existsSync(path.join(a, "data"))).toBe(true);
  });

  it("keeps an existing .env as it is on the next start", () => {
    const dir = tempRoot();
    ensureEnvFile(dir);
    const before = fs.readFileSync(path.join(dir, ".env"), "utf8");
    const again = ensureEnvFile(dir);
    expect(again).toMatchObject({ created: false, added: [] });
    expect(fs.readFileSync(path.join(dir, ".env"), "utf8")).toBe(before);
  });

  it("adds only the missing keys to a hand-written .env and never rewrites a value", () => {
    const dir = tempRoot();
    fs.writeFileSync(path.join(dir, ".env"), "SAFENET_TMS_API_KEY=mine-and-long-enough-0123456789\nSAFENET_AGENT_KEY=\nPORT=3300");
    const result = ensureEnvFile(dir);
    expect(result.added.sort()).toEqual(["NEXTAUTH_SECRET", "SAFENET_AGENT_KEY", "SAFENET_MASTER_KEY", "SAFENET_RADIUS_SECRET"]);
    const env = read(dir);
    expect(env.SAFENET_TMS_API_KEY).toBe("mine-and-long-enough-0123456789");
    expect(env.PORT).toBe("3300");
    expect(env.SAFENET_AGENT_KEY).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  });
});
