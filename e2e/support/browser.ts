import fs from "node:fs";

// The Chromium the tests drive. Playwright cannot download its browsers here, so it is Debian's:
// `chromium-headless-shell` when installed (Chromium's own headless build, the one Playwright uses
// by default for headless runs: the same Blink, without the desktop browser's UI process around
// it), else the full `chromium` in its headless mode. The e2e suite in two shards (scripts/e2e.ts) took
// 6.8 min with the full browser and 4.0–4.2 min with the shell on the 2-core machine.
// E2E_CHROMIUM picks another binary, e.g. /usr/bin/chromium to watch a run with --headed.

const HEADLESS_SHELL = "/usr/bin/chromium-headless-shell";
const FULL = "/usr/bin/chromium";

export const CHROMIUM_PATH = process.env.E2E_CHROMIUM || (fs.existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : FULL);

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
