import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// How long `npm run safenet:seed -- --users N` takes on an empty DATA_DIR (the issue asks < 60 s
// for 100 000), and how long a second run over the same users takes. Prints figures; never fails on time.

const ROOT = path.resolve(__dirname, "..");
const users = Number(process.argv[2] ?? 100_000);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "safenet-seed-bench-"));
const env = { ...process.env, DATA_DIR: dataDir, SAFENET_TMS_API_KEY: "bench-tms-key-0123456789", SAFENET_AGENT_KEY: "bench-agent-key-0123456789" };

function run(label: string) {
  const started = performance.now();
  const out = execFileSync(path.join(ROOT, "node_modules/.bin/tsx"), ["mock-safenet/seed-cli.ts", "--users", String(users)], { cwd: ROOT, env }).toString();
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label}: ${seconds.toFixed(2)} s wall (process start, migration and seeding included)`);
  console.log(`  ${out.trim().split("\n")[0]}`);
}

try {
  run(`first run, ${users} users`);
  run("second run, same users (idempotent)");
  const size = fs.statSync(path.join(dataDir, "safenet.sqlite")).size;
  console.log(`database size: ${(size / 1024 / 1024).toFixed(1)} MiB`);
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
