import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./e2e/support/browser";
import { E2E, RADIUS_SECRET, PORTAL_URL as portalUrl, SAFENET_URL as safenetUrl, TLS_CERT_DIR, TLS_PORTAL_URL as tlsPortalUrl } from "./e2e/support/stack";

const ci = Boolean(process.env.CI);

// Fixed keys: the e2e stack runs in its own DATA_DIR and ports, never with the developer's .env keys.
// E2E_SLOT shifts ports and data so that two checkouts' runs can share a machine.
const sharedEnv = {
  DATA_DIR: E2E.dataDir,
  SAFENET_PORT: String(E2E.safenetPort),
  SMTP_SINK_PORT: String(E2E.smtpPort),
  SAFENET_RADIUS_PORT: String(E2E.radiusPort),
  SAFENET_RADIUS_SECRET: RADIUS_SECRET,
  SAFENET_URL: safenetUrl,
  SMTP_URL: `smtp://127.0.0.1:${E2E.smtpPort}`,
  SAFENET_TMS_API_KEY: "e2e-tms-api-key-0123456789",
  SAFENET_AGENT_KEY: "e2e-agent-key-0123456789",
  SAFENET_MASTER_KEY: Buffer.alloc(32, 7).toString("base64"),
  NEXTAUTH_SECRET: "e2e-nextauth-secret-not-for-production",
  NEXTAUTH_URL: portalUrl,
  NEXT_TELEMETRY_DISABLED: "1",
  // Sessions look at SafeNet every 2 s here (30 s by default), so the specs that change a token
  // behind the portal's back see the session end without waiting half a minute.
  SESSION_RECHECK_SECONDS: "2",
  // On PostgreSQL when these name databases (`npm run test:postgres` makes fresh ones): the portal
  // reads DATABASE_URL, the simulator SAFENET_DATABASE_URL. Empty means SQLite in DATA_DIR, and an
  // empty value here also keeps a developer's .env from pointing the e2e stack at their database.
  DATABASE_URL: process.env.DATABASE_URL ?? "",
  SAFENET_DATABASE_URL: process.env.SAFENET_DATABASE_URL ?? "",
};

const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  },
};

// The specs the "chromium-tls" project runs again through the TLS terminator, plus its own. Tests
// tagged @http-only stay out of it: what they check (field refusals, resuming the wizard, delivery
// and mode settings) does not depend on the scheme, and the full enrollment through TLS runs anyway.
const tlsSpecs = ["sign-in.spec.ts", "enrollment.spec.ts", "my-token.spec.ts", "tls.spec.ts"];

export default defineConfig({
  testDir: "e2e",
  // Per slot: the shards of scripts/e2e.ts run at once, and each cleans its output directory at start.
  outputDir: E2E.slot ? `test-results/slot-${E2E.slot}` : "test-results",
  globalSetup: "./e2e/global-setup.ts",
  workers: 1,
  fullyParallel: false,
  // A minute per test in CI: the longest specs (a dozen saves and checks in a row) take 20 s on an idle
  // 2-core machine and came near the default 30 s beside the other suites.
  timeout: ci ? 60_000 : 30_000,
  retries: ci ? 1 : 0,
  forbidOnly: ci,
  reporter: "list",
  use: {
    baseURL: portalUrl,
    trace: "on-first-retry",
  },
  projects: [
    { name: "chromium", testIgnore: "tls.spec.ts", use: chromium },
    {
      // The portal behind a real TLS terminator (e2e/support/tls-proxy.ts) with an https NEXTAUTH_URL.
      name: "chromium-tls",
      testMatch: tlsSpecs,
      grepInvert: /@http-only/,
      use: { ...chromium, baseURL: tlsPortalUrl, ignoreHTTPSErrors: true },
    },
  ],
  webServer: [
    {
      // Wipe and migrate here, before anything opens data/e2e: the two servers start in parallel.
      command:
        `rm -rf ${E2E.dataDir} && mkdir -p -m 700 ${E2E.dataDir} && node_modules/.bin/tsx db/migrate.ts && node_modules/.bin/tsx mock-safenet/server.ts`,
      url: `${safenetUrl}/health`,
      env: sharedEnv,
      reuseExistingServer: !ci,
      timeout: 60_000,
    },
    {
      // Answers 503 on /api/health until the first command has migrated, so Playwright keeps waiting.
      // Our own server in front of Next: it stamps the socket peer for lib/auth/request-info.ts.
      command: `node_modules/.bin/tsx scripts/portal-server.ts -H 127.0.0.1 -p ${E2E.portalPort}`,
      url: `${portalUrl}/api/health`,
      env: { ...sharedEnv, PORT: String(E2E.portalPort) },
      reuseExistingServer: !ci,
      timeout: 60_000,
    },
    {
      // A second portal on the same data and simulator, for the TLS terminator below.
      command: `node_modules/.bin/tsx scripts/portal-server.ts -H 127.0.0.1 -p ${E2E.tlsPortalPort}`,
      url: `http://127.0.0.1:${E2E.tlsPortalPort}/api/health`,
      env: { ...sharedEnv, PORT: String(E2E.tlsPortalPort), NEXTAUTH_URL: tlsPortalUrl, TRUSTED_PROXIES: "127.0.0.1" },
      reuseExistingServer: !ci,
      timeout: 60_000,
    },
    {
      command: `node_modules/.bin/tsx e2e/support/tls-proxy.ts ${E2E.tlsPort} ${E2E.tlsPortalPort} ${TLS_CERT_DIR}`,
      url: `${tlsPortalUrl}/api/health`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: !ci,
      timeout: 30_000,
    },
  ],
});
