import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { hotp } from "../lib/otp";
import { readPskc } from "../lib/pskc";
import { startCluster, type Cluster } from "../scripts/pg-cluster";
import type { LoadResult } from "./load";
import { waitFor } from "./wait-for";

// Validator throughput, side by side: a bare node:http server doing the same work from memory
// (bench/baseline-validator.ts), the simulator on SQLite (group commit, WAL), the simulator on
// PostgreSQL, and two simulators on one PostgreSQL database with the load spread over both (each
// worker's requests alternate between them, so a token's consecutive codes reach both instances).
// The same load generator (bench/load.ts, its own process) drives every target; the targets take
// turns, run after run, and the figures are the medians per target. Prints figures; never fails on time.
//
// Usage: npx tsx bench/validator.ts [tokens=200] [concurrency=32] [seconds=10] [--runs 3] [--targets bare,sqlite,pg,pg2]
//
// PostgreSQL is a throwaway cluster (scripts/pg-cluster.ts: fsync off). Each benchmark database sets
// synchronous_commit = on, so a commit waits for its WAL write as SQLite's WAL with
// synchronous=NORMAL does: both survive a crash of the process, neither an OS crash.

const ROOT = path.resolve(__dirname, "..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const { values: options, positionals } = parseArgs({
  options: { runs: { type: "string", default: "3" }, targets: { type: "string", default: "bare,sqlite,pg,pg2" } },
  allowPositionals: true,
});
const [tokenCount = 200, concurrency = 32, seconds = 10] = positionals.map(Number);
const runs = Number(options.runs);
const wanted = options.targets.split(",").map((t) => t.trim());
const TMS_KEY = "bench-tms-key-0123456789abcdef";
const AGENT_KEY = "bench-agent-key-0123456789abcdef";
const MASTER_KEY = crypto.randomBytes(32).toString("base64");
const PIN = "4089";

interface BenchToken {
  upn: string;
  serial: string;
  secretHex: string;
  pin: string;
  counter: number;
}

interface Target {
  name: string;
  label: string;
  urls: string[];
  headers: Record<string, string>;
  tokens: BenchToken[];
  results: LoadResult[];
  /** The processes doing the validations, whose CPU time is counted per validation: the server(s), and PostgreSQL's. */
  pids: () => { app: number[]; db: number[] };
  /** CPU milliseconds per validation, per run: the server(s), and PostgreSQL. */
  cpuMs: { app: number; db: number }[];
}

// CPU time from /proc (Linux): user + system, in clock ticks of 10 ms. Unlike throughput, the CPU a
// validation costs changes little when other work shares the machine.
const TICK_MS = 10;
function cpuTicks(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** PostgreSQL's server processes: the postmaster and its children (the backends serving the pools). */
function postgresPids(cluster: Cluster): number[] {
  const master = Number(fs.readFileSync(path.join(cluster.dir, "data", "postmaster.pid"), "utf8").split("\n")[0]);
  const children = fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return Number(fs.readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1].split(" ")[1]) === master;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [master, ...children];
}

function load(target: Target): LoadResult {
  const job = JSON.stringify({ url: target.urls[0], urls: target.urls, headers: target.headers, concurrency, seconds, tokens: target.tokens });
  const start = target.pids();
  const before = new Map([...start.app, ...start.db].map((pid) => [pid, cpuTicks(pid)]));
  const result = JSON.parse(execFileSync(TSX, [path.join(ROOT, "bench/load.ts"), job], { cwd: ROOT, maxBuffer: 64 << 20 }).toString()) as LoadResult;
  const end = target.pids();
  const ms = (pids: number[]) => (pids.reduce((sum, pid) => sum + cpuTicks(pid) - (before.get(pid) ?? 0), 0) * TICK_MS) / Math.max(1, result.requests);
  target.cpuMs.push({ app: ms(end.app), db: ms(end.db) });
  for (const t of target.tokens) t.counter = result.counters[t.upn] ?? t.counter;
  return result;
}

const cleanups: (() => Promise<void> | void)[] = [];
let nextPort = 4590;

