import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildIsStale } from "../scripts/start";
import { BENCHES, BUILD_BUDGET_SECONDS, selectBenches, type BenchSpec } from "./lib/bench-list";
import { readJsonResult, type BenchResult } from "./lib/result";
import { renderLatestRun, replaceLatestRun, type BenchOutcome, type BenchProblem, type MachineInfo } from "./lib/results-md";

// `npm run bench`: every benchmark as its own process with `--json <file> --runs N`, then ONE
// "Latest run" table at the top of bench/RESULTS.md (medians computed here, from every run's value).
// Usage: npm run bench -- [--runs 3] [--quick] [--only a,b] [--skip a,b] [--out bench/RESULTS.md] [--plan]

const ROOT = path.resolve(__dirname, "..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const { values: options } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    quick: { type: "boolean", default: false },
    only: { type: "string", default: "" },
    skip: { type: "string", default: "" },
    out: { type: "string", default: path.join(ROOT, "bench/RESULTS.md") },
    plan: { type: "boolean", default: false },
  },
});
const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);
const runs = Number(options.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${options.runs}: give a whole number of runs, 3 or more for figures`);
const distDir = path.resolve(ROOT, process.env.NEXT_DIST_DIR || ".next");

function commandLine(): string {
  const args = process.argv.slice(2);
  return args.length ? `npm run bench -- ${args.join(" ")}` : "npm run bench";
}

function machine(loadBefore: number): MachineInfo {
  const cpuinfo = fs.existsSync("/proc/cpuinfo") ? fs.readFileSync("/proc/cpuinfo", "utf8") : "";
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown CPU";
  return { cores: os.cpus().length, cpuModel: model.trim(), ramGiB: os.totalmem() / 2 ** 30, node: process.version, loadBefore, loadAfter: os.loadavg()[0] };
}

function gitCommit(): string {
  try {
    const hash = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT }).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: ROOT }).toString().trim();
    return dirty ? `${hash} (with uncommitted changes)` : hash;
  } catch {
    return "unknown (not a git checkout)";
  }
}

/** The default build dir is also checked against the sources (scripts/start.ts's stamp), so `npm start` will not rebuild mid-benchmark. */
function buildNeeded(): boolean {
  if (!fs.existsSync(path.join(distDir, "BUILD_ID"))) return true;
  return !process.env.NEXT_DIST_DIR && buildIsStale();
}

interface ChildOutcome {
  exitCode: number | null;
  timedOut: boolean;
  stderrTail: string;
  seconds: number;
}

/** Runs one command in its own process group, echoing its output; stops the whole group after `limitSeconds`. */
function runChild(command: string, args: string[], limitSeconds: number, env: NodeJS.ProcessEnv = process.env): Promise<ChildOutcome> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => process.stdout.write(d));
  child.stderr.on("data", (d: Buffer) => {
    process.stderr.write(d);
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, "SIGTERM");
      setTimeout(() => child.exitCode === null && process.kill(-child.pid!, "SIGKILL"), 5000).unref();
    } catch {
      // already gone
    }
  }, limitSeconds * 1000);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      const tail = stderr.trim().split("\n").slice(-8).join("\n");
      resolve({ exitCode: code, timedOut, stderrTail: tail, seconds: (performance.now() - started) / 1000 });
    });
  });
}

async function build(): Promise<BenchOutcome | BenchProblem> {
  console.log(`\n== next build (no complete production build in ${path.relative(ROOT, distDir)})`);
  const startedAt = Date.now();
  // tsc checks types in `npm test`; the benchmark only needs the bundle.
  const env = { ...process.env, NEXT_SKIP_TYPECHECK: "1" };
  const child = await runChild(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], BUILD_BUDGET_SECONDS * 2, env);
  if (child.exitCode !== 0) return { bench: "next build", status: "failed", reason: child.timedOut ? "over twice its time budget" : "the build failed", exitCode: child.exitCode, stderrTail: child.stderrTail };
  if (!process.env.NEXT_DIST_DIR) {
    // The stamp scripts/start.ts writes, so `npm start` (start-time bench) takes this build as complete.
    const buildId = fs.readFileSync(path.join(distDir, "BUILD_ID"), "utf8").trim();
    fs.writeFileSync(path.join(distDir, "portal-build.json"), JSON.stringify({ buildId, startedAt }));
  }
  const result: BenchResult = {
    bench: "next build",
    command: "NEXT_SKIP_TYPECHECK=1 npx next build",
    rows: [{ group: "Build", name: "next build, production portal", unit: "s", values: [child.seconds], note: "one build, on a checkout without one; types are checked by npm test" }],
  };
  return { result, wallSeconds: child.seconds };
}

async function runBench(spec: BenchSpec, jsonDir: string): Promise<BenchOutcome | BenchProblem> {
  const json = path.join(jsonDir, `${spec.name}.json`);
  const args = [path.join(ROOT, spec.file), ...(spec.args ?? []), "--json", json, "--runs", String(runs), ...(options.quick ? ["--quick"] : [])];
  console.log(`\n== ${spec.name}: npx tsx ${spec.file} ${args.slice(1).join(" ")}  (budget ${spec.budgetSeconds} s)`);
  const child = await runChild(TSX, args, spec.budgetSeconds * 2);
  console.log(`== ${spec.name}: ${child.seconds.toFixed(1)} s wall (budget ${spec.budgetSeconds} s), exit code ${child.exitCode}`);
  if (child.timedOut) return { bench: spec.file, status: "failed", reason: `stopped after ${spec.budgetSeconds * 2} s, twice its time budget`, exitCode: child.exitCode, stderrTail: child.stderrTail };
  if (child.exitCode !== 0) return { bench: spec.file, status: "failed", reason: "the benchmark exited with an error", exitCode: child.exitCode, stderrTail: child.stderrTail };
  try {
    return { result: readJsonResult(json), wallSeconds: child.seconds };
  } catch (error) {
    return { bench: spec.file, status: "failed", reason: `it wrote no readable --json result (${error instanceof Error ? error.message : String(error)})`, exitCode: child.exitCode };
  }
}

function printPlan(selection: ReturnType<typeof selectBenches>, needsBuild: boolean): void {
  console.log(`npm run bench: ${runs} runs per benchmark${options.quick ? ", quick" : ""}, results into ${path.relative(process.cwd(), options.out)}`);
  if (needsBuild) console.log(`  build       next build into ${path.relative(ROOT, distDir)} first (budget ${BUILD_BUDGET_SECONDS} s)`);
  let total = needsBuild ? BUILD_BUDGET_SECONDS : 0;
  for (const spec of selection.run) {
    const present = fs.existsSync(path.join(ROOT, spec.file));
    total += spec.budgetSeconds;
    console.log(`  ${present ? "run    " : "missing"}     ${spec.name.padEnd(18)} ${spec.file} (budget ${spec.budgetSeconds} s)`);
  }
  for (const { spec, reason } of selection.skipped) console.log(`  skip        ${spec.name.padEnd(18)} ${reason}`);
  console.log(`  time budget ${(total / 60).toFixed(1)} min in all (missing benchmarks counted${needsBuild ? "" : "; no build needed"})`);
}

async function main(): Promise<void> {
  const selection = selectBenches(BENCHES, list(options.only), list(options.skip));
  const present = selection.run.filter((s) => fs.existsSync(path.join(ROOT, s.file)));
  const needsBuild = present.some((s) => s.needsBuild) && buildNeeded();
  if (options.plan) return printPlan(selection, needsBuild);

  const loadBefore = os.loadavg()[0];
  const date = new Date().toISOString();
  const started = performance.now();
  const jsonDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-run-"));
  const outcomes: BenchOutcome[] = [];
  const problems: BenchProblem[] = [];
  const record = (o: BenchOutcome | BenchProblem) => ("result" in o ? outcomes.push(o) : problems.push(o));
  try {
    let built = !needsBuild;
    if (needsBuild) {
      const b = await build();
      record(b);
      built = "result" in b;
    }
    for (const spec of selection.run) {
      if (!fs.existsSync(path.join(ROOT, spec.file))) problems.push({ bench: spec.file, status: "missing", reason: "the file does not exist in this checkout" });
      else if (spec.needsBuild && !built) problems.push({ bench: spec.file, status: "skipped", reason: "needs the production build, which failed" });
      else record(await runBench(spec, jsonDir));
    }
  } finally {
    fs.rmSync(jsonDir, { recursive: true, force: true });
  }
  for (const { spec, reason } of selection.skipped) problems.push({ bench: spec.file, status: "skipped", reason });

  const wallSeconds = (performance.now() - started) / 1000;
  const section = renderLatestRun({ date, machine: machine(loadBefore), commit: gitCommit(), command: commandLine(), wallSeconds, outcomes, problems });
  const existing = fs.existsSync(options.out) ? fs.readFileSync(options.out, "utf8") : "# Benchmark results\n";
  fs.writeFileSync(options.out, replaceLatestRun(existing, section));
  console.log(`\n${section}\n\nWrote the Latest run section of ${options.out} (${(wallSeconds / 60).toFixed(1)} min in all).`);
  if (problems.some((p) => p.status === "failed")) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
