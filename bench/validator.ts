import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startCluster, type Cluster } from "../scripts/pg-cluster";
import { summariseCpuProfile, type CpuProfile } from "./lib/cpu-profile";
import { writeJsonResult, type BenchRow } from "./lib/result";
import { median } from "./lib/stats";
import { AGENT_KEY, benchDatabase, cleanups, cpuTicks, expectTokensIn, postgresPids, provision, ROOT, startBare, startSim, TICK_MS, TSX, VALIDATOR, type BenchToken, type Sim } from "./lib/validator-targets";
import type { LoadResult } from "./load";

// Validator throughput, side by side: a bare node:http server doing the same work from memory
// (bench/baseline-validator.ts), the simulator on SQLite (group commit, WAL) over HTTP and over
// RADIUS (PAP, 32 requests outstanding), and with --targets also the simulator on PostgreSQL and two
// simulators on one PostgreSQL database (each worker's requests alternate between them). One load
// generator process per run (bench/load.ts, bench/radius-load.ts); the targets take turns, run after
// run, and every run's figures are reported. Prints figures; never fails on time.
//
// Usage: npx tsx bench/validator.ts [tokens=200] [concurrency=32] [seconds=10] [--runs 3] [--quick]
//          [--targets bare,sqlite,radius,pg,pg2] [--json file] [--no-profile]
// Default targets: bare,sqlite,radius (PostgreSQL adds a cluster and two more targets: over the
// time `npm run bench` gives this bench). --quick: 3 s per run. --json also profiles the SQLite
// simulator in one extra, unmeasured run (a CPU profile summary for RESULTS.md); BENCH_PROFILE=dir
// writes a profile of every simulator there instead.
//
// PostgreSQL is a throwaway cluster (scripts/pg-cluster.ts: fsync off). Each benchmark database sets
// synchronous_commit = on, so a commit waits for its WAL write as SQLite's WAL with
// synchronous=NORMAL does: both survive a crash of the process, neither an OS crash.

const { values: options, positionals } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    targets: { type: "string", default: "bare,sqlite,radius" },
    json: { type: "string" },
    quick: { type: "boolean", default: false },
    "no-profile": { type: "boolean", default: false },
  },
  allowPositionals: true,
});
const [tokenCount = 200, concurrency = 32, seconds = options.quick ? 3 : 10] = positionals.map(Number);
const runs = Number(options.runs);
const wanted = options.targets.split(",").map((t) => t.trim());
const profileAll = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : undefined;
const profileSqlite = Boolean(options.json) && !options["no-profile"] && !profileAll;

interface Target {
  name: string;
  label: string;
  /** HTTP URLs, or the RADIUS server. */
  urls: string[];
  radius?: Sim["radius"];
  tokens: BenchToken[];
  results: LoadResult[];
  /** The processes doing the validations, whose CPU time is counted per validation: the server(s), and PostgreSQL's. */
  pids: () => { app: number[]; db: number[] };
  cpuMs: { app: number; db: number }[];
}

function load(target: Target, secs = seconds): LoadResult {
  const common = { concurrency, seconds: secs, tokens: target.tokens };
  const [script, job] = target.radius ? ["bench/radius-load.ts", { ...target.radius, ...common }] : ["bench/load.ts", { url: target.urls[0], urls: target.urls, headers: { "x-agent-key": AGENT_KEY }, ...common }];
  const start = target.pids();
  const before = new Map([...start.app, ...start.db].map((pid) => [pid, cpuTicks(pid)]));
  const result = JSON.parse(execFileSync(TSX, [path.join(ROOT, script), JSON.stringify(job)], { cwd: ROOT, maxBuffer: 64 << 20 }).toString()) as LoadResult;
  const end = target.pids();
  const ms = (pids: number[]) => (pids.reduce((sum, pid) => sum + cpuTicks(pid) - (before.get(pid) ?? 0), 0) * TICK_MS) / Math.max(1, result.requests);
  target.cpuMs.push({ app: ms(end.app), db: ms(end.db) });
  for (const t of target.tokens) t.counter = result.counters[t.upn] ?? t.counter;
  return result;
}

