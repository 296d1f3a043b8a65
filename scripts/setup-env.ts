import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { ensurePrivateDir, tightenPrivateFile } from "../lib/runtime/private-files";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseEnv } from "node:util";

const generators = {
  SAFENET_TMS_API_KEY: () => randomBytes(32).toString("base64url"),
  SAFENET_AGENT_KEY: () => randomBytes(32).toString("base64url"),
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

  if (!existsSync(file)) {
    writeFileSync(file, header + "\n" + keyLines(allKeys), { mode: 0o600 });
    created = true;
  } else {
    const text = readFileSync(file, "utf8");
    const parsed = parseEnv(text);
    // An empty value counts as missing; a later line wins when the file is parsed.
    added = allKeys.filter((name) => !parsed[name]);
    if (added.length > 0) {
      const separator = text.length === 0 || text.endsWith("\n") ? "" : "\n";
      appendFileSync(file, separator + keyLines(added));
    }
  }

  const fromFile = parseEnv(readFileSync(file, "utf8"));
  const dataDir = path.resolve(root, process.env.DATA_DIR || fromFile.DATA_DIR || "data");
  ensurePrivateDir(dataDir);
  tightenPrivateFile(file);

  return { created, path: file, added, dataDir };
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
