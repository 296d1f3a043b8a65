import { expect } from "vitest";
import { hotp, totp } from "../../lib/otp";
import { readPskc } from "../../lib/pskc";
import { REPO, type Simulator } from "./harness";

// Provisions a token through the TMS Web API and recovers its seed the way MobilePASS does:
// by decrypting the seed file with the activation key.

export interface Provisioned {
  serial: string;
  secret: Uint8Array;
  activationKey: string;
  seedXml: string;
  otpauthUri: string;
  downloadUrl: string;
  mode: "time" | "event";
}

export async function provision(sim: Simulator, user: string, mode: "time" | "event", pin?: string): Promise<Provisioned> {
  const res = await sim.tms(`${REPO}/users/${encodeURIComponent(user)}/tokens`, {
    method: "POST",
    json: { type: "MobilePASS", otpMode: mode, ...(pin !== undefined && { pin }) },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const body = await res.json();
  const seedXml = Buffer.from(body.activation.seedFile.base64, "base64").toString("utf8");
  const [key] = readPskc(seedXml, body.activation.activationKey);
  return {
    serial: body.token.serial,
    secret: key.secret,
    activationKey: body.activation.activationKey,
    seedXml,
    otpauthUri: body.activation.otpauthUri,
    downloadUrl: body.activation.downloadUrl,
    mode,
  };
}

/** The code a MobilePASS would show: at `offsetSteps` from now (time) or at `counter` (event). */
export function otpFor(t: Provisioned, at: { counter?: number; offsetSteps?: number } = {}): string {
  if (t.mode === "event") return hotp(t.secret, at.counter ?? 0);
  return totp(t.secret, Date.now() / 1000 + (at.offsetSteps ?? 0) * 30);
}

/**
 * Provisions and activates, so the token is Active and ready to validate. A time token is activated
 * with the previous step's code (inside the drift window), which leaves the current code unused.
 */
export async function activeToken(sim: Simulator, user: string, mode: "time" | "event", pin = "4089") {
  const t = await provision(sim, user, mode, pin);
  const res = await sim.tms(`/TMSWebAPI/v1/tokens/${t.serial}/activate`, {
    method: "POST",
    json: { passcode: pin + otpFor(t, { counter: 0, offsetSteps: -1 }) },
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return t;
}

export async function setPolicy(sim: Simulator, patch: Record<string, unknown>) {
  const res = await sim.tms("/TMSWebAPI/v1/policy", { method: "PUT", json: patch });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Waits until the next TOTP step starts when fewer than `margin` seconds remain in this one. */
export async function awayFromStepEdge(margin = 3) {
  const left = 30 - ((Date.now() / 1000) % 30);
  if (left < margin) await new Promise((r) => setTimeout(r, left * 1000 + 200));
}

let userCounter = 0;

/** A fresh directory user, so that each test owns its tokens and counters. */
export async function newUser(sim: Simulator, groups: string[] = []): Promise<string> {
  const sam = `t${process.pid}x${++userCounter}`;
  const upn = `${sam}@corp.local`;
  const res = await sim.tms(`${REPO}/users`, {
    method: "POST",
    json: { upn, displayName: `Test ${sam}`, email: upn, password: "Test!Passw0rd", groups },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return upn;
}

export async function tokenState(sim: Simulator, serial: string) {
  return (await (await sim.tms(`/TMSWebAPI/v1/tokens/${serial}`)).json()) as { state: string; failCount: number; lockedUntil: string | null };
}
