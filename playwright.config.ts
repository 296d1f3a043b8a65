import { defineConfig, devices } from "@playwright/test";

const ci = Boolean(process.env.CI);
const safenetUrl = "http://127.0.0.1:4110";
const portalUrl = "http://127.0.0.1:3100";

// Fixed keys: the e2e stack runs in its own DATA_DIR and ports, never with the developer's .env keys.
const sharedEnv = {
  DATA_DIR: "data/e2e",
  SAFENET_PORT: "4110",
  SMTP_SINK_PORT: "2625",
  SAFENET_URL: safenetUrl,
  SMTP_URL: "smtp://127.0.0.1:2625",
  SAFENET_TMS_API_KEY: "e2e-tms-api-key-0123456789",
  SAFENET_AGENT_KEY: "e2e-agent-key-0123456789",
  SAFENET_MASTER_KEY: Buffer.alloc(32, 7).toString("base64"),
  NEXTAUTH_SECRET: "e2e-nextauth-secret-not-for-production",
  NEXTAUTH_URL: portalUrl,
  NEXT_TELEMETRY_DISABLED: "1",
};

export default defineConfig({
  testDir: "e2e",
  workers: 1,
  fullyParallel: false,
  retries: ci ? 1 : 0,
  forbidOnly: ci,
  reporter: "list",
  use: {
    baseURL: portalUrl,
    trace: "on-first-retry",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
      },
    },
  ],
  webServer: [
    {
      // Wipe and migrate here, before anything opens data/e2e: the two servers start in parallel.
      command:
        "rm -rf data/e2e && mkdir -p data/e2e && node_modules/.bin/tsx db/migrate.ts && node_modules/.bin/tsx mock-safenet/server.ts",
      url: `${safenetUrl}/health`,
      env: sharedEnv,
      reuseExistingServer: !ci,
      timeout: 60_000,
    },
    {
      // Answers 503 on /api/health until the first command has migrated, so Playwright keeps waiting.
      command: "node_modules/.bin/next start -H 127.0.0.1 -p 3100",
      url: `${portalUrl}/api/health`,
      env: { ...sharedEnv, PORT: "3100" },
      reuseExistingServer: !ci,
      timeout: 60_000,
    },
  ],
});
