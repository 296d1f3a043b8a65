import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { contractFetch } from "./support/contract-check";
import { freePort, freeUdpPort } from "../support/free-port";

// Starts the real simulator as a child process on free ports with its own DATA_DIR, for tests
// that talk to it over HTTP and SMTP exactly as the portal does. Every answer `tms` and `validate`
// get is held to the SafeNet contract first (support/contract-check.ts).

export const ROOT = path.resolve(__dirname, "../..");
export { FIXTURES } from "../fixtures";
export const TMS_KEY = "test-tms-key-0123456789abcdef";
export const AGENT_KEY = "test-agent-key-0123456789abcdef";
export const VALIDATOR = "/TokenValidator/TokenValidator.asmx";
export const TMS = "/TMSWebAPI/v1";
export const REPO = `${TMS}/repositories/corp.local`;

export { freePort, freeUdpPort };


export interface Simulator {
  base: string;
  smtpPort: number;
  /** The RADIUS front end's UDP port (a free one per simulator, so that simulators never share 1812). */
  radiusPort: number;
  dataDir: string;
  /** Everything the process printed so far, stdout and stderr. */
  output: () => string;
  tms: (p: string, init?: RequestInit & { json?: unknown }) => Promise<Response>;
  validate: (body: unknown, agentKey?: string) => Promise<Response>;
  /** Stops and starts again on the same ports and DATA_DIR, with `env` added for this run; `between` runs while it is stopped. */
  restart: (env?: Record<string, string>, between?: () => Promise<void> | void) => Promise<void>;
  /** SIGKILLs the process (no shutdown code runs) and waits for it to be gone; `restart` brings it back. */
  crash: () => Promise<void>;
  /** Whether the process is still running (it has not crashed on its own). */
  alive: () => boolean;
  pid: () => number | undefined;
  stop: () => Promise<void>;
}

/**
 * With TEST_POSTGRES_URL set, the simulator runs on a fresh PostgreSQL database of its own (unless
 * `extraEnv` names one in SAFENET_DATABASE_URL); otherwise on SQLite in its DATA_DIR.
 */
export async function startSimulator(extraEnv: Record<string, string> = {}): Promise<Simulator> {
  // Imported only here: portal-db pulls in vitest, which the benchmarks (plain tsx scripts) must not load.
  const database =
    "SAFENET_DATABASE_URL" in extraEnv || !process.env.TEST_POSTGRES_URL
      ? undefined
      : await (await import("./support/portal-db")).createPostgresDatabase("sim");
  if (database) extraEnv = { ...extraEnv, SAFENET_DATABASE_URL: database.url };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "safenet-sim-"));
  const port = await freePort();
  const smtpPort = await freePort();
  const radiusPort = await freeUdpPort();
  const base = `http://127.0.0.1:${port}`;
  let output = "";
  let child: ChildProcess | undefined;

  const launch = async (runEnv: Record<string, string> = {}) => {
    // node itself, not the tsx wrapper: a SIGKILL must reach the simulator, not a parent that relays signals.
    const proc = spawn(process.execPath, ["--import", "tsx", "mock-safenet/server.ts"], {
      cwd: ROOT,
      env: {
        NODE_ENV: "test",
        // Never the checkout's .env (npm start writes one with its own master key).
        SAFENET_ENV_FILE: "",
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        SAFENET_PORT: String(port),
        SMTP_SINK_PORT: String(smtpPort),
        SAFENET_RADIUS_PORT: String(radiusPort),
        DATA_DIR: dataDir,
        SAFENET_TMS_API_KEY: TMS_KEY,
        SAFENET_AGENT_KEY: AGENT_KEY,
        PORTAL_URL: "http://127.0.0.1:3999",
        ...extraEnv,
        ...runEnv,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    proc.stdout.on("data", (d: Buffer) => (output += d.toString()));
    proc.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`The simulator exited early:\n${output}`);
      try {
        if ((await fetch(`${base}/health`)).ok && output.includes("Demo accounts")) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`The simulator did not answer /health within 45 s:\n${output}`);
  };

  const stopChild = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  };

  await launch();
  return {
    base,
    smtpPort,
    radiusPort,
    dataDir,
    output: () => output,
    tms: (p, init = {}) => {
      const { json, headers, ...rest } = init;
      return contractFetch(base + p, {
        ...rest,
        headers: {
          authorization: `Bearer ${TMS_KEY}`,
          ...(json !== undefined && { "content-type": "application/json" }),
          ...(headers as Record<string, string>),
        },
        ...(json !== undefined && { body: JSON.stringify(json) }),
      });
    },
    validate: (body, agentKey = AGENT_KEY) =>
      contractFetch(base + VALIDATOR, {
        method: "POST",
        headers: { "x-agent-key": agentKey, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    crash: async () => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child!.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
    alive: () => !!child && child.exitCode === null && child.signalCode === null,
    pid: () => child?.pid,
    restart: async (env, between) => {
      await stopChild();
      await between?.();
      await launch(env);
    },
    stop: async () => {
      await stopChild();
      fs.rmSync(dataDir, { recursive: true, force: true });
      await database?.drop();
    },
  };
}
