import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { migratePortalNow } from "../db/migrate";
import { describeEnvResult, ensureEnvFile } from "./setup-env";
import { superviseUntilSignalled } from "./supervisor";

const root = path.resolve(import.meta.dirname, "..");

// Everything whose change means the portal must be rebuilt.
const buildInputs = ["app", "lib", "db", "emails", "next.config.mjs", "package.json", "tsconfig.json", "proxy.ts", "instrumentation-client.ts"];

export interface StackEnv {
  portalPort: string;
  safenetPort: string;
  smtpPort: string;
  /** UDP; "0" when the RADIUS front end is off. */
  radiusPort: string;
  env: NodeJS.ProcessEnv;
}

/** .env, data directory and portal migration: the steps both `start` and `dev` need first. */
export function prepare(): StackEnv {
  const result = ensureEnvFile(root);
  const note = describeEnvResult(result);
  if (note) console.log(note);
  process.loadEnvFile(result.path);
  console.log(`Portal database ready: ${migratePortalNow(root)}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // next-auth reads NEXTAUTH_URL itself and would otherwise assume localhost:3000.
    NEXTAUTH_URL: process.env.NEXTAUTH_URL || `http://127.0.0.1:${process.env.PORT || "3000"}`,
    PATH: `${path.join(root, "node_modules", ".bin")}${path.delimiter}${process.env.PATH ?? ""}`,
  };
  return {
    portalPort: process.env.PORT || "3000",
    safenetPort: process.env.SAFENET_PORT || "4010",
    smtpPort: process.env.SMTP_SINK_PORT || "2525",
    radiusPort: process.env.SAFENET_RADIUS_PORT || "1812",
    env,
  };
}

function newestMtime(target: string): number {
  let stats;
  try {
    stats = statSync(target);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

// Next writes BUILD_ID before a build finishes, so only our own stamp proves a complete build.
const buildStamp = path.join(root, ".next", "portal-build.json");

export function buildIsStale(): boolean {
  try {
    const buildId = readFileSync(path.join(root, ".next", "BUILD_ID"), "utf8").trim();
    const stamp = JSON.parse(readFileSync(buildStamp, "utf8")) as { buildId?: string; startedAt?: number };
    if (stamp.buildId !== buildId || typeof stamp.startedAt !== "number") return true;
    const startedAt = stamp.startedAt;
    return buildInputs.some((input) => newestMtime(path.join(root, input)) > startedAt);
  } catch {
    return true;
  }
}

export function buildIfStale(env: NodeJS.ProcessEnv): void {
  if (!buildIsStale()) return;
  console.log("Building the portal (no complete build, or sources changed since the last one)…");
  const startedAt = Date.now();
  const nextCli = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const build = spawnSync(process.execPath, [nextCli, "build"], { cwd: root, env, stdio: "inherit" });
  if (build.status !== 0) {
    throw new Error("The portal build failed; fix the errors above and run npm start again.");
  }
  const buildId = readFileSync(path.join(root, ".next", "BUILD_ID"), "utf8").trim();
  writeFileSync(buildStamp, JSON.stringify({ buildId, startedAt }));
}

export function printBanner(stack: StackEnv): void {
  const safenet = `http://127.0.0.1:${stack.safenetPort}`;
  console.log(
    [
      "",
      "SafeNet Login portal",
      `  Portal             http://127.0.0.1:${stack.portalPort}`,
      `  SafeNet simulator  ${safenet}`,
      `    TMS Web API      ${safenet}/TMSWebAPI/v1`,
      `    OTP validator    ${safenet}/TokenValidator/TokenValidator.asmx`,
      `    Mailbox          ${safenet}/mailbox/messages`,
      `  SMTP sink          127.0.0.1:${stack.smtpPort}`,
      stack.radiusPort === "0" ? "  RADIUS             off (SAFENET_RADIUS_PORT=0)" : `  RADIUS             udp://127.0.0.1:${stack.radiusPort} (secret SAFENET_RADIUS_SECRET in .env)`,
      "  Demo accounts are printed by the simulator below. Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
}

/**
 * Runs simulator and portal side by side under the supervisor: one that dies is restarted with a
 * backoff while the other keeps serving; Ctrl-C or SIGTERM stops both gracefully.
 */
export async function runStack(stack: StackEnv, commands: { safenet: string; portal: string }): Promise<void> {
  const child = (name: string, line: string) => {
    const [command, ...args] = line.split(" ");
    return { name, command, args, env: stack.env, cwd: root };
  };
  await superviseUntilSignalled([child("safenet", commands.safenet), child("portal", commands.portal)]);
}

async function main(): Promise<void> {
  const stack = prepare();
  buildIfStale(stack.env);
  printBanner(stack);
  await runStack(stack, {
    safenet: "tsx mock-safenet/server.ts",
    portal: `tsx scripts/portal-server.ts -H 127.0.0.1 -p ${stack.portalPort}`,
  });
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
