import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { openPortalDb } from "../db/index";
import { migratePortal } from "../db/migrate";
import { encodeCursor } from "../lib/events/cursor";
import { sql } from "../lib/runtime/sql";
import { signInSession } from "../test/resilience/support/portal-session";
import { summariseProfile, type CpuProfile } from "./lib/admin-profile";
import { ADMIN, adminPasscodes, ROOT, rssBytes, seedDirectory, startPortal, startSimulator, tempDir, type Server } from "./lib/admin-stack";
import { percentile, roundRobin, tenth, utcMinute } from "./lib/admin-stats";
import { writeJsonResult, type BenchRow } from "./lib/result";
import { fillSyntheticEvents } from "./lib/synthetic-events";

// The admin console at the issue's scale, over HTTP: the real simulator with 100 000 directory
// users (npm run safenet:seed) and the portal's production build with 1 000 000 events in its
// timeline (bench/lib/synthetic-events.ts), signed in as the demo administrator with PIN + OTP.
// Each page's document is fetched as a browser would (GET, the session cookie, the whole body read:
// the full server render), the pages taking turns request after request; per run, p50 and p95 per
// page. Then each run exports every event as CSV over HTTP and samples the portal process's VmRSS
// every 50 ms. After the runs, the slowest page is fetched again under `node --cpu-prof` for the
// profile summary. Prints figures; never fails on time.
// Usage: npx tsx bench/admin-pages.ts [--runs 3] [--json FILE] [--quick] [--no-profile]

const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    json: { type: "string" },
    quick: { type: "boolean", default: false },
    users: { type: "string" },
    events: { type: "string" },
    requests: { type: "string" },
    "no-profile": { type: "boolean", default: false },
  },
});
const RUNS = Number(opts.runs);
const USERS = Number(opts.users ?? 100_000);
const EVENTS = Number(opts.events ?? (opts.quick ? 100_000 : 1_000_000));
const REQUESTS = Number(opts.requests ?? (opts.quick ? 10 : 30));
const WARMUP = 3;
const BUDGET_MS = 150;
const RSS_BUDGET_MIB = 100;
const DAY = 86_400_000;
const MIB = 2 ** 20;

interface Page {
  name: string;
  path: string;
  /** Text the answer must hold, so an error page or a sign-in redirect is never timed as the page. */
  expect: string;
  /** Fetched as a <Link> click does (`RSC: 1`: the React Server Components payload, no HTML), not as a document. */
  rsc?: boolean;
}

interface Setup {
  seconds: Record<string, number>;
  sim: Server & { smtpPort: number };
  portal: Server;
  portalDir: string;
  deepCursor: string;
  now: number;
}

const elapsed = (started: number) => (performance.now() - started) / 1000;

/** Fills the directory and the timeline, then starts both processes. Each phase is timed on its own. */
async function setUp(nodeArgs: string[] = []): Promise<Setup> {
  const seconds: Record<string, number> = {};
  const simDir = tempDir("bench-admin-sim-");
  seconds[`seed ${USERS} users`] = seedDirectory(simDir, USERS);
  let t = performance.now();
  const sim = await startSimulator(simDir);
  seconds["start the simulator"] = elapsed(t);

  t = performance.now();
  const portalDir = tempDir("bench-admin-portal-");
  const target = await migratePortal({ root: ROOT, dir: portalDir, url: undefined });
  const db = openPortalDb(target);
  const now = Date.now();
  // Simulator events come in with their own ids as remote_id: the synthetic ones stay far above.
  await fillSyntheticEvents(db, EVENTS, { now, remoteIdBase: 1_000_000_000, rebuildIndexes: true });
  await db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  // The deep page starts where a reader who paged through half the timeline would be.
  const deep = await db.get<{ at: number; id: number }>(sql`SELECT at, id FROM events ORDER BY at DESC, id DESC LIMIT 1 OFFSET ${Math.floor(EVENTS / 2)}`);
  await db.close();
  seconds[`insert ${EVENTS} events into the portal's SQLite`] = elapsed(t);

  t = performance.now();
  const portal = await startPortal({ safenetUrl: sim.base, smtpPort: sim.smtpPort, dataDir: portalDir, nodeArgs });
  seconds["start the portal"] = elapsed(t);
  return { seconds, sim, portal, portalDir, deepCursor: encodeCursor(deep!), now };
}

function pagesFor(s: Setup): Page[] {
  const deepUser = `user${String(Math.floor(USERS / 2)).padStart(6, "0")}@corp.local`;
  // 10 synthetic users start with this (user09999x when there are 100 000).
  const fewUsers = `user${String(Math.floor(USERS / 10) - 1).padStart(5, "0")}`;
  return [
    { name: "users: first page", path: "/admin/users", expect: "users on this page" },
    { name: `users: search “${fewUsers}”`, path: `/admin/users?search=${fewUsers}`, expect: `${fewUsers}0@corp.local` },
    { name: "users: deep page (cursor at the middle)", path: `/admin/users?cursor=${encodeURIComponent(deepUser)}`, expect: `after ${deepUser}` },
    { name: "users: deep page as a Next page click (RSC)", path: `/admin/users?cursor=${encodeURIComponent(deepUser)}`, expect: `after ${deepUser}`, rsc: true },
    { name: "events: first page (chart 24 h)", path: "/admin/events", expect: "Authentications over time" },
    { name: "events: validation failures", path: "/admin/events?kind=validation&result=failure", expect: "Authentications over time" },
    { name: "events: deep page (cursor at the middle)", path: `/admin/events?cursor=${s.deepCursor}`, expect: "Older events" },
    { name: "events: deep page as an Older events click (RSC)", path: `/admin/events?cursor=${s.deepCursor}`, expect: "Older events", rsc: true },
    { name: "events: chart 30 days", path: `/admin/events?from=${utcMinute(s.now - 30 * DAY)}`, expect: "Authentications over time" },
  ];
}

