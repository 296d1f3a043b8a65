import fs from "node:fs";
import path from "node:path";

// DATA_DIR holds the databases and the master key: only the user running the services may read it.
// New files are made private; files of an older installation that are wider are tightened, with a
// message, since the operator should know their data was readable.

export type Log = (line: string) => void;
const warn: Log = (line) => console.warn(line);

function tighten(target: string, mode: number, log: Log): void {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(target);
  } catch {
    return;
  }
  const current = stats.mode & 0o777;
  if ((current & ~mode) === 0) return;
  fs.chmodSync(target, mode);
  log(`Tightened the permissions of ${target} from ${current.toString(8).padStart(4, "0")} to ${mode.toString(8).padStart(4, "0")}: it holds secrets only this user should read.`);
}

/** Creates `dir` with mode 0700, or narrows an existing one to 0700. */
export function ensurePrivateDir(dir: string, log: Log = warn): void {
  if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir, 0o700, log);
}

/** Narrows an existing file to 0600. */
export function tightenPrivateFile(file: string, log: Log = warn): void {
  tighten(file, 0o600, log);
}

/**
 * Before SQLite opens `file`: its folder 0700, the file created (or narrowed) 0600 and so are an
 * existing -wal and -shm. SQLite gives the -wal and -shm it creates the database file's mode.
 */
export function preparePrivateDatabase(file: string, log: Log = warn): void {
  ensurePrivateDir(path.dirname(file), log);
  try {
    fs.closeSync(fs.openSync(file, "wx", 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  for (const suffix of ["", "-wal", "-shm"]) tightenPrivateFile(file + suffix, log);
}
