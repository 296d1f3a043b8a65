import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";

// `npm run test:e2e` after the build: the Playwright suite in shards that run at once, each against
// a stack of its own. A shard is a Playwright process with `--shard=i/n` and E2E_SLOT = base + i - 1,
// so it gets its own ports, data dir and output dir (e2e/support/stack.ts, playwright.config.ts): the
// specs change the stack's settings, so two of them never share one. Inside a shard the specs run one
// at a time, as before. On one 2-core machine the 402 tests took 7.9 min in one run and 6.8 min in two
// shards with the full browser, 4.0–4.2 min in two shards with the headless shell (e2e/support/browser.ts).
//
//   E2E_SHARDS=n   how many shards (default 2; 1 runs Playwright once, as plain `playwright test`)
//   E2E_SLOT=k     the first shard's slot (default 0): shards use k, k+1, …
// Arguments go to every shard. With arguments (a spec, --grep, --project…) the default is one shard:
// a handful of tests is not worth a second stack.

const root = path.resolve(import.meta.dirname, "..");
const playwright = path.join(root, "node_modules/.bin/playwright");
const args = process.argv.slice(2);

/** The shard count from E2E_SHARDS, or a sentence when it is not a whole number from 1 to 8. */
export function shardCount(value: string | undefined, hasArgs: boolean): number | string {
  if (value === undefined || value === "") return hasArgs ? 1 : 2;
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 8 ? n : `E2E_SHARDS must be a whole number from 1 to 8, not "${value}".`;
}

const children = new Set<ChildProcess>();

function runShard(index: number, count: number, slot: number): Promise<{ code: number; seconds: number }> {
  const label = `[${index}/${count}]`;
  const started = performance.now();
  const shardArgs = count > 1 ? [`--shard=${index}/${count}`] : [];
  const child = spawn(playwright, ["test", ...shardArgs, ...args], {
    cwd: root,
    env: { ...process.env, E2E_SLOT: String(slot) },
    stdio: count > 1 ? ["ignore", "pipe", "pipe"] : "inherit",
  });
  children.add(child);
  if (count > 1) {
    // Each line is prefixed with its shard, so that the interleaved output still reads.
    for (const stream of [child.stdout!, child.stderr!]) {
      readline.createInterface({ input: stream }).on("line", (line) => console.log(`${label} ${line}`));
    }
  }
  return new Promise((resolve) => {
    const done = (code: number) => {
      children.delete(child);
      resolve({ code, seconds: (performance.now() - started) / 1000 });
    };
    child.once("error", (error) => {
      console.error(`${label} ${error.message}`);
      done(1);
    });
    child.once("exit", (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const count = shardCount(process.env.E2E_SHARDS, args.length > 0);
  if (typeof count === "string") {
    console.error(count);
    return 2;
  }
  const base = Number(process.env.E2E_SLOT ?? 0);
  if (!Number.isInteger(base) || base < 0) {
    console.error(`E2E_SLOT must be a whole number from 0, not "${process.env.E2E_SLOT}".`);
    return 2;
  }
  if (count > 1) console.log(`Running the e2e suite in ${count} shards at once, on slots ${base}–${base + count - 1}.`);
  const results = await Promise.all(Array.from({ length: count }, (_, i) => runShard(i + 1, count, base + i)));
  if (count > 1) {
    for (const [i, r] of results.entries()) {
      console.log(`Shard ${i + 1}/${count} (slot ${base + i}): ${r.code === 0 ? "passed" : `failed (exit ${r.code})`} in ${r.seconds.toFixed(0)} s`);
    }
  }
  return results.some((r) => r.code !== 0) ? 1 : 0;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  void main().then((code) => process.exit(code));
}
