import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hotp } from "../lib/otp";
import { readPskc } from "../lib/pskc";
import { waitFor } from "./wait-for";

// Validator throughput: the simulator (group commit: one IMMEDIATE transaction per event-loop turn, WAL) against a bare
// node:http server doing the same work from memory (bench/baseline-validator.ts). The same load
// generator (bench/load.ts, its own process) drives both. Prints figures; never fails on time.
// Usage: npx tsx bench/validator.ts [tokens=200] [concurrency=32] [seconds=10]

const ROOT = path.resolve(__dirname, "..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const [tokenCount = 200, concurrency = 32, seconds = 10] = process.argv.slice(2).map(Number);
const TMS_KEY = "bench-tms-key-0123456789abcdef";
const AGENT_KEY = "bench-agent-key-0123456789abcdef";
const PIN = "4089";


function load(url: string, headers: Record<string, string>, tokens: unknown[]) {
  const job = JSON.stringify({ url, headers, concurrency, seconds, tokens });
  return JSON.parse(execFileSync(TSX, [path.join(ROOT, "bench/load.ts"), job], { cwd: ROOT }).toString());
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "safenet-validator-bench-"));
  const port = 4590;
  const env = { ...process.env, DATA_DIR: dataDir, SAFENET_PORT: String(port), SMTP_SINK_PORT: "2590", SAFENET_TMS_API_KEY: TMS_KEY, SAFENET_AGENT_KEY: AGENT_KEY, SAFENET_LOG: "off" };
  execFileSync(TSX, ["mock-safenet/seed-cli.ts", "--users", String(tokenCount)], { cwd: ROOT, env });
  // BENCH_PROFILE=dir writes a CPU profile of the simulator there (node --cpu-prof).
  const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`] : [];
  const sim = spawn(process.execPath, [...profile, "--import", "tsx", "mock-safenet/server.ts"], { cwd: ROOT, env, stdio: "ignore" });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${base}/health`, sim);
    const tms = (p: string, body: unknown) =>
      fetch(`${base}/TMSWebAPI/v1${p}`, { method: "POST", headers: { authorization: `Bearer ${TMS_KEY}`, "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json());
    const tokens = [];
    for (let i = 1; i <= tokenCount; i++) {
      const upn = `user${String(i).padStart(6, "0")}@corp.local`;
      const { token, activation } = await tms(`/repositories/corp.local/users/${upn}/tokens`, { type: "MobilePASS", otpMode: "event", pin: PIN });
      const [key] = await readPskc(Buffer.from(activation.seedFile.base64, "base64").toString(), activation.activationKey);
      await tms(`/tokens/${token.serial}/activate`, { passcode: PIN + hotp(key.secret, 0) });
      tokens.push({ upn, serial: token.serial, secretHex: Buffer.from(key.secret).toString("hex"), pin: PIN, counter: 1 });
    }

    const baseline = spawn(TSX, [path.join(ROOT, "bench/baseline-validator.ts")], { cwd: ROOT, env: { ...process.env, PORT: "4591" }, stdio: ["pipe", "pipe", "inherit"] });
    const listening = new Promise((resolve) => baseline.stdout!.on("data", (d: Buffer) => d.toString().includes("listening") && resolve(null)));
    baseline.stdin!.end(tokens.map((t) => JSON.stringify(t)).join("\n"));
    await listening;
    const bare = load("http://127.0.0.1:4591/", {}, tokens);
    baseline.kill();

    const real = load(`${base}/TokenValidator/TokenValidator.asmx`, { "x-agent-key": AGENT_KEY }, tokens);
    const fmt = (r: { perSecond: number; p50ms: number; p99ms: number; codes: unknown; errors: number }) =>
      `${r.perSecond.toFixed(0)} validations/s, p50 ${r.p50ms.toFixed(2)} ms, p99 ${r.p99ms.toFixed(2)} ms, answers ${JSON.stringify(r.codes)}, errors ${r.errors}`;
    console.log(`tokens ${tokenCount}, concurrency ${concurrency}, ${seconds} s each, ${os.cpus().length} cores, node ${process.version}`);
    console.log(`bare node:http from memory: ${fmt(bare)}`);
    console.log(`simulator (durable):        ${fmt(real)}`);
    console.log(`ratio simulator / bare: ${(real.perSecond / bare.perSecond).toFixed(2)}`);
  } finally {
    sim.kill("SIGINT");
    await new Promise((r) => sim.once("exit", r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
