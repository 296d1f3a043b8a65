import os from "node:os";
import zlib from "node:zlib";
import { chromium, type Browser, type BrowserContext, type Response } from "@playwright/test";
import { nextPasscode, startPortalStack, type EventToken, type PortalStack } from "./lib/portal-stack";
import { round } from "./lib/quantile";
import { writeJsonResult, type BenchRow } from "./lib/result";
import { weightTable, type LoadedFile } from "./lib/weight";

// What each page of the portal costs a browser on its first load: the JS and CSS as transferred
// (compressed bytes, as the portal server sends them), in a fresh Chromium context per page (empty
// cache), after the page's network went idle (so chunks loaded after hydration count too). Beside
// each figure: the same files uncompressed and gzipped here, so a server that stops compressing shows.
// Budget (issue 14): ≤ 150 kB of compressed JS per page. The figures do not vary from run to run;
// each run still gives its own value.
//
//   npx tsx bench/page-weight.ts [--runs 3] [--json FILE] [--quick]

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const RUNS = Number(flag("--runs") ?? (args.includes("--quick") ? 1 : 3));
const JSON_FILE = flag("--json");
const JS_BUDGET_KB = 150;

type Who = "nobody" | "pending" | "enrollee" | "member" | "admin";

/** The pages and who opens them: a session in the state the page needs. */
const PAGES: { name: string; path: string; who: Who }[] = [
  { name: "sign-in", path: "/login", who: "nobody" },
  { name: "OTP step", path: "/login/otp", who: "pending" },
  { name: "New Account Info (enroll)", path: "/enroll", who: "enrollee" },
  { name: "demo mailbox", path: "/mailbox", who: "enrollee" },
  { name: "home", path: "/", who: "member" },
  { name: "my token", path: "/token", who: "member" },
  { name: "connection test", path: "/connect", who: "member" },
  { name: "MobilePASS", path: "/mobilepass", who: "member" },
  { name: "administrators only", path: "/denied", who: "member" },
  { name: "admin overview", path: "/admin", who: "admin" },
  { name: "admin users", path: "/admin/users", who: "admin" },
  { name: "admin user detail", path: "/admin/users/alice%40corp.local", who: "admin" },
  { name: "admin events", path: "/admin/events", who: "admin" },
  { name: "admin MFA", path: "/admin/mfa", who: "admin" },
  { name: "admin exclusions", path: "/admin/exclusions", who: "admin" },
  { name: "admin invitations", path: "/admin/invitations", who: "admin" },
  { name: "admin policy", path: "/admin/policy", who: "admin" },
  { name: "admin repositories", path: "/admin/repositories", who: "admin" },
  { name: "admin auth nodes", path: "/admin/auth-nodes", who: "admin" },
];

interface Accounts {
  pending: { upn: string; password: string };
  enrollee: { upn: string; password: string };
  member: { token: EventToken; password: string };
  admin: { token: EventToken; password: string };
}

/** Signs the context in over HTTP (the cookies land in the context, the HTTP cache stays empty). */
async function signIn(context: BrowserContext, base: string, upn: string, password: string, token?: EventToken): Promise<void> {
  const csrf = async () => ((await (await context.request.get(`${base}/api/auth/csrf`)).json()) as { csrfToken: string }).csrfToken;
  const first = await context.request.post(`${base}/api/auth/callback/credentials`, { form: { csrfToken: await csrf(), username: upn, password, json: "true" } });
  if (!first.ok()) throw new Error(`Sign-in of ${upn} failed: ${first.status()}`);
  if (!token) return;
  const second = await context.request.post(`${base}/api/auth/callback/otp`, { form: { csrfToken: await csrf(), passcode: nextPasscode(token), json: "true" } });
  const body = (await second.json()) as { url?: string };
  if (!second.ok() || body.url?.includes("error")) throw new Error(`OTP step of ${upn} failed: ${JSON.stringify(body)}`);
}

async function asWho(context: BrowserContext, stack: PortalStack, who: Who, accounts: Accounts) {
  if (who === "pending") await signIn(context, stack.base, accounts.pending.upn, accounts.pending.password);
  if (who === "enrollee") await signIn(context, stack.base, accounts.enrollee.upn, accounts.enrollee.password);
  if (who === "member") await signIn(context, stack.base, accounts.member.token.upn, accounts.member.password, accounts.member.token);
  if (who === "admin") await signIn(context, stack.base, accounts.admin.token.upn, accounts.admin.password, accounts.admin.token);
}

