import { defineConfig } from "vitest/config";
import path from "node:path";
import { fileURLToPath } from "node:url";

// `npm run test:resilience`: fuzzing, crashes, races and outages against real processes. Slow, so it
// is kept out of the default `vitest run` (see the exclude in ../../vitest.config.mts).

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export default defineConfig({
  root,
  resolve: { alias: { "@": root } },
  test: {
    include: ["test/resilience/**/*.test.ts"],
    testTimeout: 240_000,
    hookTimeout: 180_000,
    pool: "forks",
    // One file at a time: each starts its own simulator (and portal), and the machine has 2 cores.
    maxWorkers: 1,
    fileParallelism: false,
  },
});
