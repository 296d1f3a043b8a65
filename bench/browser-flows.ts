import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page, type Request } from "@playwright/test";
import { breakDown, type Breakdown, type TimedRequest } from "./lib/flow-breakdown";
import { summarizeCpuProfile } from "./lib/profile-summary";
import { BENCH_PASSWORD, BENCH_PIN, nextPasscode, startPortalStack, type EventToken, type PortalStack } from "./lib/portal-stack";
import { median, quantile, round } from "./lib/quantile";
import { writeJsonResult, type BenchRow } from "./lib/result";

// The portal's three waits a person sits through, in Chromium against the production build:
//   password step  — "Sign in" submitted → /login/otp (or New Account Info) ready
//   OTP step       — PIN + OTP submitted → the home page ready
//   provisioning   — "Issue my token" submitted in New Account Info → the activation details shown
// "Ready" = the next page's URL reached AND its main heading rendered and visible AND, after a full
// page load, the document's load event fired (every script of the page ran). The clock starts at the
// form's submit event in the page and stops at the first check (every 5 ms, in the page) that finds
// the page ready; both are read from the page's own clock. Each run = WARMUP + K iterations in a fresh
// browser context each (the login page's chunks are fetched on the way in, the next page's are not
// cached: a person's first sign-in in this browser). Beside the flows, the directory's own password
// check (scrypt) is timed over HTTP to the simulator with the same user, so that the password step's
// budget applies to what the portal adds.
//
//   npx tsx bench/browser-flows.ts [--runs 3] [--iterations 10] [--json FILE] [--quick] [--no-profile | --profile password|provisioning] [--profile-only]

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const quick = args.includes("--quick");
const RUNS = Number(flag("--runs") ?? (quick ? 1 : 3));
const ITERATIONS = Number(flag("--iterations") ?? (quick ? 3 : 10));
const WARMUP = quick ? 1 : 2;
const PROFILE_ITERATIONS = quick ? 3 : 8;
const JSON_FILE = flag("--json");
const PROFILE = !args.includes("--no-profile");
/** `--profile provisioning` profiles that flow instead of the slowest one. */
const PROFILE_FLOW = flag("--profile");

const READY_POLL_MS = 5;
const FLOW_TIMEOUT_MS = 30_000;

type FlowName = "password step → OTP page" | "OTP step → home" | "password step → New Account Info" | "provisioning → activation details";

/** A flow's window on the page's clock, broken down once its requests have all been reported. */
type Windows = [FlowName, { from: number; to: number; total: number }][];

/**
 * Playwright reports a finished request a little after the page has used its answer: a server
 * action's response ends as the page renders it. So the breakdown waits until the page's network
 * is idle (after the timed window, which it does not change) before it reads the requests.
 */
async function breakDownAll(page: Page, requests: Issued[], windows: Windows, sample: Sample) {
  await page.waitForLoadState("networkidle").catch(() => undefined);
  for (const [flow, { from, to, total }] of windows) {
    const finished = requests.slice(from, to).flatMap((r) => (r.timed ? [r.timed] : []));
    sample.flows[flow] = breakDown(finished, total);
  }
}

/** A request in the order the page issued it; `timed` once it has finished. */
interface Issued {
  timed?: TimedRequest;
}

/**
 * Runs `step` (a click that submits) and times it until ready, noting which requests it issued. It
 * starts once the page's own requests (link prefetches, the CSRF token) are done, as a person who
 * types for a few seconds would find it, so that the breakdown holds only the step's requests.
 */
async function timedStep(page: Page, requests: Issued[], step: () => Promise<void>, ready: () => Promise<[number, number]>) {
  await page.waitForLoadState("networkidle").catch(() => undefined);
  const from = requests.length;
  await step();
  const [submitAt, readyAt] = await ready();
  return { from, to: requests.length, total: readyAt - submitAt };
}

/** One iteration's measurements: each flow's total and breakdown, and the directory's own password check. */
interface Sample {
  flows: Partial<Record<FlowName, Breakdown>>;
  hashMs: number;
}

const launchBrowser = () => chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });

/** Records the submit time in the page (sessionStorage survives the full page load that follows). */
const SUBMIT_CLOCK = () => {
  document.addEventListener("submit", () => sessionStorage.setItem("bench:submitAt", String(performance.timeOrigin + performance.now())), true);
};

