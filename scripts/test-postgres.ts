import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startCluster, type Cluster } from "./pg-cluster";

// `npm run test:postgres`: the suites again with both processes on PostgreSQL, on a throwaway
// cluster (scripts/pg-cluster.ts) that is stopped whatever happens.
//   1. the integration tests whose databases this moves (postgresTests): each simulator the harness
//      starts gets a fresh database, and the portal's database tests make their own, all from
//      TEST_POSTGRES_URL; with them the unit test files that have PostgreSQL cases (the SQL kit's);
//   2. the e2e suite (a data-layer subset, see E2E_SPECS) with the portal and the simulator on
//      fresh databases of their own, reusing the build `npm test` made;
//   3. the two-instance tests (test/multi-instance): two portals and two simulators on one cluster.
// Steps can be picked by name: `npm run test:postgres -- e2e multi-instance`. Exits non-zero when
// any step failed; prints each step's time.

const root = path.resolve(import.meta.dirname, "..");
const bin = (name: string) => path.join(root, "node_modules/.bin", name);

/**
 * The e2e specs run on PostgreSQL (chromium project only), chosen for CI's time: the data paths of
 * the built portal that the integration and two-instance tests do not already drive — sign-in with
 * its throttle and session rows, the enrollment flow (provisioning, sent mail, the session's MFA
 * steps), sessions ended behind the user's back, the events timeline (ingestion, filters, cursor,
 * CSV), settings and exclusion rules saved through the admin pages, and the mailbox. Left out, for
 * time: authorization, my-token, admin-overview, events-search, mailbox-reading,
 * errors-and-messages (their queries are the same ones these run), the specs without data paths
 * of their own (layout, headers, CSP, redirects, keys, MobilePASS, smoke) and the TLS project.
 * Left out because they open portal.sqlite themselves to arrange or read rows: the admin-* specs
 * but events and exclusions, attacker-mail, attacker-step-up, break-glass, client-address,
 * connect, enrollment, hostile-input.
 */
export const E2E_SPECS = [
  "sign-in.spec.ts",
  "enrollment-flow.spec.ts",
  "attacker-session.spec.ts",
  "admin-events.spec.ts",
  "admin-exclusions.spec.ts",
  "mailbox.spec.ts",
];

type Step = { name: string; run: (cluster: Cluster) => Promise<number> };

let current: ChildProcess | undefined;

