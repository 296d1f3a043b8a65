import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseEnv } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ensureEnvFile } from "../../scripts/setup-env";
import { ROOT } from "./harness";

// Several instances started at once from one empty checkout each run ensureEnvFile: all of them
// must end up with the keys the .env file holds, never a set of their own that another process
// then overwrote (a portal signing sessions with a NEXTAUTH_SECRET nobody else knows).

const KEYS = ["SAFENET_TMS_API_KEY", "SAFENET_AGENT_KEY", "SAFENET_MASTER_KEY", "NEXTAUTH_SECRET"] as const;
type Digests = Record<string, string>;
const digest = (value: string | undefined) => (value ? createHash("sha256").update(value).digest("hex").slice(0, 16) : "(missing)");
const keysOf = (text: string): Digests => Object.fromEntries(KEYS.map((k) => [k, digest(parseEnv(text)[k])]));

// A trap in this process's node:fs: the first existsSync/readFileSync of `file` sees the file as it
// is, then another process acts (`meanwhile`), then ensureEnvFile goes on with what it saw — the
// interleaving two instances starting at once can have, made certain instead of left to timing.
const trap = vi.hoisted(() => ({ armed: null as null | { fn: "existsSync" | "readFileSync"; file: string; meanwhile: () => void } }));
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const spring =
    <F extends (...args: never[]) => unknown>(name: "existsSync" | "readFileSync", fn: F) =>
    (...args: Parameters<F>) => {
      const seen = fn(...args);
      const t = trap.armed;
      if (t && t.fn === name && args[0] === t.file) {
        trap.armed = null;
        t.meanwhile();
      }
      return seen;
    };
  const existsSync = spring("existsSync", real.existsSync);
  const readFileSync = spring("readFileSync", real.readFileSync) as typeof real.readFileSync;
  return { ...real, existsSync, readFileSync, default: { ...real, existsSync, readFileSync } };
});

// Each child loads ensureEnvFile, says it is ready, waits for the signal file (or an instant), runs
// ensureEnvFile, then reads .env as scripts/start.ts does (process.loadEnvFile right after) and
// reports digests of the keys it would use.
const CHILD = `
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { createHash } from "node:crypto";
import { ensureEnvFile } from ${JSON.stringify(path.join(ROOT, "scripts/setup-env.ts"))};
const [dir, signals, at] = process.argv.slice(2);
writeFileSync(signals + "/ready-" + process.pid, "");
if (at) while (Date.now() < Number(at)) {}
else while (!existsSync(signals + "/go")) await new Promise((r) => setTimeout(r, 2));
const result = ensureEnvFile(dir);
const env = parseEnv(readFileSync(result.path, "utf8"));
const digest = (v) => (v ? createHash("sha256").update(v).digest("hex").slice(0, 16) : "(missing)");
console.log(JSON.stringify({ created: result.created, keys: Object.fromEntries(${JSON.stringify(KEYS)}.map((k) => [k, digest(env[k])])) }));
`;

interface Report {
  created: boolean;
  keys: Digests;
}

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  trap.armed = null;
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

function startChild(dir: string, signals: string, at?: number): { done: Promise<Report> } {
  const script = path.join(signals, "child.mts");
  if (!fs.existsSync(script)) fs.writeFileSync(script, CHILD);
  const child = spawn(process.execPath, ["--import", "tsx", script, dir, signals, ...(at ? [String(at)] : [])], {
    cwd: ROOT,
    env: { NODE_ENV: "test", PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const done = new Promise<Report>((resolve, reject) =>
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!) as Report) : reject(new Error(`child exited ${code}: ${err}`)))),
  );
  return { done };
}

async function waitForReady(signals: string, count: number) {
  for (let i = 0; i < 600; i++) {
    if (fs.readdirSync(signals).filter((f) => f.startsWith("ready-")).length >= count) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the children did not start within 30 s");
}

/** Runs ensureEnvFile here with a second instance acting in the middle (see `trap`); returns what each would use and what the file holds. */
async function interleaved(dir: string, fn: "existsSync" | "readFileSync") {
  const signals = tempDir("env-race-signals-");
  const other = startChild(dir, signals);
  await waitForReady(signals, 1);
  const file = path.join(dir, ".env");
  trap.armed = {
    fn,
    file,
    meanwhile: () => {
      fs.writeFileSync(path.join(signals, "go"), "");
      // The other instance runs its ensureEnvFile now (it is loaded and polling every 2 ms).
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 800);
    },
  };
  const result = ensureEnvFile(dir);
  expect(trap.armed, "the trap did not fire").toBeNull();
  const mine: Report = { created: result.created, keys: keysOf(fs.readFileSync(result.path, "utf8")) };
  const theirs = await other.done;
  return { reports: [mine, theirs], fileKeys: keysOf(fs.readFileSync(file, "utf8")), text: fs.readFileSync(file, "utf8") };
}

const PARTIAL = "PORT=3000\nSAFENET_AGENT_KEY=kept-agent-key-0123456789\n";

function expectOneSetOfKeys(reports: Report[], fileKeys: Digests, text: string) {
  expect(fileKeys).not.toHaveProperty("NEXTAUTH_SECRET", "(missing)");
  for (const r of reports) expect(r.keys).toEqual(fileKeys);
  for (const k of KEYS) expect(text.match(new RegExp(`^${k}=`, "gm")), k).toHaveLength(1);
}

describe("ensureEnvFile when several instances start at once", () => {
  it("another instance creates .env between this one's check and its write: this one uses that file's keys", async () => {
    const dir = tempDir("env-race-");
    const { reports, fileKeys, text } = await interleaved(dir, "existsSync");
    expectOneSetOfKeys(reports, fileKeys, text);
    expect(reports.map((r) => r.created)).toEqual([false, true]);
    expect((fs.statSync(path.join(dir, ".env")).mode & 0o777).toString(8)).toBe("600");
    expect(fs.readdirSync(dir).sort()).toEqual([".env", "data"]);
  }, 60_000);

  it("another instance adds the missing keys between this one's read and its append: each key is added once", async () => {
    const dir = tempDir("env-race-");
    fs.writeFileSync(path.join(dir, ".env"), PARTIAL, { mode: 0o600 });
    const { reports, fileKeys, text } = await interleaved(dir, "readFileSync");
    expectOneSetOfKeys(reports, fileKeys, text);
    expect(text.startsWith(PARTIAL)).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual([".env", "data"]);
  }, 60_000);

  it("six processes at the same instant, on an empty checkout and on a .env that lacks keys", async () => {
    for (const before of [undefined, PARTIAL]) {
      const dir = tempDir("env-race-");
      if (before) fs.writeFileSync(path.join(dir, ".env"), before, { mode: 0o600 });
      const signals = tempDir("env-race-signals-");
      // Every child has loaded tsx and the module before the instant comes (a process start is ~1 s here).
      const at = Date.now() + 4000;
      const reports = await Promise.all(Array.from({ length: 6 }, () => startChild(dir, signals, at).done));
      const text = fs.readFileSync(path.join(dir, ".env"), "utf8");
      expectOneSetOfKeys(reports, keysOf(text), text);
      expect(reports.filter((r) => r.created)).toHaveLength(before ? 0 : 1);
      expect(fs.readdirSync(dir).sort()).toEqual([".env", "data"]);
    }
  }, 60_000);
});