async function newContext(browser: Browser, requests: Issued[]): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addInitScript(SUBMIT_CLOCK);
  const issued = new Map<Request, Issued>();
  context.on("request", (request: Request) => {
    const entry: Issued = {};
    issued.set(request, entry);
    requests.push(entry);
  });
  context.on("requestfinished", (request: Request) => {
    const entry = issued.get(request);
    if (!entry) return;
    const timing = request.timing();
    const headers = request.headers();
    const url = new URL(request.url());
    entry.timed = {
      method: request.method(),
      path: url.pathname + url.search,
      type: request.resourceType(),
      rsc: headers.rsc !== undefined || url.searchParams.has("_rsc"),
      action: headers["next-action"] !== undefined,
      start: timing.startTime,
      end: timing.startTime + Math.max(timing.responseEnd, 0),
    };
  });
  return context;
}

/** Waits until the page is ready (see the header) and returns [submitAt, readyAt] from the page's clock. */
async function readyTimes(page: Page, url: RegExp, heading: string, fullLoad: boolean): Promise<[number, number]> {
  if (fullLoad) await page.waitForURL((u) => url.test(u.pathname + u.search), { waitUntil: "commit", timeout: FLOW_TIMEOUT_MS });
  const handle = await page.waitForFunction(
    ({ source, heading, fullLoad }) => {
      if (!new RegExp(source).test(location.pathname + location.search)) return false;
      if (fullLoad && document.readyState !== "complete") return false;
      const shown = [...document.querySelectorAll("h1, h2")].some((h) => h.textContent?.includes(heading) && (h as HTMLElement).checkVisibility());
      if (!shown) return false;
      return [Number(sessionStorage.getItem("bench:submitAt")), performance.timeOrigin + performance.now()];
    },
    { source: url.source, heading, fullLoad },
    { polling: READY_POLL_MS, timeout: FLOW_TIMEOUT_MS },
  );
  return (await handle.jsonValue()) as [number, number];
}

async function openLogin(page: Page, base: string) {
  await page.goto(`${base}/login`, { waitUntil: "load" });
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
}

