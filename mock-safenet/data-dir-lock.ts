import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { ensurePrivateDir } from "../lib/runtime/private-files";
import { redactUrl } from "../lib/runtime/sql";

// On SQLite one process at a time owns a DATA_DIR: the running simulator, or a master key rotation
// that must not race it. A lock left by a process that died (SIGKILL, power loss) is taken over.

export const LOCK_FILE = "safenet.lock";

export class DataDirLockedError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the lock for `holder` ("the SafeNet simulator", "a master key rotation"); returns its release. */
export function lockDataDir(dataDir: string, holder: string): () => void {
  ensurePrivateDir(dataDir);
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify({ pid: process.pid, holder }), { flag: "wx", mode: 0o600 });
      const release = () => {
        try {
          if ((JSON.parse(fs.readFileSync(file, "utf8")) as { pid: number }).pid === process.pid) fs.unlinkSync(file);
        } catch {
          // Already gone.
        }
      };
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let owner: { pid?: number; holder?: string } = {};
    try {
      owner = JSON.parse(fs.readFileSync(file, "utf8")) as typeof owner;
    } catch {
      // Unreadable: treat as stale.
    }
    if (typeof owner.pid === "number" && alive(owner.pid)) {
      throw new DataDirLockedError(
        `${dataDir} is in use by ${owner.holder ?? "another process"} (pid ${owner.pid}). Stop it first; if no such process runs, delete ${file}.`,
      );
    }
    fs.rmSync(file, { force: true });
  }
  throw new DataDirLockedError(`Could not take the lock ${file}; try again.`);
}

// On PostgreSQL several simulators share one database, so the lock moves there: every running
// simulator holds a shared session advisory lock for its lifetime, and a master key rotation takes
// the same lock exclusively. A rotation is refused while any simulator on the database runs (on
// whatever host, with whatever DATA_DIR), and no simulator starts during a rotation. A process that
// dies loses its connection and with it the lock.

const INSTANCES_LOCK = "safenet-instances";

export type DatabaseHolder = "simulator" | "rotation";

/** Takes the database's instance lock (shared for a simulator, exclusive for a rotation); returns its release. */
export async function lockDatabase(url: string, holder: DatabaseHolder): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, application_name: `safenet-${holder}-lock` });
  client.on("error", (err) => console.error(`PostgreSQL ${redactUrl(url)}: the ${holder} lock's connection failed: ${err.message}`));
  await client.connect();
  const take = holder === "simulator" ? "pg_try_advisory_lock_shared" : "pg_try_advisory_lock";
  const { rows } = await client.query<{ ok: boolean }>(`SELECT ${take}(hashtextextended($1, 0)) AS ok`, [INSTANCES_LOCK]);
  if (!rows[0]?.ok) {
    await client.end();
    throw new DataDirLockedError(
      holder === "simulator"
        ? `A master key rotation is running on ${redactUrl(url)}. Start the simulator once it has finished.`
        : `${redactUrl(url)} is in use by a SafeNet simulator. Stop every simulator on this database first.`,
    );
  }
  return () => client.end();
}

/** The lock that fits where the data lives: DATA_DIR's file on SQLite, the database's advisory lock on PostgreSQL. */
export async function lockInstance(where: { dataDir: string; databaseUrl?: string }, holder: DatabaseHolder): Promise<() => Promise<void>> {
  if (where.databaseUrl) return lockDatabase(where.databaseUrl, holder);
  const release = lockDataDir(where.dataDir, holder === "simulator" ? "the SafeNet simulator" : "a master key rotation");
  return async () => release();
}