/** One document GET as the browser sends it; ms until the last byte of the body. */
async function timeGet(base: string, cookie: string, page: Page): Promise<number> {
  const started = performance.now();
  const headers: Record<string, string> = page.rsc ? { cookie, accept: "*/*", rsc: "1" } : { cookie, accept: "text/html" };
  const res = await fetch(base + page.path, { headers, redirect: "manual" });
  const body = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200 || !body.includes(page.expect)) {
    throw new Error(`${page.name}: HTTP ${res.status} ${res.headers.get("location") ?? ""}, ${body.includes(page.expect) ? "" : `no “${page.expect}” in the answer`}`);
  }
  return ms;
}

/**
 * Next answers an RSC request whose `_rsc` search param does not match the hash of its router
 * headers with a 307 to the URL that does; the browser's client computes that param itself, so
 * the benchmark asks once and then requests the URL the browser would.
 */
async function resolveRscPath(base: string, cookie: string, page: Page): Promise<Page> {
  if (!page.rsc) return page;
  const res = await fetch(base + page.path, { headers: { cookie, accept: "*/*", rsc: "1" }, redirect: "manual" });
  await res.arrayBuffer();
  const location = res.headers.get("location");
  if (res.status !== 307 || !location || !new URL(location, base).searchParams.has("_rsc")) return page;
  const url = new URL(location, base);
  return { ...page, path: url.pathname + url.search };
}

interface ExportFigures {
  rows: number;
  seconds: number;
  mib: number;
  idleRssMib: number;
  peakOverIdleMib: number;
}

/** GET /api/admin/events.csv, the whole body counted, while VmRSS of the portal process is sampled every 50 ms. */
async function timeExport(portal: Server, cookie: string): Promise<ExportFigures> {
  const idle = Math.min(...[0, 1, 2, 3, 4].map(() => rssBytes(portal.pid)));
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(portal.pid))), 50);
  const started = performance.now();
  try {
    const res = await fetch(`${portal.base}/api/admin/events.csv`, { headers: { cookie }, redirect: "manual" });
    if (res.status !== 200 || !res.body) throw new Error(`CSV export: HTTP ${res.status}`);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
    }
    const seconds = elapsed(started);
    peak = Math.max(peak, rssBytes(portal.pid));
    return { rows: lines - 1, seconds, mib: bytes / MIB, idleRssMib: idle / MIB, peakOverIdleMib: (peak - idle) / MIB };
  } finally {
    clearInterval(sampler);
  }
}

async function signInAdmin(s: Setup, next: () => string): Promise<string> {
  const jar = await signInSession(s.portal.base, ADMIN.upn, ADMIN.password, next, "done");
  return jar.header();
}

