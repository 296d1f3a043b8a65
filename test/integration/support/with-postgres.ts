import { spawn } from "node:child_process";
import path from "node:path";
import { startCluster } from "../../../scripts/pg-cluster";

// `tsx test/integration/support/with-postgres.ts <vitest files…>`: starts a throwaway PostgreSQL,
// runs vitest on the files with TEST_POSTGRES_URL pointing at it (so the portal-database tests run
// on both dialects), and stops it. Exits with vitest's status.

const ROOT = path.resolve(__dirname, "../../..");

async function main(): Promise<number> {
  const cluster = await startCluster({ log: (line) => console.log(line) });
  try {
    const vitest = spawn(path.join(ROOT, "node_modules/.bin/vitest"), ["run", ...process.argv.slice(2)], {
      cwd: ROOT,
      stdio: "inherit",
      env: { ...process.env, TEST_POSTGRES_URL: cluster.url("postgres") },
    });
    return await new Promise<number>((resolve) => vitest.on("exit", (code) => resolve(code ?? 1)));
  } finally {
    await cluster.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
