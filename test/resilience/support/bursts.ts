import { spawn } from "node:child_process";
import path from "node:path";
import { ROOT } from "../../integration/harness";

interface Job {
  url: string;
  headers: Record<string, string>;
  body: string;
  perProcess: number;
}
export interface BurstAnswer {
  status: number;
  text: string;
  setCookie: string[];
}

/** Two client processes, each firing `perProcess` identical POSTs at the same instant; every answer. */
export async function twoProcessBurst(job: Job) {
  const [a, b] = await twoProcessBurstEach([job, job]);
  return [...a, ...b];
}

/** Two client processes firing at the same instant, each its own job (its own session, say); the answers per process. */
export async function twoProcessBurstEach(jobs: [Job, Job]): Promise<[BurstAnswer[], BurstAnswer[]]> {
  const at = Date.now() + 1_500;
  const run = (job: Job) =>
    new Promise<BurstAnswer[]>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/resilience/support/burst.ts"), JSON.stringify({ ...job, count: job.perProcess, at })], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "inherit"],
      });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`burst exited ${code}`))));
    });
  return Promise.all([run(jobs[0]), run(jobs[1])]);
}