async function describe(response: Response): Promise<LoadedFile | null> {
  const type = response.request().resourceType();
  if (type !== "script" && type !== "stylesheet") return null;
  const body = await response.body().catch(() => null);
  if (!body) return null;
  const sizes = await response.request().sizes();
  return {
    url: new URL(response.url()).pathname,
    kind: type === "script" ? "js" : "css",
    transferred: sizes.responseBodySize,
    encoding: response.headers()["content-encoding"] ?? "none",
    raw: body.length,
    gzip: zlib.gzipSync(body).length,
  };
}

/** The JS and CSS files one fresh context loads for `path`, once the network is idle. */
async function loadPage(browser: Browser, stack: PortalStack, path: string, who: Who, accounts: Accounts): Promise<LoadedFile[]> {
  const context = await browser.newContext();
  try {
    await asWho(context, stack, who, accounts);
    const page = await context.newPage();
    const pending: Promise<LoadedFile | null>[] = [];
    page.on("response", (r) => void pending.push(describe(r)));
    const response = await page.goto(`${stack.base}${path}`, { waitUntil: "networkidle" });
    const landed = new URL(page.url()).pathname;
    if (!response?.ok() || landed !== new URL(`${stack.base}${path}`).pathname) {
      throw new Error(`${path} as ${who} ended at ${landed} (${response?.status()}): the page was not measured.`);
    }
    return (await Promise.all(pending)).filter((f): f is LoadedFile => f !== null);
  } finally {
    await context.close();
  }
}

async function arrange(stack: PortalStack): Promise<Accounts> {
  const password = "Bench!Passw0rd";
  const pendingUpn = await stack.createUser(`weightpending${process.pid}`);
  await stack.activeEventToken(pendingUpn);
  const member = await stack.activeEventToken(await stack.createUser(`weightmember${process.pid}`));
  return {
    pending: { upn: pendingUpn, password },
    enrollee: { upn: await stack.createUser(`weightenrollee${process.pid}`), password },
    member: { token: member, password },
    admin: { token: await stack.activeEventToken("bob@corp.local"), password: "Bob!2026" },
  };
}

async function main() {
  const stack = await startPortalStack();
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  const perRun: Map<string, LoadedFile[]>[] = [];
  const loads: string[] = [];
  try {
    const accounts = await arrange(stack);
    for (let run = 0; run < RUNS; run++) {
      const files = new Map<string, LoadedFile[]>();
      for (const page of PAGES) files.set(page.name, await loadPage(browser, stack, page.path, page.who, accounts));
      perRun.push(files);
      loads.push(os.loadavg()[0].toFixed(1));
      console.error(`run ${run + 1}/${RUNS} done (load ${loads.at(-1)})`);
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
  const kB = (bytes: number) => round(bytes / 1000, 1);
  const sum = (files: LoadedFile[], kind: "js" | "css", size: keyof Pick<LoadedFile, "transferred" | "raw" | "gzip">) =>
    files.filter((f) => f.kind === kind).reduce((n, f) => n + f[size], 0);
  const rows: BenchRow[] = [];
  for (const page of PAGES) {
    const runs = perRun.map((m) => m.get(page.name)!);
    const first = runs[0];
    const encodings = [...new Set(first.filter((f) => f.kind === "js").map((f) => f.encoding))].join("/");
    rows.push({
      group: "Page weight",
      name: `${page.name} (${page.path}) JS transferred`,
      unit: "kB",
      values: runs.map((files) => kB(sum(files, "js", "transferred"))),
      budget: { op: "<=", value: JS_BUDGET_KB },
      note: `${first.filter((f) => f.kind === "js").length} files, content-encoding ${encodings || "none"}; ${kB(sum(first, "js", "raw"))} kB uncompressed, ${kB(sum(first, "js", "gzip"))} kB gzipped here`,
    });
    rows.push({ group: "Page weight", name: `${page.name} (${page.path}) CSS transferred`, unit: "kB", values: runs.map((files) => kB(sum(files, "css", "transferred"))) });
  }
  const profile = weightTable(perRun[0]);
  writeJsonResult(JSON_FILE, { bench: "bench/page-weight.ts", command: `npx tsx bench/page-weight.ts --runs ${RUNS}`, rows, profile });
  for (const row of rows) console.log(`${row.name} | ${row.values.join(", ")} ${row.unit}${row.note ? ` | ${row.note}` : ""}`);
  console.log(`\n${profile}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
