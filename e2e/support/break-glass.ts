import { spawnSync } from "node:child_process";
import path from "node:path";
import { AGENT_KEY, E2E_DIR, SAFENET_URL, TMS_KEY } from "./stack";

const ROOT = path.resolve(__dirname, "../..");

/** `npm run break-glass -- …` as the host's operator runs it, against the e2e stack's DATA_DIR. */
export function breakGlass(...args: string[]) {
  const env = {
    NODE_ENV: "production",
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: E2E_DIR,
    SAFENET_URL,
    SAFENET_TMS_API_KEY: TMS_KEY,
    SAFENET_AGENT_KEY: AGENT_KEY,
    NEXTAUTH_SECRET: "e2e-nextauth-secret-not-for-production",
  } as const;
  return spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, "scripts/break-glass.ts"), ...args], { cwd: ROOT, env, encoding: "utf8" });
}
