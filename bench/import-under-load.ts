import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hotp } from "../lib/otp";
import { readPskc } from "../lib/pskc";
import type { LoadResult } from "./load";
import { pskcBatch } from "./pskc-batch";
import { waitFor } from "./wait-for";

// Validator latency at a steady load while four large PSKC imports run at once, with the import read
// in a worker thread (the default) and on the event loop (SAFENET_IMPORT_THREAD=main, the old way; the
// Web Crypto work of either goes to libuv's thread pool).
// Prints figures; never fails on time.
// Usage: npx tsx bench/import-under-load.ts [runs=3] [concurrency=32] [seconds=8] [packages=1000] [iterations=300000]

const ROOT = path.resolve(__dirname, "..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const [runs = 3, concurrency = 32, seconds = 8, packages = 1000, iterations = 300_000] = process.argv.slice(2).map(Number);
const TMS_KEY = "bench-tms-key-0123456789abcdef";
const AGENT_KEY = "bench-agent-key-0123456789abcdef";
const PIN = "4089";
const TOKENS = 64;
const PASSWORD = "Batch-Passw0rd";


function runLoad(job: object): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [path.join(ROOT, "bench/load.ts"), JSON.stringify(job)], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load exited ${code}`))));
  });
}

async function oneRun(thread: "worker" | "main", withImports: boolean) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "safenet-import-bench-"));
  const port = 4592;
  const env = { ...process.env, DATA_DIR: dataDir, SAFENET_PORT: String(port), SMTP_SINK_PORT: "2592", SAFENET_RADIUS_PORT: "0", SAFENET_TMS_API_KEY: TMS_KEY, SAFENET_AGENT_KEY: AGENT_KEY, SAFENET_LOG: "off", SAFENET_IMPORT_THREAD: thread } as NodeJS.ProcessEnv;
  execFileSync(TSX, ["mock-safenet/seed-cli.ts", "--users", String(TOKENS)], { cwd: ROOT, env });
  const sim = spawn(process.execPath, ["--import", "tsx", "mock-safenet/server.ts"], { cwd: ROOT, env, stdio: "ignore" });
  const base = `http://127.0.0.1:${port}`;
  const post = (p: string, body: unknown) =>
    fetch(`${base}/TMSWebAPI/v1${p}`, { method: "POST", headers: { authorization: `Bearer ${TMS_KEY}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  try {
    await waitFor(`${base}/health`, sim);
    const tokens = [];
    for (let i = 1; i <= TOKENS; i++) {
      const upn = `user${String(i).padStart(6, "0")}@corp.local`;
      const { token, activation } = await (await post(`/repositories/corp.local/users/${upn}/tokens`, { type: "MobilePASS", otpMode: "event", pin: PIN })).json();
      const [key] = await readPskc(Buffer.from(activation.seedFile.base64, "base64").toString(), activation.activationKey);
      await post(`/tokens/${token.serial}/activate`, { passcode: PIN + hotp(key.secret, 0) });
      tokens.push({ upn, serial: token.serial, secretHex: Buffer.from(key.secret).toString("hex"), pin: PIN, counter: 1 });
    }
    // Files are written before the load starts, so that the bench's own PBKDF2 does not share its time.
    const files = Array.from({ length: 4 }, () => JSON.stringify({ pskc: pskcBatch({ count: packages, iterations }).xml, password: PASSWORD }));
    let stop = false;
    let imported = 0;
    let importMs = 0;
    const importer = async (body: string) => {
      // Each pass re-sends its file: after the first, every package is a rejected duplicate, but the
      // file is still parsed, decrypted and checked in full.
      while (!stop) {
        const started = performance.now();
        const res = await fetch(`${base}/TMSWebAPI/v1/tokens/import`, { method: "POST", headers: { authorization: `Bearer ${TMS_KEY}`, "content-type": "application/json" }, body });
        await res.text();
        if (res.status !== 200) throw new Error(`import answered ${res.status}`);
        imported++;
        importMs += performance.now() - started;
      }
    };
    const load = runLoad({ url: `${base}/TokenValidator/TokenValidator.asmx`, headers: { "x-agent-key": AGENT_KEY }, concurrency, seconds, tokens });
    const importers = withImports ? files.map(importer) : [];
    const result = await load;
    stop = true;
    await Promise.all(importers);
    return { ...result, imports: imported, importMeanMs: imported ? importMs / imported : 0 };
  } finally {
    sim.kill("SIGINT");
    await new Promise((r) => sim.once("exit", r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  console.log(`${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  console.log(`validator: ${TOKENS} event tokens, concurrency ${concurrency}, ${seconds} s per run; imports: 4 concurrent loops of a ${packages}-package file at ${iterations} PBKDF2 iterations`);
  const scenarios: [string, "worker" | "main", boolean][] = [
    ["no imports (reference)", "worker", false],
    ["imports on the main thread (before)", "main", true],
    ["imports in a worker thread (after)", "worker", true],
  ];
  for (const [label, thread, withImports] of scenarios) {
    const results = [];
    for (let i = 0; i < runs; i++) {
      const r = await oneRun(thread, withImports);
      results.push(r);
      console.log(`  ${label} run ${i + 1}: ${r.perSecond.toFixed(0)}/s, p50 ${r.p50ms.toFixed(2)} ms, p99 ${r.p99ms.toFixed(2)} ms, imports done ${r.imports} (mean ${r.importMeanMs.toFixed(0)} ms), answers ${JSON.stringify(r.codes)}, errors ${r.errors}`);
    }
    console.log(
      `${label}: median of ${runs}: ${median(results.map((r) => r.perSecond)).toFixed(0)} validations/s, p50 ${median(results.map((r) => r.p50ms)).toFixed(2)} ms, p99 ${median(results.map((r) => r.p99ms)).toFixed(2)} ms, imports per run ${median(results.map((r) => r.imports))}`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
