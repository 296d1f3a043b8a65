import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { freePort } from "../test/support/free-port";
import os from "node:os";
import path from "node:path";
import pg from "pg";

// A throwaway PostgreSQL cluster for tests and benchmarks: Debian's `postgresql` binaries, initdb in
// a temporary directory, the server on a free 127.0.0.1 port, gone when stopped. PostgreSQL refuses
// to run as root, so as root the cluster belongs to the `postgres` user (runuser).

export interface Cluster {
  port: number;
  dir: string;
  /** A URL for `database` on this cluster (created by createDatabase). */
  url(database: string): string;
  /** Creates an empty database; returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

function binDir(): string {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv) return fromEnv;
  const base = "/usr/lib/postgresql";
  if (fs.existsSync(base)) {
    const versions = fs
      .readdirSync(base)
      .filter((v) => fs.existsSync(path.join(base, v, "bin", "postgres")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return path.join(base, versions[0], "bin");
  }
  throw new Error("PostgreSQL's binaries were not found under /usr/lib/postgresql/*/bin: install Debian's `postgresql` package (or set PG_BIN).");
}

const asRoot = process.getuid?.() === 0;
/** The command, as the unprivileged `postgres` user when we are root. */
const as = (cmd: string, args: string[]): [string, string[]] => (asRoot ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args]);

export async function startCluster(options: { log?: (line: string) => void } = {}): Promise<Cluster> {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safenet-pg-"));
  if (asRoot) execFileSync("chown", ["postgres:postgres", dir]);
  fs.chmodSync(dir, 0o700);
  const data = path.join(dir, "data");
  const [initCmd, initArgs] = as(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
  execFileSync(initCmd, initArgs, { stdio: "pipe" });

  const port = await freePort();
  // Durability is not what these tests measure: fsync off keeps a 2-core machine quick.
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const log = path.join(dir, "server.log");
  const pgCtl = (args: string[]) => {
    const [cmd, argv] = as(path.join(bin, "pg_ctl"), args);
    return execFileSync(cmd, argv, { stdio: "pipe", timeout: 60_000 });
  };
  try {
    pgCtl(["start", "-D", data, "-w", "-t", "30", "-l", log, "-o", settings]);
  } catch (error) {
    const output = fs.existsSync(log) ? fs.readFileSync(log, "utf8") : String(error);
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start:\n${output}`);
  }
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;

  options.log?.(`PostgreSQL on 127.0.0.1:${port} (${data})`);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      pgCtl(["stop", "-D", data, "-m", "immediate", "-w"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  process.once("exit", () => {
    if (stopped) return;
    try {
      pgCtl(["stop", "-D", data, "-m", "immediate"]);
    } catch {
      // Already gone.
    }
  });

  return {
    port,
    dir,
    url,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a plain database name: ${name}`);
      const client = new pg.Client({ connectionString: url("postgres") });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
  };
}