/** A simulator process on its own DATA_DIR and ports; `extra` picks its database. */
async function startSim(extra: Record<string, string>, seed: boolean): Promise<{ base: string; pid: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "safenet-validator-bench-"));
  const port = nextPort++;
  const smtp = 2590 + (port - 4590);
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    SAFENET_PORT: String(port),
    SMTP_SINK_PORT: String(smtp),
    // Only HTTP is measured here; RADIUS off, so that several runs never contend for UDP 1812.
    SAFENET_RADIUS_PORT: "0",
    SAFENET_TMS_API_KEY: TMS_KEY,
    SAFENET_AGENT_KEY: AGENT_KEY,
    SAFENET_MASTER_KEY: MASTER_KEY,
    SAFENET_LOG: "off",
    SAFENET_DATABASE_URL: "",
    ...extra,
  };
  if (seed) execFileSync(TSX, ["mock-safenet/seed-cli.ts", "--users", String(tokenCount)], { cwd: ROOT, env });
  // BENCH_PROFILE=dir writes a CPU profile of each simulator there (node --cpu-prof).
  const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`] : [];
  const sim: ChildProcess = spawn(process.execPath, [...profile, "--import", "tsx", "mock-safenet/server.ts"], { cwd: ROOT, env, stdio: "ignore" });
  cleanups.push(async () => {
    if (sim.exitCode === null) {
      sim.kill("SIGINT");
      await new Promise((r) => sim.once("exit", r));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/health`, sim);
  return { base, pid: sim.pid! };
}

/** Provisions and activates one event token per synthetic user through the TMS Web API. */
async function provision(base: string): Promise<BenchToken[]> {
  const tms = (p: string, body: unknown) =>
    fetch(`${base}/TMSWebAPI/v1${p}`, { method: "POST", headers: { authorization: `Bearer ${TMS_KEY}`, "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json());
  const tokens: BenchToken[] = [];
  for (let i = 1; i <= tokenCount; i++) {
    const upn = `user${String(i).padStart(6, "0")}@corp.local`;
    const { token, activation } = await tms(`/repositories/corp.local/users/${upn}/tokens`, { type: "MobilePASS", otpMode: "event", pin: PIN });
    const [key] = await readPskc(Buffer.from(activation.seedFile.base64, "base64").toString(), activation.activationKey);
    await tms(`/tokens/${token.serial}/activate`, { passcode: PIN + hotp(key.secret, 0) });
    tokens.push({ upn, serial: token.serial, secretHex: Buffer.from(key.secret).toString("hex"), pin: PIN, counter: 1 });
  }
  return tokens;
}

async function bare(tokens: BenchToken[]): Promise<Target> {
  const port = nextPort++;
  const baseline = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "bench/baseline-validator.ts")], { cwd: ROOT, env: { ...process.env, PORT: String(port) }, stdio: ["pipe", "pipe", "inherit"] });
  cleanups.push(() => void baseline.kill());
  const listening = new Promise((resolve) => baseline.stdout!.on("data", (d: Buffer) => d.toString().includes("listening") && resolve(null)));
  baseline.stdin!.end(tokens.map((t) => JSON.stringify(t)).join("\n"));
  await listening;
  const pid = baseline.pid!;
  return { name: "bare", label: "bare node:http from memory", urls: [`http://127.0.0.1:${port}/`], headers: {}, tokens: tokens.map((t) => ({ ...t })), results: [], pids: () => ({ app: [pid], db: [] }), cpuMs: [] };
}

const VALIDATOR = "/TokenValidator/TokenValidator.asmx";
const agentHeaders = { "x-agent-key": AGENT_KEY };

