import { spawn } from "node:child_process";
import path from "node:path";
import { describeEnvResult, ensureEnvFile } from "./setup-env";

// The simulator alone; it loads .env, migrates and seeds by itself.
const root = path.resolve(import.meta.dirname, "..");
const note = describeEnvResult(ensureEnvFile(root));
if (note) console.log(note);

const tsxCli = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
const child = spawn(process.execPath, [tsxCli, "mock-safenet/server.ts"], { cwd: root, stdio: "inherit" });

// Ctrl-C reaches the child through the terminal's process group; SIGTERM has to be passed on.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("exit", (code, signal) => {
  process.exitCode = code ?? (signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1);
});
