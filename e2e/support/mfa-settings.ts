import type { test as base } from "@playwright/test";
import { defaultMfaSettings, type MfaSettings } from "../../lib/mfa/settings";
import { portalSql, SAFENET_URL } from "./stack";

// SQLite or PostgreSQL, whichever the e2e portal runs on (see portalSql in stack.ts).
const savedRow = () => portalSql<{ value: string }>("SELECT value FROM settings WHERE key = 'mfa'")[0]?.value;

/** Whatever a spec does to the saved MFA settings, the other specs get them back afterwards. */
export function keepMfaSettings(test: Pick<typeof base, "beforeAll" | "afterAll">): void {
  let saved: string | undefined;
  test.beforeAll(() => {
    saved = savedRow();
  });
  test.afterAll(() => {
    if (saved) portalSql("UPDATE settings SET value = ? WHERE key = 'mfa'", [saved]);
    else portalSql("DELETE FROM settings WHERE key = 'mfa'");
  });
}

/** The MFA settings as saved now (the installation's defaults when none are). */
export function savedMfaSettings(): MfaSettings {
  const row = savedRow();
  return row ? (JSON.parse(row) as MfaSettings) : defaultMfaSettings(SAFENET_URL);
}
