import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hotp } from "../../lib/otp";
import { readPskc } from "../../lib/pskc";
import { freePort } from "../../test/support/free-port";

// The admin-pages benchmark's stack: the real simulator and the portal's production build, each a
// node process on free 127.0.0.1 ports with a temp DATA_DIR. test/integration/harness.ts and
// test/resilience/support/portal.ts start the same processes but import vitest (through the
// harness), which a tsx script cannot load, and neither takes a prepared DATA_DIR, node flags
// (--cpu-prof) or gives the server's pid; so this is their small variant for benchmarks.

export const ROOT = path.resolve(__dirname, "../..");
const TMS_KEY = "bench-admin-tms-key-0123456789";
const AGENT_KEY = "bench-admin-agent-key-0123456789";
const NEXTAUTH_SECRET = "bench-admin-nextauth-secret-0123456789";
export const ADMIN = { upn: "bob@corp.local", password: "Bob!2026" };
const PIN = "4089";

export interface Server {
  base: string;
  pid: number;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Spawns `node [nodeArgs] --import tsx script` and waits until `ready` answers 200 (or the process dies). */
async function launch(script: string[], env: NodeJS.ProcessEnv, base: string, ready: string, dataDir: string, nodeArgs: string[] = []): Promise<Server> {
  // node itself, not the tsx wrapper: the pid is the server's own (for /proc and signals).
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, "--import", "tsx", ...script], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr!.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script.join(" ")} exited:\n${output}`);
    try {
      if ((await fetch(base + ready)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${script.join(" ")} did not answer ${ready} within 90 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    pid: child.pid!,
    dataDir,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}

const baseEnv = () => ({ NODE_ENV: "production" as const, PATH: process.env.PATH, HOME: process.env.HOME, SAFENET_TMS_API_KEY: TMS_KEY, SAFENET_AGENT_KEY: AGENT_KEY });

/** `npm run safenet:seed -- --users N` on the simulator's DATA_DIR, before the simulator starts. Returns seconds. */
export function seedDirectory(dataDir: string, users: number): number {
  const started = performance.now();
  execFileSync(process.execPath, ["--import", "tsx", "mock-safenet/seed-cli.ts", "--users", String(users)], {
    cwd: ROOT,
    env: { ...baseEnv(), DATA_DIR: dataDir },
    stdio: "ignore",
  });
  return (performance.now() - started) / 1000;
}

export async function startSimulator(dataDir: string): Promise<Server & { smtpPort: number }> {
  const [port, smtpPort] = [await freePort(), await freePort()];
  const env = {
    ...baseEnv(),
    SAFENET_PORT: String(port),
    SMTP_SINK_PORT: String(smtpPort),
    // Only HTTP is measured: RADIUS off, as in bench/validator.ts.
    SAFENET_RADIUS_PORT: "0",
    SAFENET_LOG: "off",
    DATA_DIR: dataDir,
    PORTAL_URL: "http://127.0.0.1:3999",
  };
  const server = await launch(["mock-safenet/server.ts"], env, `http://127.0.0.1:${port}`, "/health", dataDir);
  return { ...server, smtpPort };
}

/** The portal's own server (scripts/portal-server.ts) on the build in NEXT_DIST_DIR (or .next), on an already migrated DATA_DIR. */
export async function startPortal(options: { safenetUrl: string; smtpPort: number; dataDir: string; nodeArgs?: string[] }): Promise<Server> {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!fs.existsSync(path.join(ROOT, distDir, "BUILD_ID"))) throw new Error(`No portal build in ${distDir}: run "npm run build" first (with the same NEXT_DIST_DIR).`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    DATA_DIR: options.dataDir,
    PORT: String(port),
    SAFENET_URL: options.safenetUrl,
    SMTP_URL: `smtp://127.0.0.1:${options.smtpPort}`,
    NEXTAUTH_SECRET,
    NEXTAUTH_URL: base,
    NEXT_TELEMETRY_DISABLED: "1",
    ...(process.env.NEXT_DIST_DIR && { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR }),
  };
  const script = ["scripts/portal-server.ts", "-H", "127.0.0.1", "-p", String(port)];
  return launch(script, env, base, "/api/health", options.dataDir, options.nodeArgs);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

async function tms<T>(base: string, p: string, json?: unknown, method = json === undefined ? "GET" : "POST"): Promise<T> {
  const res = await fetch(`${base}/TMSWebAPI/v1${p}`, {
    method,
    headers: { authorization: `Bearer ${TMS_KEY}`, ...(json !== undefined && { "content-type": "application/json" }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`TMS ${method} ${p}: ${res.status} ${text.slice(0, 200)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Gives the demo administrator one Active event token (PIN 4089) through the TMS Web API, as
 * e2e/support/stack.ts does, and returns the next PIN + OTP each time it is called.
 */
export async function adminPasscodes(simBase: string): Promise<() => string> {
  const upn = encodeURIComponent(ADMIN.upn);
  const user = await tms<{ tokens: { serial: string }[] }>(simBase, `/repositories/corp.local/users/${upn}`);
  for (const t of user.tokens) await tms(simBase, `/tokens/${t.serial}`, undefined, "DELETE");
  const { token, activation } = await tms<{ token: { serial: string }; activation: { activationKey: string; seedFile: { base64: string } } }>(
    simBase,
    `/repositories/corp.local/users/${upn}/tokens`,
    { type: "MobilePASS", otpMode: "event", pin: PIN },
  );
  const [key] = await readPskc(Buffer.from(activation.seedFile.base64, "base64").toString(), activation.activationKey);
  await tms(simBase, `/tokens/${token.serial}/activate`, { passcode: PIN + hotp(key.secret, 0) });
  let counter = 1;
  return () => PIN + hotp(key.secret, counter++);
}

/** VmRSS of `pid` in bytes, from /proc (the server process alone, not its parent). */
export function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`No VmRSS for process ${pid}`);
  return Number(m[1]) * 1024;
}
