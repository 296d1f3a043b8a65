import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startCluster } from "../scripts/pg-cluster";
import { writeJsonResult } from "./lib/result";

// How long `npm run db:copy` takes to move a synthetic directory of N users (and the portal's empty
// database) from SQLite into a new PostgreSQL database: the command's own process, migration of both
// ends included. Seeds with `npm run safenet:seed -- --users N` first. Prints figures; never fails on time.
// Usage: npx tsx bench/copy-to-postgres.ts [users=100000] [runs=3] [--runs N] [--quick] [--json file]   (--quick: 10 000 users)

const ROOT = path.resolve(__dirname, "..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const { values: options, positionals } = parseArgs({
  options: { runs: { type: "string" }, quick: { type: "boolean", default: false }, json: { type: "string" } },
  allowPositionals: true,
});
const users = Number(positionals[0] ?? (options.quick ? 10_000 : 100_000));
const runs = Number(options.runs ?? positionals[1] ?? 3);
const TIME = "/usr/bin/time";

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "copy-bench-"));
  const env = { ...process.env, DATA_DIR: dataDir, SAFENET_DATABASE_URL: "", DATABASE_URL: "", SAFENET_TMS_API_KEY: "bench-tms-key-0123456789", SAFENET_AGENT_KEY: "bench-agent-key-0123456789" };
  const cluster = await startCluster();
  try {
    execFileSync(TSX, ["mock-safenet/seed-cli.ts", "--users", String(users)], { cwd: ROOT, env });
    execFileSync(TSX, ["db/migrate.ts"], { cwd: ROOT, env });
    const size = fs.statSync(path.join(dataDir, "safenet.sqlite")).size;
    const times: number[] = [];
    for (let run = 1; run <= runs; run++) {
      const portal = await cluster.createDatabase(`copy_portal_${run}`);
      const safenet = await cluster.createDatabase(`copy_safenet_${run}`);
      const command = [TSX, path.join(ROOT, "scripts/copy-to-postgres.ts"), "--portal-url", portal, "--safenet-url", safenet];
      // /usr/bin/time adds the command's CPU time (its processes, not PostgreSQL's), which a busy machine stretches less than the wall time.
      const timed = fs.existsSync(TIME) ? [TIME, "-f", "cpu %U %S", ...command] : command;
      const load = os.loadavg()[0].toFixed(1);
      const started = performance.now();
      const child = spawnSync(timed[0], timed.slice(1), { cwd: dataDir, env, encoding: "utf8" });
      const secs = (performance.now() - started) / 1000;
      if (child.status !== 0) throw new Error(`the copy failed:\n${child.stdout}${child.stderr}`);
      const out = child.stdout;
      const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(child.stderr);
      times.push(secs);
      console.log(`run ${run}: ${secs.toFixed(2)} s wall${cpu ? `, ${(Number(cpu[1]) + Number(cpu[2])).toFixed(2)} s CPU` : ""} (load average ${load} before)`);
      for (const line of out.split("\n").filter((l) => / copied /.test(l))) console.log(`  ${line}`);
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`${users} users, safenet.sqlite ${(size / 2 ** 20).toFixed(1)} MiB: median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} s over ${runs} runs (${os.cpus().length} cores, node ${process.version})`);
    const n = users.toLocaleString("en").replace(/,/g, " ");
    writeJsonResult(options.json, {
      bench: "bench/copy-to-postgres.ts",
      command: `npx tsx bench/copy-to-postgres.ts ${users} --runs ${runs}`,
      rows: [{ group: "Copy to PostgreSQL", name: `npm run db:copy, ${n} users`, unit: "s", values: times, note: `safenet.sqlite ${(size / 2 ** 20).toFixed(1)} MiB; migrations of both ends included` }],
    });
  } finally {
    await cluster.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