/** Restarts the portal under --cpu-prof on the same data, fetches `page` and summarises the samples of those requests alone. */
async function profilePage(s: Setup, page: Page, next: () => string): Promise<string> {
  const dir = tempDir("bench-admin-prof-");
  await s.portal.stop();
  const portal = await startPortal({ safenetUrl: s.sim.base, smtpPort: s.sim.smtpPort, dataDir: s.portalDir, nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`] });
  try {
    const cookie = (await signInSession(portal.base, ADMIN.upn, ADMIN.password, next, "done")).header();
    for (let i = 0; i < WARMUP; i++) await timeGet(portal.base, cookie, page);
    const times: number[] = [];
    const from = process.hrtime.bigint() / 1000n;
    for (let i = 0; i < REQUESTS; i++) times.push(await timeGet(portal.base, cookie, page));
    const to = process.hrtime.bigint() / 1000n;
    await portal.stop();
    const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) return "No CPU profile was written.";
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as CpuProfile;
    const head = `CPU profile of the portal process (\`node --cpu-prof\`) over ${REQUESTS} sequential GETs of **${page.name}** (\`${page.path.slice(0, 60)}\`), p50 ${tenth(percentile(times, 50))} ms under the profiler; samples of those requests only:`;
    return `${head}\n\n${summariseProfile(profile, { from: Number(from), to: Number(to) })}`;
  } finally {
    await portal.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What the 30-day chart asks of SQLite: the plan of one bucket's count and how many index entries the 31 buckets step through. */
async function chartFacts(s: Setup): Promise<string> {
  const db = openPortalDb({ dialect: "sqlite", file: path.join(s.portalDir, "portal.sqlite") }, { mustExist: true });
  try {
    const from = s.now - 30 * DAY;
    const count = sql`SELECT count(*) AS n FROM events WHERE kind = 'validation' AND result = 'success' AND at >= ${from} AND at < ${s.now}`;
    const plan = (await db.all<{ detail: string }>(sql`EXPLAIN QUERY PLAN ${count}`)).map((r) => r.detail).join("; ");
    const n = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM events WHERE kind = 'validation' AND result IN ('success', 'failure') AND at >= ${from}`);
    return [
      `The 30-day chart runs two counts per daily bucket (success, failure), each \`${plan}\`: together they step through ${n!.n} index entries on every view of the page, however narrow the list below it.`,
      "A `get` frame in a portal build chunk is lib/runtime/sql/sqlite.ts's `get`: better-sqlite3 runs the statement natively inside it, so its self time is SQLite's.",
    ].join(" ");
  } finally {
    await db.close();
  }
}

async function main() {
  const load0 = fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  const setupStarted = performance.now();
  const s = await setUp();
  let profile = "";
  try {
    const next = await adminPasscodes(s.sim.base);
    const cookie = await signInAdmin(s, next);
    const pages = await Promise.all(pagesFor(s).map((p) => resolveRscPath(s.portal.base, cookie, p)));
    const setupSeconds = elapsed(setupStarted);
    const setupNote = Object.entries(s.seconds).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(", ");
    console.log(`setup ${setupSeconds.toFixed(1)} s (${setupNote}); load average ${load0}`);

    for (const page of pages) for (let i = 0; i < WARMUP; i++) await timeGet(s.portal.base, cookie, page);
    const perRun = pages.map(() => ({ p50: [] as number[], p95: [] as number[] }));
    const exports: ExportFigures[] = [];
    for (let run = 0; run < RUNS; run++) {
      const times = pages.map(() => [] as number[]);
      for (const i of roundRobin(pages.map((_, k) => k), REQUESTS)) times[i].push(await timeGet(s.portal.base, cookie, pages[i]));
      times.forEach((t, i) => (perRun[i].p50.push(tenth(percentile(t, 50))), perRun[i].p95.push(tenth(percentile(t, 95)))));
      const e = await timeExport(s.portal, cookie);
      exports.push(e);
      console.log(`run ${run + 1}: ${pages.map((p, i) => `${p.name} p50 ${perRun[i].p50[run]} / p95 ${perRun[i].p95[run]} ms`).join("; ")}`);
      console.log(`  CSV export ${e.rows} rows, ${e.mib.toFixed(0)} MiB in ${e.seconds.toFixed(1)} s; RSS idle ${e.idleRssMib.toFixed(0)} MiB, peak +${e.peakOverIdleMib.toFixed(0)} MiB`);
    }
    const load1 = fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
    const note = `${USERS} users, ${EVENTS} events; ${REQUESTS} GETs per page per run, pages in turn; load ${load0} → ${load1}`;
    const rows: BenchRow[] = pages.flatMap((p, i) => [
      { group: "Admin pages", name: `${p.name} p50`, unit: "ms", values: perRun[i].p50, note },
      { group: "Admin pages", name: `${p.name} p95`, unit: "ms", values: perRun[i].p95, budget: { op: "<=" as const, value: BUDGET_MS }, note },
    ]);
    const exportNote = `GET /api/admin/events.csv, ${exports[0].rows} rows; idle RSS ${exports.map((e) => e.idleRssMib.toFixed(0)).join(", ")} MiB`;
    rows.push(
      { group: "Admin pages", name: "CSV export of every event (rows/s)", unit: "rows/s", values: exports.map((e) => Math.round(e.rows / e.seconds)), note: exportNote },
      { group: "Admin pages", name: "CSV export: portal peak RSS over idle", unit: "MiB", values: exports.map((e) => tenth(e.peakOverIdleMib)), budget: { op: "<=", value: RSS_BUDGET_MIB }, note: "VmRSS of the server process every 50 ms" },
    );

    const slowest = pages.reduce((a, _, i) => (median(perRun[i].p95) > median(perRun[a].p95) ? i : a), 0);
    if (!opts["no-profile"]) profile = await profilePage(s, pages[slowest], next);
    if (pages[slowest].path.includes("from=")) profile += `\n\n${await chartFacts(s)}`;
    const setupLine = `Setup (once, not a figure): ${setupSeconds.toFixed(1)} s — ${setupNote}; sign-in of ${ADMIN.upn} with PIN + OTP included.`;
    writeJsonResult(opts.json, {
      bench: "bench/admin-pages.ts",
      command: `npx tsx bench/admin-pages.ts --runs ${RUNS}${opts.quick ? " --quick" : ""}`,
      rows,
      profile: `${setupLine}\n\n${profile}`.trim(),
    });
    console.log(`\n${setupLine}\n\n${profile}`);
  } finally {
    await s.portal.stop();
    await s.sim.stop();
    fs.rmSync(s.portalDir, { recursive: true, force: true });
    fs.rmSync(s.sim.dataDir, { recursive: true, force: true });
  }
}

const median = (v: number[]) => percentile(v, 50);

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
