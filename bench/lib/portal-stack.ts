import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { hotp } from "../../lib/otp";
import { readPskc } from "../../lib/pskc";
import { REPO, ROOT, startSimulator, type Simulator } from "../../test/integration/harness";
import { startPortal, type Portal, type PortalOptions } from "../../test/resilience/support/portal";
import { ASSETS_READY } from "../../scripts/static-assets";

// The portal as users meet it, for the browser benchmarks: the real simulator (with its mail sink)
// and the production build of the portal behind scripts/portal-server.ts, each on free ports with a
// temp DATA_DIR (the integration harness and the resilience suite's portal, reused as they are),
// plus the TMS calls a benchmark needs to arrange users and tokens.

export const BENCH_PIN = "4089";
export const BENCH_PASSWORD = "Bench!Passw0rd";

/** The build the portal serves: NEXT_DIST_DIR (as the e2e slots use) or .next. */
export const distDir = () => process.env.NEXT_DIST_DIR || ".next";

/** Builds the portal when this checkout has no production build yet (a fresh clone), and says so. */
export function ensureBuild(): void {
  if (fs.existsSync(path.join(ROOT, distDir(), "BUILD_ID"))) return;
  console.error(`No portal build in ${distDir()}: running next build first (a few minutes)…`);
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_SKIP_TYPECHECK: "1", NEXT_TELEMETRY_DISABLED: "1" },
  });
}

/** An event token whose codes the benchmark computes, as MobilePASS would. */
export interface EventToken {
  upn: string;
  serial: string;
  secret: Uint8Array;
  counter: number;
}

export interface PortalStack {
  sim: Simulator;
  portal: Portal;
  /** The portal's origin, http://127.0.0.1:port. */
  base: string;
  createUser: (sam: string) => Promise<string>;
  activeEventToken: (upn: string) => Promise<EventToken>;
  stop: () => Promise<void>;
}

async function json<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Waits until the portal server has compressed the build's JS and CSS, so every run sees the same bytes. */
async function assetsReady(portal: Portal, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!portal.output().includes(ASSETS_READY)) {
    if (Date.now() > deadline) throw new Error(`The portal did not print "${ASSETS_READY}" within ${timeoutMs / 1000} s:\n${portal.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function startPortalStack(options: PortalOptions = {}): Promise<PortalStack> {
  ensureBuild();
  const sim = await startSimulator();
  let portal: Portal;
  try {
    portal = await startPortal(sim.base, sim.smtpPort, options);
  } catch (error) {
    await sim.stop();
    throw error;
  }
  await assetsReady(portal);
  const createUser = async (sam: string) => {
    const upn = `${sam}@corp.local`;
    await json(await sim.tms(`${REPO}/users`, { method: "POST", json: { upn, displayName: `Bench ${sam}`, email: upn, password: BENCH_PASSWORD, groups: [] } }), `create ${upn}`);
    return upn;
  };
  const activeEventToken = async (upn: string): Promise<EventToken> => {
    const answer = await json<{ token: { serial: string }; activation: { activationKey: string; seedFile: { base64: string } } }>(
      await sim.tms(`${REPO}/users/${encodeURIComponent(upn)}/tokens`, { method: "POST", json: { type: "MobilePASS", otpMode: "event", pin: BENCH_PIN } }),
      `token for ${upn}`,
    );
    const [key] = await readPskc(Buffer.from(answer.activation.seedFile.base64, "base64").toString(), answer.activation.activationKey);
    const passcode = BENCH_PIN + hotp(key.secret, 0);
    await json(await sim.tms(`/TMSWebAPI/v1/tokens/${answer.token.serial}/activate`, { method: "POST", json: { passcode } }), `activate ${answer.token.serial}`);
    return { upn, serial: answer.token.serial, secret: key.secret, counter: 1 };
  };
  return {
    sim,
    portal,
    base: portal.base,
    createUser,
    activeEventToken,
    stop: async () => {
      await portal.stop();
      await sim.stop();
    },
  };
}

/** The token's next PIN + OTP, advancing its counter. */
export function nextPasscode(token: EventToken): string {
  return BENCH_PIN + hotp(token.secret, token.counter++);
}
