import fs from "node:fs";
import path from "node:path";
import { ensurePrivateDir } from "../lib/runtime/private-files";

// One process at a time owns a DATA_DIR: the running simulator, or a master key rotation that must
// not race it. A lock left by a process that died (SIGKILL, power loss) is taken over.

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
