import { execFileSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { hotp } from "../../lib/otp";
import { readPskc } from "../../lib/pskc";
import type { Cluster } from "../../scripts/pg-cluster";
import { freePort, freeUdpPort } from "../../test/support/free-port";
import { waitFor } from "../wait-for";

// The processes bench/validator.ts measures: simulators (SQLite or PostgreSQL, HTTP and RADIUS),
// the bare baseline, and the tokens they share. Each start registers its own cleanup.

export const ROOT = path.resolve(__dirname, "../..");
export const TSX = path.join(ROOT, "node_modules/.bin/tsx");
export const VALIDATOR = "/TokenValidator/TokenValidator.asmx";
const TMS_KEY = "bench-tms-key-0123456789abcdef";
export const AGENT_KEY = "bench-agent-key-0123456789abcdef";
const RADIUS_SECRET = crypto.randomBytes(24).toString("base64url");
const MASTER_KEY = crypto.randomBytes(32).toString("base64");
const PIN = "4089";

export interface BenchToken {
  upn: string;
  serial: string;
  secretHex: string;
  pin: string;
  counter: number;
}

export interface Sim {
  base: string;
  pid: number;
  dataDir: string;
  radius?: { host: string; port: number; secret: string };
  /** SIGINT and wait: the simulator commits, and writes its CPU profile when it has one. */
  stop: () => Promise<void>;
}

export const cleanups: (() => Promise<void> | void)[] = [];


export interface SimOptions {
  extra?: Record<string, string>;
  seedUsers?: number;
  radius?: boolean;
  /** Reuse a data dir another (stopped) simulator left; it is removed with the last user. */
  dataDir?: string;
  /** Write a CPU profile (node --cpu-prof) into this directory on exit. */
  profileDir?: string;
}

/** A simulator process on its own ports; `extra` picks its database. */
export async function startSim(o: SimOptions = {}): Promise<Sim> {
  const dataDir = o.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "safenet-validator-bench-"));
  const [port, smtp, radiusPort] = [await freePort(), await freePort(), o.radius ? await freeUdpPort() : 0];
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    SAFENET_PORT: String(port),
    SMTP_SINK_PORT: String(smtp),
    SAFENET_RADIUS_PORT: String(radiusPort),
    SAFENET_RADIUS_SECRET: RADIUS_SECRET,
    SAFENET_TMS_API_KEY: TMS_KEY,
    SAFENET_AGENT_KEY: AGENT_KEY,
    SAFENET_MASTER_KEY: MASTER_KEY,
    SAFENET_LOG: "off",
    SAFENET_DATABASE_URL: "",
    ...o.extra,
  };
  if (o.seedUsers) execFileSync(TSX, ["mock-safenet/seed-cli.ts", "--users", String(o.seedUsers)], { cwd: ROOT, env });
  const profile = o.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${o.profileDir}`] : [];
  const sim = spawn(process.execPath, [...profile, "--import", "tsx", "mock-safenet/server.ts"], { cwd: ROOT, env, stdio: "ignore" });
  const stop = async () => {
    if (sim.exitCode === null && sim.signalCode === null) {
      const exited = new Promise((r) => sim.once("exit", r));
      sim.kill("SIGINT");
      await exited;
    }
  };
  cleanups.push(async () => {
    await stop();
    if (!o.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/health`, sim);
  return { base, pid: sim.pid!, dataDir, stop, ...(o.radius && { radius: { host: "127.0.0.1", port: radiusPort, secret: RADIUS_SECRET } }) };
}

/** Provisions and activates one event token per synthetic user through the TMS Web API. */
export async function provision(base: string, tokenCount: number): Promise<BenchToken[]> {
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

/** bench/baseline-validator.ts with its own copy of the tokens; returns its URL and pid. */
export async function startBare(tokens: BenchToken[]): Promise<{ url: string; pid: number }> {
  const port = await freePort();
  const baseline = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "bench/baseline-validator.ts")], { cwd: ROOT, env: { ...process.env, PORT: String(port) }, stdio: ["pipe", "pipe", "inherit"] });
  cleanups.push(() => void baseline.kill());
  const listening = new Promise((resolve) => baseline.stdout!.on("data", (d: Buffer) => d.toString().includes("listening") && resolve(null)));
  baseline.stdin!.end(tokens.map((t) => JSON.stringify(t)).join("\n"));
  await listening;
  return { url: `http://127.0.0.1:${port}/`, pid: baseline.pid! };
}

// CPU time from /proc (Linux): user + system, in clock ticks of 10 ms. Unlike throughput, the CPU a
// validation costs changes little when other work shares the machine.
export const TICK_MS = 10;
export function cpuTicks(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** PostgreSQL's server processes: the postmaster and its children (the backends serving the pools). */
export function postgresPids(cluster: Cluster): number[] {
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

/** A database that commits as SQLite's WAL with synchronous=NORMAL does: it waits for its WAL write. */
export async function benchDatabase(cluster: Cluster, name: string): Promise<string> {
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
export async function expectTokensIn(url: string, tokenCount: number): Promise<void> {
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
