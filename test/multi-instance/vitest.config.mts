import { defineConfig } from "vitest/config";
import path from "node:path";
import { fileURLToPath } from "node:url";

// The two-instance tests (`npm run test:postgres` runs them with TEST_POSTGRES_URL set): two
// simulators and two portals on one PostgreSQL cluster. Real processes and the portal build, so
// one file at a time and long timeouts; the files skip themselves under the default config.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export default defineConfig({
  root,
  resolve: {
    alias: { "@": root, "server-only": path.join(root, "node_modules/server-only/empty.js") },
  },
  test: {
    include: ["test/multi-instance/**/*.test.ts"],
    env: { MULTI_INSTANCE_SUITE: "1" },
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
  },
});