const simTarget = (name: string, label: string, sim: Sim, tokens: BenchToken[], db: () => number[] = () => []): Target => ({
  name, label, urls: [sim.base + VALIDATOR], tokens, results: [], pids: () => ({ app: [sim.pid], db: db() }), cpuMs: [],
});

async function startTargets(): Promise<{ targets: Target[]; sqlite?: Sim }> {
  const targets: Target[] = [];
  let sqlite: Sim | undefined;
  if (["bare", "sqlite", "radius"].some((t) => wanted.includes(t))) {
    sqlite = await startSim({ seedUsers: tokenCount, radius: wanted.includes("radius"), profileDir: profileAll });
    const tokens = await provision(sqlite.base, tokenCount);
    if (wanted.includes("bare")) {
      const bare = await startBare(tokens);
      targets.push({ name: "bare", label: "bare node:http", urls: [bare.url], tokens: tokens.map((t) => ({ ...t })), results: [], pids: () => ({ app: [bare.pid], db: [] }), cpuMs: [] });
    }
    // HTTP and RADIUS share the simulator and the token objects, so each run goes on from the other's counters.
    if (wanted.includes("sqlite")) targets.push(simTarget("sqlite", "SQLite", sqlite, tokens));
    if (wanted.includes("radius")) targets.push({ ...simTarget("radius", "SQLite over RADIUS", sqlite, tokens), radius: sqlite.radius });
  }
  let cluster: Cluster | undefined;
  if (wanted.includes("pg") || wanted.includes("pg2")) {
    cluster = await startCluster();
    const c = cluster;
    cleanups.push(() => c.stop());
  }
  const server = cluster ? postgresPids.bind(null, cluster) : () => [];
  if (cluster && wanted.includes("pg")) {
    const url = await benchDatabase(cluster, "bench_one");
    const sim = await startSim({ extra: { SAFENET_DATABASE_URL: url }, seedUsers: tokenCount, profileDir: profileAll });
    targets.push(simTarget("pg", "PostgreSQL", sim, await provision(sim.base, tokenCount), server));
    await expectTokensIn(url, tokenCount);
  }
  if (cluster && wanted.includes("pg2")) {
    const url = await benchDatabase(cluster, "bench_two");
    const a = await startSim({ extra: { SAFENET_DATABASE_URL: url }, seedUsers: tokenCount, profileDir: profileAll });
    const b = await startSim({ extra: { SAFENET_DATABASE_URL: url }, profileDir: profileAll });
    targets.push({ ...simTarget("pg2", "two simulators, one PostgreSQL", a, await provision(a.base, tokenCount), server), urls: [a.base + VALIDATOR, b.base + VALIDATOR], pids: () => ({ app: [a.pid, b.pid], db: server() }) });
    await expectTokensIn(url, tokenCount);
  }
  return { targets, sqlite };
}

const cpuText = (c: { app: number; db: number }) => `${(c.app * 1000).toFixed(0)} µs` + (c.db ? ` + PostgreSQL ${(c.db * 1000).toFixed(0)} µs` : "");

function answers(t: Target): string {
  const all: Record<string, number> = {};
  for (const r of t.results) for (const [k, n] of Object.entries(r.codes)) all[k] = (all[k] ?? 0) + n;
  const errors = t.results.reduce((n, r) => n + r.errors, 0);
  return `${Object.entries(all).map(([k, n]) => `${k}: ${n}`).join(", ")}${errors ? `, ${errors} errors` : ""}`;
}

