import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { AGENT_KEY, ROOT, TMS_KEY } from "../../integration/harness";

// A real portal (scripts/portal-server.ts on the build, as playwright.config.ts runs it) on its own DATA_DIR, and a
// TCP stand-in for SafeNet in front of the real simulator that can go down, hang or answer late.

import { freePort } from "../../integration/harness";

export { freePort };

export type Mode = "up" | "refuse" | "hang" | "slow";

/** Forwards to `target` while "up"; "refuse" resets each connection, "hang" never answers, "slow" forwards after 10 s. */
export async function standIn(target: string) {
  const t = new URL(target);
  let mode: Mode = "up";
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    if (mode === "refuse") return client.resetAndDestroy();
    if (mode === "hang") return; // accepted, read, never answered
    const connect = () => {
      if (client.destroyed) return;
      const upstream = net.connect(Number(t.port), t.hostname);
      upstream.on("error", () => client.destroy());
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
    };
    if (mode === "slow") setTimeout(connect, 10_000);
    else connect();
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${port}`,
    set(next: Mode) {
      mode = next;
      for (const s of sockets) s.destroy();
    },
    close: () => new Promise<void>((r) => (server.close(() => r()), [...sockets].forEach((s) => s.destroy()))),
  };
}

export interface Portal {
  base: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** The portal's NEXTAUTH_SECRET here: no answer may carry it. */
export const PORTAL_NEXTAUTH_SECRET = "resilience-nextauth-secret-0123456789";

/** `env` adds to (or overrides) the portal's environment; `nodeArgs` go to node before the script (e.g. --cpu-prof). */
export interface PortalOptions {
  env?: NodeJS.ProcessEnv;
  nodeArgs?: string[];
}

export async function startPortal(safenetUrl: string, smtpPort: number, options: PortalOptions = {}): Promise<Portal> {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!fs.existsSync(path.join(ROOT, distDir, "BUILD_ID"))) throw new Error(`No portal build in ${distDir}: run "npm run build" first.`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-resilience-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "production",
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    E2E_SLOT: "5",
    DATA_DIR: dataDir,
    PORT: String(port),
    SAFENET_URL: safenetUrl,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    SAFENET_TMS_API_KEY: TMS_KEY,
    SAFENET_AGENT_KEY: AGENT_KEY,
    NEXTAUTH_SECRET: PORTAL_NEXTAUTH_SECRET,
    NEXTAUTH_URL: base,
    NEXT_TELEMETRY_DISABLED: "1",
    ...(process.env.NEXT_DIST_DIR && { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR }),
    ...options.env,
  };
  execFileSync(process.execPath, ["--import", "tsx", "db/migrate.ts"], { cwd: ROOT, env });
  let output = "";
  // The portal's own server in front of Next, as npm start and the e2e stack run it (node, not the tsx wrapper, so a SIGKILL reaches it).
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", "scripts/portal-server.ts", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The portal exited:\n${output}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`The portal did not answer /api/health within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    dataDir,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in over HTTP as e2e/global-setup.ts does: CSRF token, then the credentials callback. Returns the cookie header. */
export async function signIn(base: string, username: string, password: string): Promise<{ cookie: string; status: number; ms: number; url?: string }> {
  const started = performance.now();
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  keep(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, username, password, json: "true" }),
    redirect: "manual",
  });
  keep(res);
  const body = (await res.json().catch(() => ({}))) as { url?: string };
  return { cookie: cookie(), status: res.status, ms: performance.now() - started, url: body.url };
}
