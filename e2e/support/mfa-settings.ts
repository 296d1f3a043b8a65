import Database from "better-sqlite3";
import path from "node:path";
import type { test as base } from "@playwright/test";
import { defaultMfaSettings, type MfaSettings } from "../../lib/mfa/settings";
import { E2E_DIR, SAFENET_URL } from "./stack";

/** Whatever a spec does to the saved MFA settings, the other specs get them back afterwards. */
export function keepMfaSettings(test: Pick<typeof base, "beforeAll" | "afterAll">): void {
  const db = () => new Database(path.join(E2E_DIR, "portal.sqlite"), { fileMustExist: true });
  let savedRow: string | undefined;
  test.beforeAll(() => {
    const d = db();
    savedRow = (d.prepare("SELECT value FROM settings WHERE key = 'mfa'").get() as { value: string } | undefined)?.value;
    d.close();
  });
  test.afterAll(() => {
    const d = db();
    if (savedRow) d.prepare("UPDATE settings SET value = ? WHERE key = 'mfa'").run(savedRow);
    else d.prepare("DELETE FROM settings WHERE key = 'mfa'").run();
    d.close();
  });
}

/** The MFA settings as saved now (the installation's defaults when none are). */
export function savedMfaSettings(): MfaSettings {
  const d = new Database(path.join(E2E_DIR, "portal.sqlite"), { readonly: true, fileMustExist: true });
  const row = d.prepare("SELECT value FROM settings WHERE key = 'mfa'").get() as { value: string } | undefined;
  d.close();
  return row ? (JSON.parse(row.value) as MfaSettings) : defaultMfaSettings(SAFENET_URL);
}
