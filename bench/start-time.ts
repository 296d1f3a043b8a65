import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildIsStale } from "../scripts/start";
import { freePort, freeUdpPort } from "../test/support/free-port";
import { writeJsonResult, type BenchRow } from "./lib/result";

// How long `npm start` takes until every service answers: the portal's /api/health, the simulator's
// /health and the mail sink's SMTP greeting. Each run starts on a new, empty DATA_DIR (the first
// start: migrations, keys, demo data) and then once more on the same directory (a warm start), and
// stops the whole stack with SIGTERM each time (the supervisor's clean stop), timing that too.
// Needs a complete production build (npm run build, or npm run bench which makes one). Never fails on time.
// Usage: npx tsx bench/start-time.ts [--runs 3] [--quick] [--json file]   (--quick changes nothing: a start is a start)

const ROOT = path.resolve(__dirname, "..");
const { values: options } = parseArgs({ options: { runs: { type: "string", default: "3" }, quick: { type: "boolean", default: false }, json: { type: "string" } } });
const RUNS = Number(options.runs);
const READY_LIMIT_MS = 120_000;
// The supervisor's grace period is 10 s (scripts/supervisor.ts): a clean stop ends well within this.
const STOP_LIMIT_MS = 30_000;

interface Ports {
  portal: number;
  safenet: number;
  smtp: number;
  radius: number;
}


async function ports(): Promise<Ports> {
  return { portal: await freePort(), safenet: await freePort(), smtp: await freePort(), radius: await freeUdpPort() };
}

function env(dataDir: string, p: Ports): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(p.portal),
    SAFENET_PORT: String(p.safenet),
    SMTP_SINK_PORT: String(p.smtp),
    SAFENET_RADIUS_PORT: String(p.radius),
    SAFENET_URL: `http://127.0.0.1:${p.safenet}`,
    SMTP_URL: `smtp://127.0.0.1:${p.smtp}`,
    NEXTAUTH_URL: `http://127.0.0.1:${p.portal}`,
    // The embedded databases: a bench never touches a configured PostgreSQL.
    DATABASE_URL: "",
    SAFENET_DATABASE_URL: "",
  };
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** The SMTP sink is up when it sends its 220 greeting. */
function smtpGreets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const done = (ok: boolean) => (socket.destroy(), resolve(ok));
    socket.setTimeout(2000, () => done(false));
    socket.once("data", (d: Buffer) => done(d.toString().startsWith("220")));
    socket.once("error", () => done(false));
  });
}

async function waitReady(child: ChildProcess, p: Ports): Promise<void> {
  const deadline = performance.now() + READY_LIMIT_MS;
  const pending = new Map<string, () => Promise<boolean>>([
    ["portal /api/health", () => httpOk(`http://127.0.0.1:${p.portal}/api/health`)],
    ["simulator /health", () => httpOk(`http://127.0.0.1:${p.safenet}/health`)],
    ["mail sink", () => smtpGreets(p.smtp)],
  ]);
  while (pending.size > 0) {
    if (child.exitCode !== null) throw new Error(`npm start exited with code ${child.exitCode} before ${[...pending.keys()].join(", ")} answered`);
    if (performance.now() > deadline) throw new Error(`${[...pending.keys()].join(", ")} did not answer within ${READY_LIMIT_MS / 1000} s`);
    for (const [name, check] of [...pending]) if (await check()) pending.delete(name);
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/**
 * SIGTERM to npm's process group (npm, start.ts and its supervisor, which stops the portal and the
 * simulator in their own groups); done when npm has exited and no service port accepts any more.
 * Returns ms until then; throws when the stack is still up after the limit.
 */
async function stop(child: ChildProcess, p: Ports): Promise<number> {
  const started = performance.now();
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(-child.pid!, "SIGTERM");
    await exited;
  }
  while (performance.now() - started < STOP_LIMIT_MS) {
    const open = await Promise.all([p.portal, p.safenet, p.smtp].map(accepts));
    if (!open.includes(true)) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the stack still answers ${STOP_LIMIT_MS / 1000} s after SIGTERM (ports ${p.portal}, ${p.safenet}, ${p.smtp}); stop it by hand`);
}

// The stack runs in its own process group: stopped here too when this bench is stopped (npm run bench's time limit, Ctrl-C).
let running: { child: ChildProcess; ports: Ports } | undefined;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    const stack = running;
    void (stack ? stop(stack.child, stack.ports).catch(() => undefined) : Promise.resolve()).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  });
}

/** One `npm start` on `dataDir`: ms until every service answers, and ms to stop. */
async function startOnce(dataDir: string, log: string): Promise<{ readyMs: number; stopMs: number }> {
  const p = await ports();
  const out = fs.openSync(log, "a");
  const started = performance.now();
  const child = spawn("npm", ["start"], { cwd: ROOT, env: env(dataDir, p), detached: true, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  running = { child, ports: p };
  try {
    await waitReady(child, p);
    const readyMs = performance.now() - started;
    return { readyMs, stopMs: await stop(child, p) };
  } catch (error) {
    await stop(child, p).catch(() => undefined);
    throw error;
  }
}

async function main() {
  if (buildIsStale()) throw new Error("No complete production build, or sources changed since it: npm start would build first. Run `npm run build` (or `npm run bench`, which builds) and try again.");
  const first: number[] = [];
  const warm: number[] = [];
  const stops: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "start-time-bench-"));
    const log = path.join(dataDir, "..", `${path.basename(dataDir)}.log`);
    try {
      const a = await startOnce(dataDir, log);
      const b = await startOnce(dataDir, log);
      first.push(a.readyMs);
      warm.push(b.readyMs);
      stops.push(a.stopMs, b.stopMs);
      console.log(`run ${run}: first start ${(a.readyMs / 1000).toFixed(2)} s, warm start ${(b.readyMs / 1000).toFixed(2)} s, stops ${(a.stopMs / 1000).toFixed(2)} s / ${(b.stopMs / 1000).toFixed(2)} s (load average ${os.loadavg()[0].toFixed(1)})`);
    } catch (error) {
      console.error(`run ${run} failed; npm start's output:\n${fs.existsSync(log) ? fs.readFileSync(log, "utf8").slice(-3000) : "(none)"}`);
      throw error;
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(log, { force: true });
    }
  }
  const group = "Start time (npm start)";
  const until = "until portal /api/health, simulator /health and the SMTP greeting all answer";
  const rows: BenchRow[] = [
    { group, name: "first start, empty DATA_DIR", unit: "s", values: first.map((ms) => ms / 1000), note: `${until}; migrations, keys and demo data included` },
    { group, name: "warm start, same DATA_DIR", unit: "s", values: warm.map((ms) => ms / 1000), note: until },
    { group, name: "clean stop (SIGTERM until no port answers)", unit: "s", values: stops.map((ms) => ms / 1000), note: "every start's stop, first and warm" },
  ];
  writeJsonResult(options.json, { bench: "bench/start-time.ts", command: `npx tsx bench/start-time.ts --runs ${RUNS}`, rows });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