async function submitPassword(page: Page, username: string) {
  await page.getByLabel("User name").fill(username);
  await page.getByLabel("Password").fill(BENCH_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A fresh context on the sign-in page; `steps` times its windows, which are then broken down by request. */
async function fromSignInPage(browser: Browser, stack: PortalStack, sample: Sample, steps: (page: Page, requests: Issued[], windows: Windows) => Promise<void>) {
  const requests: Issued[] = [];
  const context = await newContext(browser, requests);
  try {
    const page = await context.newPage();
    await openLogin(page, stack.base);
    const windows: Windows = [];
    await steps(page, requests, windows);
    await breakDownAll(page, requests, windows, sample);
  } finally {
    await context.close();
  }
}

/** Password step then OTP step for a user with an Active token. */
async function signInWithOtp(browser: Browser, stack: PortalStack, token: EventToken, sample: Sample) {
  await fromSignInPage(browser, stack, sample, async (page, requests, windows) => {
    const password = await timedStep(page, requests, () => submitPassword(page, token.upn), () => readyTimes(page, /^\/login\/otp(\?|$)/, "PIN and one-time password", true));
    windows.push(["password step → OTP page", password]);
    await page.getByLabel("Passcode (PIN + one-time password)").fill(nextPasscode(token));
    const otp = await timedStep(page, requests, () => page.getByRole("button", { name: "Continue" }).click(), () => readyTimes(page, /^\/$/, "Signed in as", false));
    windows.push(["OTP step → home", otp]);
  });
}

/** Password step of a new user (to New Account Info), then the token's provisioning. */
async function enroll(browser: Browser, stack: PortalStack, upn: string, sample: Sample) {
  await fromSignInPage(browser, stack, sample, async (page, requests, windows) => {
    const password = await timedStep(page, requests, () => submitPassword(page, upn), () => readyTimes(page, /^\/enroll$/, "New Account Info", true));
    windows.push(["password step → New Account Info", password]);
    await page.getByLabel("OTP PIN", { exact: true }).fill(BENCH_PIN);
    await page.getByLabel("OTP PIN again").fill(BENCH_PIN);
    const issue = await timedStep(page, requests, () => page.getByRole("button", { name: "Issue my token" }).click(), () => readyTimes(page, /^\/enroll$/, "Step 2 of 3: Activate your token", false));
    windows.push(["provisioning → activation details", issue]);
  });
}

/** The simulator's own password check (scrypt) for `upn`, over HTTP as the portal asks it. */
async function directoryAuthenticate(stack: PortalStack, upn: string): Promise<number> {
  const started = performance.now();
  const res = await stack.sim.tms("/TMSWebAPI/v1/repositories/corp.local/authenticate", { method: "POST", json: { username: upn, password: BENCH_PASSWORD } });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`The directory refused ${upn}: ${res.status}`);
  return performance.now() - started;
}

let userCount = 0;
const freshUser = (stack: PortalStack, what: string) => stack.createUser(`bench${what}${process.pid}x${userCount++}`);

async function iteration(browser: Browser, stack: PortalStack, token: EventToken): Promise<Sample> {
  const sample: Sample = { flows: {}, hashMs: 0 };
  sample.hashMs = await directoryAuthenticate(stack, token.upn);
  await signInWithOtp(browser, stack, token, sample);
  await enroll(browser, stack, await freshUser(stack, "enroll"), sample);
  return sample;
}

const FLOW_BUDGETS: Record<FlowName, number | undefined> = {
  "password step → OTP page": undefined, // budgeted after the hash cost is taken off, below
  "OTP step → home": 250,
  "password step → New Account Info": undefined,
  "provisioning → activation details": 500,
};

/** The table rows: per flow p50 and p95, the hash cost, the password step without it, and the breakdown. */
export function rowsFromRuns(runs: Sample[][], loadAverages: string[]): BenchRow[] {
  const note = `ready = URL + heading visible (+ load event after a full page load); load average per run ${loadAverages.join(", ")}`;
  const flows = Object.keys(FLOW_BUDGETS) as FlowName[];
  const totals = (flow: FlowName) => runs.map((run) => run.map((s) => s.flows[flow]?.total ?? NaN).filter(Number.isFinite));
  const rows: BenchRow[] = [];
  for (const flow of flows) {
    const budget = FLOW_BUDGETS[flow];
    rows.push({ group: "Browser flows", name: `${flow} p50`, unit: "ms", values: totals(flow).map((v) => round(median(v))), ...(budget && { budget: { op: "<=", value: budget } }), note });
    rows.push({ group: "Browser flows", name: `${flow} p95`, unit: "ms", values: totals(flow).map((v) => round(quantile(v, 0.95))) });
  }
  const hash = runs.map((run) => median(run.map((s) => s.hashMs)));
  rows.push({ group: "Browser flows", name: "directory password check (scrypt, HTTP to the simulator) p50", unit: "ms", values: hash.map((v) => round(v)) });
  rows.push({
    group: "Browser flows",
    name: "password step → OTP page p50 minus the directory's password check",
    unit: "ms",
    values: totals("password step → OTP page").map((v, i) => round(median(v) - hash[i])),
    budget: { op: "<=", value: 300 },
  });
  for (const flow of flows) {
    const kinds = new Set(runs.flat().flatMap((s) => Object.keys(s.flows[flow]?.spans ?? {})));
    const part = (name: string, pick: (b: Breakdown) => number | undefined) => {
      const values = runs.map((run) => run.map((s) => (s.flows[flow] ? pick(s.flows[flow]) : undefined)).filter((v): v is number => v !== undefined));
      if (values.every((v) => v.length)) rows.push({ group: "Browser flows — where the time goes (p50)", name: `${flow}: ${name}`, unit: "ms", values: values.map((v) => round(median(v))) });
    };
    for (const kind of [...kinds].sort()) part(kind, (b) => b.spans[kind]);
    part("some request in flight", (b) => b.network);
    part("no request in flight (browser work, waiting)", (b) => b.browser);
  }
  return rows;
}

async function measureRuns(stack: PortalStack): Promise<{ runs: Sample[][]; loads: string[] }> {
  const browser = await launchBrowser();
  const runs: Sample[][] = [];
  const loads: string[] = [];
  try {
    const member = await stack.activeEventToken(await freshUser(stack, "member"));
    for (let run = 0; run < RUNS; run++) {
      for (let i = 0; i < WARMUP; i++) await iteration(browser, stack, member);
      const samples: Sample[] = [];
      for (let i = 0; i < ITERATIONS; i++) samples.push(await iteration(browser, stack, member));
      runs.push(samples);
      loads.push(os.loadavg()[0].toFixed(1));
      const p50 = (flow: FlowName) => round(median(samples.map((s) => s.flows[flow]?.total ?? NaN)), 0);
      console.error(
        `run ${run + 1}/${RUNS}: password ${p50("password step → OTP page")} ms, OTP ${p50("OTP step → home")} ms, provisioning ${p50("provisioning → activation details")} ms, hash ${round(median(samples.map((s) => s.hashMs)), 0)} ms (load ${loads.at(-1)})`,
      );
    }
  } finally {
    await browser.close();
  }
  return { runs, loads };
}

/** A CPU profile of a second portal process while `flow` runs a few times, summarised as markdown. */
async function profileFlow(flow: FlowName): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-cpu-prof-"));
  const stack = await startPortalStack({ nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`] });
  const browser = await launchBrowser();
  let windowStart = 0n;
  let windowEnd = 0n;
  try {
    const member = await stack.activeEventToken(await freshUser(stack, "profile"));
    await iteration(browser, stack, member); // warm the portal up outside the profiled window
    windowStart = process.hrtime.bigint();
    for (let i = 0; i < PROFILE_ITERATIONS; i++) {
      if (flow.startsWith("provisioning") || flow.endsWith("New Account Info")) await enroll(browser, stack, await freshUser(stack, "profile"), { flows: {}, hashMs: 0 });
      else await signInWithOtp(browser, stack, member, { flows: {}, hashMs: 0 });
    }
    windowEnd = process.hrtime.bigint();
  } finally {
    await browser.close();
    await stack.stop(); // SIGTERM: the portal exits normally and node writes the profile
  }
  const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) return `No CPU profile was written for ${flow}.`;
  const profile = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
  fs.rmSync(dir, { recursive: true, force: true });
  const heading = `CPU profile of the portal server (node --cpu-prof) over ${PROFILE_ITERATIONS} × the flow "${flow}" (the password and OTP steps, or sign-in and provisioning), warm process; top functions by self time:`;
  return `${heading}\n\n${summarizeCpuProfile(profile, { fromMicros: Number(windowStart / 1000n), toMicros: Number(windowEnd / 1000n), top: 15, root: path.resolve(__dirname, "..") })}`;
}

async function main() {
  const started = Date.now();
  if (args.includes("--profile-only")) {
    console.log(await profileFlow(PROFILE_FLOW === "provisioning" ? "provisioning → activation details" : "password step → OTP page"));
    return;
  }
  const stack = await startPortalStack();
  let result: { runs: Sample[][]; loads: string[] };
  try {
    result = await measureRuns(stack);
  } finally {
    await stack.stop();
  }
  const rows = rowsFromRuns(result.runs, result.loads);
  const flows = (Object.keys(FLOW_BUDGETS) as FlowName[]).filter((f) => !f.endsWith("New Account Info"));
  const slowest = flows.reduce((a, b) => (median(result.runs.map((r) => median(r.map((s) => s.flows[a]?.total ?? 0)))) >= median(result.runs.map((r) => median(r.map((s) => s.flows[b]?.total ?? 0)))) ? a : b));
  const chosen = PROFILE_FLOW === "provisioning" ? "provisioning → activation details" : PROFILE_FLOW === "password" ? "password step → OTP page" : slowest;
  const profile = PROFILE ? await profileFlow(chosen) : undefined;
  const command = `npx tsx bench/browser-flows.ts --runs ${RUNS} --iterations ${ITERATIONS}${quick ? " --quick" : ""}`;
  writeJsonResult(JSON_FILE, { bench: "bench/browser-flows.ts", command, rows, ...(profile && { profile }) });
  for (const row of rows) console.log(`${row.group} | ${row.name} | ${row.values.join(", ")} ${row.unit}${row.budget ? ` (budget ${row.budget.op} ${row.budget.value})` : ""}`);
  if (profile) console.log(`\n${profile}`);
  console.error(`done in ${round((Date.now() - started) / 1000, 0)} s`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
