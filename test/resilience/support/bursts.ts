import { spawn } from "node:child_process";
import path from "node:path";
import { ROOT } from "../../integration/harness";

/** Two client processes, each firing `perProcess` identical POSTs at the same instant; every answer. */
export async function twoProcessBurst(job: { url: string; headers: Record<string, string>; body: string; perProcess: number }) {
  const at = Date.now() + 1_500;
  const run = () =>
    new Promise<{ status: number; text: string }[]>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/resilience/support/burst.ts"), JSON.stringify({ ...job, count: job.perProcess, at })], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "inherit"],
      });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`burst exited ${code}`))));
    });
  const [a, b] = await Promise.all([run(), run()]);
  return [...a, ...b];
}