function command(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  console.log(`\n$ ${[cmd, ...args].map((a) => path.relative(root, a) || a).join(" ")}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: "inherit" });
    current = child;
    child.once("error", (error) => {
      console.error(error.message);
      resolve(1);
    });
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Test files under `dirs` whose text matches `pattern`. */
function testFilesMatching(dirs: string[], pattern: RegExp): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(rel);
      else if (entry.name.endsWith(".test.ts") && pattern.test(fs.readFileSync(path.join(root, rel), "utf8"))) found.push(rel);
    }
  };
  for (const dir of dirs) if (fs.existsSync(path.join(root, dir))) visit(dir);
  return found;
}

/**
 * Integration test files that keep SQLite on purpose even under TEST_POSTGRES_URL: running them here
 * would repeat what `npm test` ran. rotate-key.test.ts rotates a SQLite DATA_DIR (its PostgreSQL case
 * is rotate-key-postgres.test.ts).
 */
export const SQLITE_ONLY = ["rotate-key.test.ts"];

/**
 * The test files whose databases move to PostgreSQL under TEST_POSTGRES_URL: those that start a
 * simulator through the harness (it gives each one a fresh PostgreSQL database), open the portal's
 * database per dialect, or have PostgreSQL cases of their own (the SQL kit's unit tests). The rest
 * (the .env race, file modes, the data dir lock, the RADIUS codec server, the supervisor…) touch
 * no database this switch changes, and `npm test` ran them already.
 */
function postgresTests(): string[] {
  const usesPostgres = /startSimulator|portalDialects|freshPortalDb|createPostgresDatabase|TEST_POSTGRES_URL/;
  return [
    ...testFilesMatching(["test/integration"], usesPostgres).filter((f) => !SQLITE_ONLY.includes(path.basename(f))),
    ...testFilesMatching(["test/unit", "lib"], /TEST_POSTGRES_URL/),
  ];
}

/** A complete build (what `npm test` leaves): Next writes BUILD_ID last. */
function haveBuild(): boolean {
  const dist = path.join(root, process.env.NEXT_DIST_DIR || ".next");
  return ["BUILD_ID", "prerender-manifest.json", "routes-manifest.json"].every((f) => fs.existsSync(path.join(dist, f)));
}

async function ensureBuild(env: NodeJS.ProcessEnv): Promise<number> {
  if (haveBuild()) return 0;
  console.log("No complete portal build: building once.");
  return command(bin("next"), ["build"], env);
}

function steps(adminUrl: string): Step[] {
  // TEST_DIALECTS: the portal's dual-dialect tests run their PostgreSQL half only; `npm test` ran the SQLite half.
  const base: NodeJS.ProcessEnv = { ...process.env, TEST_POSTGRES_URL: adminUrl, TEST_DIALECTS: "postgres" };
  // Never let a developer's own database settings leak into a suite.
  delete base.DATABASE_URL;
  delete base.SAFENET_DATABASE_URL;
  return [
    {
      name: "integration",
      // A minute per test rather than 20 s: here every simulator start also creates and migrates a
      // PostgreSQL database, and CI runs this beside the resilience proofs on two cores.
      run: () => command(bin("vitest"), ["run", "--testTimeout=60000", ...postgresTests()], base),
    },
    {
      name: "e2e",
      run: async (cluster) => {
        const built = await ensureBuild(base);
        if (built !== 0) return built;
        const env = {
          ...base,
          DATABASE_URL: await cluster.createDatabase("e2e_portal"),
          SAFENET_DATABASE_URL: await cluster.createDatabase("e2e_safenet"),
        };
        return command(bin("playwright"), ["test", "--project=chromium", ...E2E_SPECS.map((s) => `e2e/${s}`)], env);
      },
    },
    {
      name: "multi-instance",
      run: async () => {
        const built = await ensureBuild(base);
        if (built !== 0) return built;
        return command(bin("vitest"), ["run", "--config", "test/multi-instance/vitest.config.mts"], base);
      },
    },
  ];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const known = steps("").map((s) => s.name);
  const unknown = wanted.filter((w) => !known.includes(w));
  if (unknown.length) {
    console.error(`Unknown step ${unknown.join(", ")}: the steps are ${known.join(", ")}.`);
    return 2;
  }
  const timings: string[] = [];
  const started = performance.now();
  let cluster: Cluster;
  try {
    cluster = await startCluster({ log: console.log });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  }
  timings.push(`cluster start   ${seconds(performance.now() - started)}`);
  const failed: string[] = [];
  try {
    for (const step of steps(cluster.url("postgres"))) {
      if (wanted.length && !wanted.includes(step.name)) continue;
      if (interrupted) {
        failed.push(`${step.name} (not run: interrupted)`);
        continue;
      }
      const at = performance.now();
      const code = await step.run(cluster);
      timings.push(`${step.name.padEnd(15)} ${seconds(performance.now() - at)}${code === 0 ? "" : `  FAILED (exit ${code})`}`);
      if (code !== 0) failed.push(step.name);
    }
  } finally {
    const at = performance.now();
    await cluster.stop().catch((error: unknown) => console.error("Stopping the PostgreSQL cluster failed:", error));
    timings.push(`cluster stop    ${seconds(performance.now() - at)}`);
  }
  console.log(`\nPostgreSQL test run:\n  ${timings.join("\n  ")}\n  total           ${seconds(performance.now() - started)}`);
  if (failed.length) console.error(`Failed: ${failed.join(", ")}`);
  return failed.length ? 1 : 0;
}

// Ctrl-C or SIGTERM: the running step's children get their own signal; no further step starts,
// and main's finally stops the cluster.
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    interrupted = true;
    console.error(`${signal}: stopping after the current step.`);
    // A terminal's Ctrl-C reaches the whole process group already; a SIGTERM only this process.
    if (signal === "SIGTERM") current?.kill("SIGTERM");
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
