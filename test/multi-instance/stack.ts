import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { AGENT_KEY, freePort, ROOT, startSimulator, TMS_KEY, type Simulator } from "../integration/harness";
import { createPostgresDatabase } from "../integration/support/portal-db";
import { CookieJar } from "../resilience/support/portal-session";

// Two simulators on one PostgreSQL database and two portals on another, as two instances of each
// would run behind a load balancer: the same keys everywhere, each portal pointed at its own
// simulator (portal A → simulator A, portal B → simulator B). Needs TEST_POSTGRES_URL (an admin
// database on a running cluster; `npm run test:postgres` sets it) and, for the portals, the build.

const run = promisify(execFile);

/** Only under this folder's config and with a cluster: the default `vitest run` skips these files. */
export const ENABLED = !!process.env.TEST_POSTGRES_URL && process.env.MULTI_INSTANCE_SUITE === "1";
export const MASTER_KEY = Buffer.alloc(32, 11).toString("base64");
export const NEXTAUTH_SECRET = "multi-instance-nextauth-secret-0123456789";

export interface Database {
  url: string;
  drop: () => Promise<void>;
}

export const database = (prefix: string): Promise<Database> => createPostgresDatabase(prefix);

/** Two simulators started at the same moment on one database, with the same keys. */
export async function twoSimulators(db: Database, env: Record<string, string> = {}): Promise<[Simulator, Simulator]> {
  const shared = { SAFENET_DATABASE_URL: db.url, SAFENET_MASTER_KEY: MASTER_KEY, ...env };
  return both(startSimulator(shared), startSimulator(shared));
}

/** Two servers started at once; when one fails, the other is stopped and the failure thrown. */
async function both<T extends { stop: () => Promise<void> }>(first: Promise<T>, second: Promise<T>): Promise<[T, T]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === "rejected" || b.status === "rejected") {
    if (a.status === "fulfilled") await a.value.stop();
    if (b.status === "fulfilled") await b.value.stop();
    throw a.status === "rejected" ? a.reason : (b as PromiseRejectedResult).reason;
  }
  return [a.value, b.value];
}

export interface Portal {
  base: string;
  output: () => string;
  stop: () => Promise<void>;
}

function portalEnv(sim: Simulator, databaseUrl: string, dataDir: string, port: number): NodeJS.ProcessEnv {
  const base = `http://127.0.0.1:${port}`;
  return {
    NODE_ENV: "production",
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    SAFENET_URL: sim.base,
    SMTP_URL: `smtp://127.0.0.1:${sim.smtpPort}`,
    SAFENET_TMS_API_KEY: TMS_KEY,
    SAFENET_AGENT_KEY: AGENT_KEY,
    NEXTAUTH_SECRET,
    NEXTAUTH_URL: base,
    NEXT_TELEMETRY_DISABLED: "1",
    // Sessions look at SafeNet every 2 s, as in the e2e stack.
    SESSION_RECHECK_SECONDS: "2",
    // The tests name their client in X-Forwarded-For, so each starts with a fresh address throttle.
    TRUSTED_PROXIES: "127.0.0.1",
    ...(process.env.NEXT_DIST_DIR && { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR }),
  };
}

/** The portal as playwright.config.ts runs it: scripts/portal-server.ts on the existing build. */
async function startPortal(sim: Simulator, databaseUrl: string): Promise<Portal> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-multi-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = "";
  // node itself, not the tsx wrapper, so that SIGTERM reaches the server.
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/portal-server.ts", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: ROOT,
    env: portalEnv(sim, databaseUrl, dataDir, port),
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The portal exited:\n${output}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The portal did not answer /api/health within 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { base, output: () => output, stop };
}

/** Migrates the portal database once (as `npm start` does before the server), then starts both portals at once. */
export async function twoPortals(db: Database, simA: Simulator, simB: Simulator): Promise<[Portal, Portal]> {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!fs.existsSync(path.join(ROOT, distDir, "BUILD_ID"))) throw new Error(`No portal build in ${distDir}: run "npm run build" first.`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-migrate-"));
  try {
    await run(process.execPath, ["--import", "tsx", "db/migrate.ts"], { cwd: ROOT, env: portalEnv(simA, db.url, dir, 0) });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return both(startPortal(simA, db.url), startPortal(simB, db.url));
}

/** A client of the portals: a cookie jar and the address it claims through the trusted proxy. */
export class Client {
  readonly jar = new CookieJar();
  constructor(readonly address: string) {}

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), cookie: this.jar.header(), "x-forwarded-for": this.address },
    });
    this.jar.keep(res);
    return res;
  }

  /** A next-auth form post with a fresh CSRF token; resolves to the `url` next-auth answers (with `error=` when refused). */
  async authForm(base: string, provider: "credentials" | "otp", fields: Record<string, string>): Promise<string> {
    const { csrfToken } = (await (await this.fetch(`${base}/api/auth/csrf`)).json()) as { csrfToken: string };
    const res = await this.fetch(`${base}/api/auth/callback/${provider}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...fields, csrfToken, json: "true" }),
    });
    return ((await res.json().catch(() => ({}))) as { url?: string }).url ?? "";
  }

  async session(base: string): Promise<{ user?: { upn: string; mfa: string; isAdmin: boolean } }> {
    return (await (await this.fetch(`${base}/api/auth/session`)).json()) as { user?: { upn: string; mfa: string; isAdmin: boolean } };
  }

  /** Password, then PIN + OTP; throws unless the session has passed both. */
  async signIn(base: string, username: string, password: string, passcode: string): Promise<void> {
    const first = await this.authForm(base, "credentials", { username, password });
    if (first.includes("error")) throw new Error(`The password of ${username} was refused at ${base}: ${first}`);
    const second = await this.authForm(base, "otp", { passcode });
    if (second.includes("error")) throw new Error(`The OTP step of ${username} was refused at ${base}: ${second}`);
    const { user } = await this.session(base);
    if (user?.mfa !== "done") throw new Error(`${username} at ${base}: session ${JSON.stringify(user)}`);
  }
}

let addresses = 0;
/** A client address no other test used (TEST-NET-2), so the address throttle starts fresh. */
export const newClient = () => new Client(`198.51.100.${++addresses}`);