async function benchDatabase(cluster: Cluster, name: string): Promise<string> {
  const url = await cluster.createDatabase(name);
  const admin = new pg.Client({ connectionString: cluster.url("postgres") });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = on`);
  } finally {
    await admin.end();
  }
  return url;
}

/** The simulator really runs on `url`: the tokens it just provisioned are there. */
async function expectTokensIn(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const n = await client.query<{ n: string }>("SELECT count(*) AS n FROM tokens").then(
      (r) => Number(r.rows[0].n),
      () => 0,
    );
    if (n < tokenCount) throw new Error(`${url} holds ${n} tokens, not ${tokenCount}: the simulator did not run on PostgreSQL (is SAFENET_DATABASE_URL supported?)`);
  } finally {
    await client.end();
  }
}

const cpu = (c: { app: number; db: number }) => `${(c.app * 1000).toFixed(0)} µs` + (c.db ? ` + PostgreSQL ${(c.db * 1000).toFixed(0)} µs` : "");

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const targets: Target[] = [];
  let cluster: Cluster | undefined;
  try {
    if (wanted.includes("sqlite") || wanted.includes("bare")) {
      const sim = await startSim({}, true);
      const tokens = await provision(sim.base);
      if (wanted.includes("bare")) targets.push(await bare(tokens));
      if (wanted.includes("sqlite")) targets.push({ name: "sqlite", label: "simulator on SQLite", urls: [sim.base + VALIDATOR], headers: agentHeaders, tokens, results: [], pids: () => ({ app: [sim.pid], db: [] }), cpuMs: [] });
    }
    if (wanted.includes("pg") || wanted.includes("pg2")) {
      cluster = await startCluster();
      const c = cluster;
      cleanups.push(() => c.stop());
    }
    const server = cluster ? postgresPids.bind(null, cluster) : () => [];
    if (cluster && wanted.includes("pg")) {
      const url = await benchDatabase(cluster, "bench_one");
      const sim = await startSim({ SAFENET_DATABASE_URL: url }, true);
      targets.push({ name: "pg", label: "simulator on PostgreSQL", urls: [sim.base + VALIDATOR], headers: agentHeaders, tokens: await provision(sim.base), results: [], pids: () => ({ app: [sim.pid], db: server() }), cpuMs: [] });
      await expectTokensIn(url);
    }
    if (cluster && wanted.includes("pg2")) {
      const url = await benchDatabase(cluster, "bench_two");
      const a = await startSim({ SAFENET_DATABASE_URL: url }, true);
      const b = await startSim({ SAFENET_DATABASE_URL: url }, false);
      const urls = [a.base + VALIDATOR, b.base + VALIDATOR];
      targets.push({ name: "pg2", label: "two simulators, one PostgreSQL", urls, headers: agentHeaders, tokens: await provision(a.base), results: [], pids: () => ({ app: [a.pid, b.pid], db: server() }), cpuMs: [] });
      await expectTokensIn(url);
    }

    const loads: string[] = [];
    for (let run = 1; run <= runs; run++) {
      loads.push(os.loadavg()[0].toFixed(1));
      for (const target of targets) {
        const r = load(target);
        target.results.push(r);
        console.log(`run ${run} ${target.name.padEnd(6)} ${r.perSecond.toFixed(0).padStart(6)}/s  p50 ${r.p50ms.toFixed(2)} ms  p99 ${r.p99ms.toFixed(2)} ms  CPU/validation ${cpu(target.cpuMs.at(-1)!)}  ${JSON.stringify(r.codes)}  errors ${r.errors}`);
      }
    }
    loads.push(os.loadavg()[0].toFixed(1));

    console.log("");
    console.log(`tokens ${tokenCount}, concurrency ${concurrency}, ${seconds} s per run, ${runs} runs per target (targets alternating), ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load average before each round and at the end: ${loads.join(", ")}`);
    const bareMedian = targets.find((t) => t.name === "bare") ? median(targets.find((t) => t.name === "bare")!.results.map((r) => r.perSecond)) : undefined;
    for (const t of targets) {
      const rates = t.results.map((r) => r.perSecond);
      const all = t.results.reduce<Record<string, number>>((acc, r) => {
        for (const [k, n] of Object.entries(r.codes)) acc[k] = (acc[k] ?? 0) + n;
        return acc;
      }, {});
      const ratio = bareMedian && t.name !== "bare" ? `, ${(median(rates) / bareMedian).toFixed(2)} × bare` : "";
      console.log(
        `${t.label.padEnd(32)} median ${median(rates).toFixed(0)}/s (runs ${rates.map((x) => x.toFixed(0)).join(", ")})${ratio}, p50 ${median(t.results.map((r) => r.p50ms)).toFixed(2)} ms, p99 ${median(t.results.map((r) => r.p99ms)).toFixed(2)} ms, CPU per validation ${cpu({ app: median(t.cpuMs.map((c) => c.app)), db: median(t.cpuMs.map((c) => c.db)) })}, answers ${JSON.stringify(all)}, errors ${t.results.reduce((n, r) => n + r.errors, 0)}`,
      );
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