/** One row per figure and target, every run's value; budgets on the SQLite HTTP path (issue 14). */
export function rowsFor(targets: Target[]): BenchRow[] {
  const bare = targets.find((t) => t.name === "bare");
  const load = `${concurrency} connections, ${tokenCount} tokens, ${seconds} s a run`;
  const rows: BenchRow[] = [];
  for (const t of targets) {
    const group = "Validator";
    rows.push({ group, name: `${t.label}: validations`, unit: "/s", values: t.results.map((r) => r.perSecond), note: `${load}; answers ${answers(t)}` });
    if (bare && t !== bare) {
      const ratio = t.results.map((r, i) => r.perSecond / bare.results[i].perSecond);
      rows.push({ group, name: `${t.label} / bare (ratio, same round)`, unit: "ratio", values: ratio, ...(t.name === "sqlite" && { budget: { op: ">=", value: 0.7 } }) });
    }
    rows.push({ group, name: `${t.label}: p50`, unit: "ms", values: t.results.map((r) => r.p50ms) });
    rows.push({ group, name: `${t.label}: p99`, unit: "ms", values: t.results.map((r) => r.p99ms), ...(t.name === "sqlite" && { budget: { op: "<=", value: 20 } }) });
    rows.push({ group, name: `${t.label}: CPU per validation`, unit: "µs", values: t.cpuMs.map((c) => (c.app + c.db) * 1000), note: t.cpuMs.some((c) => c.db) ? "server and PostgreSQL" : "server process" });
  }
  return rows;
}

/** One extra, unmeasured run against the SQLite simulator restarted with --cpu-prof on the same data. */
async function profileRun(sqlite: Sim, tokens: BenchToken[]): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "validator-profile-"));
  try {
    await sqlite.stop();
    const spawned = performance.now();
    const sim = await startSim({ dataDir: sqlite.dataDir, profileDir: dir });
    const startupMs = performance.now() - spawned;
    const secs = options.quick ? 3 : 6;
    const r = load(simTarget("sqlite", "SQLite", sim, tokens), secs);
    await sim.stop();
    const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) return "No CPU profile was written (did the simulator exit cleanly?).";
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as CpuProfile;
    return `The simulator on SQLite under the same HTTP load (${concurrency} connections), profiled in one extra run of ${secs} s (not in the figures above; the start of the process left out): ${Math.round(r.perSecond)} validations/s while profiled.\n\n${summariseCpuProfile(profile, { top: 15, root: ROOT, skipFirstMs: startupMs })}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  try {
    const { targets, sqlite } = await startTargets();
    const loads: string[] = [];
    for (let run = 1; run <= runs; run++) {
      loads.push(os.loadavg()[0].toFixed(1));
      for (const target of targets) {
        const r = load(target);
        target.results.push(r);
        console.log(`run ${run} ${target.name.padEnd(6)} ${r.perSecond.toFixed(0).padStart(6)}/s  p50 ${r.p50ms.toFixed(2)} ms  p99 ${r.p99ms.toFixed(2)} ms  CPU/validation ${cpuText(target.cpuMs.at(-1)!)}  ${JSON.stringify(r.codes)}  errors ${r.errors}`);
      }
    }
    loads.push(os.loadavg()[0].toFixed(1));
    console.log(`\ntokens ${tokenCount}, concurrency ${concurrency}, ${seconds} s per run, ${runs} runs per target (targets alternating), ${os.cpus().length} cores, node ${process.version}, load average before each round and at the end: ${loads.join(", ")}`);
    const bareMedian = targets.find((t) => t.name === "bare") && median(targets.find((t) => t.name === "bare")!.results.map((r) => r.perSecond));
    for (const t of targets) {
      const rate = median(t.results.map((r) => r.perSecond));
      const ratio = bareMedian && t.name !== "bare" ? `, ${(rate / bareMedian).toFixed(2)} × bare` : "";
      console.log(`${t.label.padEnd(32)} median ${rate.toFixed(0)}/s${ratio}, p50 ${median(t.results.map((r) => r.p50ms)).toFixed(2)} ms, p99 ${median(t.results.map((r) => r.p99ms)).toFixed(2)} ms, answers ${answers(t)}`);
    }
    const sqliteTarget = targets.find((t) => t.name === "sqlite");
    const profile = profileSqlite && sqlite && sqliteTarget ? await profileRun(sqlite, sqliteTarget.tokens) : undefined;
    const command = `npx tsx bench/validator.ts ${tokenCount} ${concurrency} ${seconds} --runs ${runs} --targets ${wanted.join(",")}`;
    writeJsonResult(options.json, { bench: "bench/validator.ts", command, rows: rowsFor(targets), ...(profile && { profile }) });
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
