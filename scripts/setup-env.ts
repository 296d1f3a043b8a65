import { randomBytes } from "node:crypto";
import { appendFileSync, closeSync, existsSync, linkSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { ensurePrivateDir, tightenPrivateFile } from "../lib/runtime/private-files";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseEnv } from "node:util";

const generators = {
  SAFENET_TMS_API_KEY: () => randomBytes(32).toString("base64url"),
  SAFENET_AGENT_KEY: () => randomBytes(32).toString("base64url"),
  // Printable, 43 characters: the RADIUS secret of the auth node for 127.0.0.1 (radtest takes it on the command line).
  SAFENET_RADIUS_SECRET: () => randomBytes(32).toString("base64url"),
  SAFENET_MASTER_KEY: () => randomBytes(32).toString("base64"),
  NEXTAUTH_SECRET: () => randomBytes(32).toString("base64url"),
} as const;

type KeyName = keyof typeof generators;

const header = `# Written by scripts/setup-env.ts on first start. Keep this file private (mode 0600).
# The environment wins over this file. Defaults, uncomment to change:
# PORT=3000
# SAFENET_PORT=4010
# SMTP_SINK_PORT=2525
# DATA_DIR=data
# SAFENET_URL=http://127.0.0.1:4010
# SMTP_URL=smtp://127.0.0.1:2525
# NEXTAUTH_URL=http://127.0.0.1:3000
`;

function keyLines(names: KeyName[]): string {
  return names.map((name) => `${name}=${generators[name]()}\n`).join("");
}

export interface EnsureEnvResult {
  created: boolean;
  path: string;
  /** Keys appended to an existing file (names only, never values). */
  added: KeyName[];
  dataDir: string;
}

export function ensureEnvFile(root = process.cwd()): EnsureEnvResult {
  const file = path.join(root, ".env");
  const allKeys = Object.keys(generators) as KeyName[];
  let created = false;
  let added: KeyName[] = [];

  // Several instances may start at once from one checkout: exactly one file wins, and every process
  // goes on with the keys that file holds (scripts/start.ts loads it right after this returns).
  if (!existsSync(file)) created = createOnce(file, header + "\n" + keyLines(allKeys));
  if (!created) {
    added = whileLocked(file, () => {
      const text = readFileSync(file, "utf8");
      const parsed = parseEnv(text);
      // An empty value counts as missing; a later line wins when the file is parsed.
      const missing = allKeys.filter((name) => !parsed[name]);
      if (missing.length > 0) {
        const separator = text.length === 0 || text.endsWith("\n") ? "" : "\n";
        appendFileSync(file, separator + keyLines(missing));
      }
      return missing;
    });
  }

  const fromFile = parseEnv(readFileSync(file, "utf8"));
  const dataDir = path.resolve(root, process.env.DATA_DIR || fromFile.DATA_DIR || "data");
  ensurePrivateDir(dataDir);
  tightenPrivateFile(file);

  return { created, path: file, added, dataDir };
}

/**
 * Writes `text` to `file` unless it exists, atomically: a complete temporary file is hard-linked
 * into place (link() fails with EEXIST instead of replacing), so no process ever reads a half-written
 * .env, and a process that loses the race keeps nothing of its own. Returns whether this one won.
 */
function createOnce(file: string, text: string): boolean {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(temp, text, { mode: 0o600, flag: "wx" });
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    // A file system without hard links: exclusive create, then write (a reader may see it empty for a moment, not another key).
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw error;
    let fd: number;
    try {
      fd = openSync(file, "wx", 0o600);
    } catch (inner) {
      if ((inner as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw inner;
    }
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    return true;
  } finally {
    rmSync(temp, { force: true });
  }
}

const LOCK_WAIT_MS = 10_000;
const LOCK_STALE_MS = 30_000;

/** Runs `work` holding `${file}.lock` (exclusive create), so two processes never both add the same missing key. */
function whileLocked<T>(file: string, work: () => T): T {
  const lock = `${file}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, "wx", 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    // A lock left by a process that died while holding it (it holds it for a few milliseconds).
    try {
      if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { force: true });
    } catch {
      // Gone already.
    }
    if (Date.now() > deadline) throw new Error(`${lock} has been held for ${LOCK_WAIT_MS / 1000} s; if no other instance is starting, delete it.`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  try {
    return work();
  } finally {
    rmSync(lock, { force: true });
  }
}

export function describeEnvResult(result: EnsureEnvResult): string | undefined {
  if (result.created) return `Wrote ${result.path} with new random keys.`;
  if (result.added.length > 0) return `Added ${result.added.join(", ")} to ${result.path}.`;
  return undefined;
}

function isMain(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && import.meta.url === pathToFileURL(path.resolve(entry)).href;
}

if (isMain()) {
  const result = ensureEnvFile();
  console.log(describeEnvResult(result) ?? `${result.path} already has every key.`);
}
