import { expect, test, type Page } from "./support/fixtures";
import Database from "better-sqlite3";
import path from "node:path";
import { defaultMfaSettings } from "../lib/mfa/settings";
import { breakGlass } from "./support/break-glass";
import { activeEventToken, ADMIN, ADMIN_STATE, createUser, E2E_DIR, SAFENET_URL } from "./support/stack";
import { fillCredentials } from "./support/ui";
import { keepMfaSettings, savedMfaSettings } from "./support/mfa-settings";

// Saving a service URL that does not answer would lock everyone out: the save runs the connection
// check first and refuses, unless the administrator confirms "Save anyway" for that very URL. When
// it happens anyway, the refused sign-ins are in Events and the operator's reset-safenet repairs it.

test.use({ storageState: ADMIN_STATE });

const DEFAULTS = defaultMfaSettings(SAFENET_URL);
const DEAD_OTP = "http://127.0.0.1:9/TokenValidator/TokenValidator.asmx";
const DEAD_TMS = "http://127.0.0.1:9/TMSWebAPI/v1";

const db = () => new Database(path.join(E2E_DIR, "portal.sqlite"), { fileMustExist: true });
const saved = savedMfaSettings;
const lastEvent = (type: string, since: number) => {
  const d = db();
  const row = d.prepare("SELECT user, reason, detail FROM events WHERE type = ? AND at >= ? ORDER BY id DESC LIMIT 1").get(type, since) as
    | { user: string; reason: string | null; detail: string | null }
    | undefined;
  d.close();
  return row && { ...row, detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null };
};

keepMfaSettings(test);
// The administrator confirmed with PIN + OTP a moment ago (step-up is attacker-step-up.spec.ts's subject).
test.beforeEach(() => {
  const d = db();
  d.prepare("UPDATE portal_sessions SET step_up_at = ? WHERE upn = ? AND ended_at IS NULL").run(Date.now(), ADMIN.upn);
  d.close();
});

const otpField = (page: Page) => page.getByLabel("OTP Service URL", { exact: true });
const saveAnyway = (page: Page) => page.getByRole("checkbox", { name: "Save anyway" });
const save = (page: Page) => page.getByRole("button", { name: "Save" }).click();

test("an OTP Service URL that does not answer is saved only with Save anyway, for that URL", async ({ page }) => {
  const started = Date.now();
  await page.goto("/admin/mfa");
  await expect(saveAnyway(page)).toHaveCount(0);
  await otpField(page).fill(DEAD_OTP);
  await save(page);
  await expect(otpField(page)).toHaveAccessibleDescription(/Not saved: Nothing accepts connections at 127\.0\.0\.1:9 \(connection refused\)/);
  await expect(page.getByRole("status").filter({ hasText: "did not answer as SafeNet, so nothing was saved" })).toBeVisible();
  expect(saved().otpServiceUrl).toBe(DEFAULTS.otpServiceUrl);

  // The confirmation belongs to the URL that failed: another URL hides it.
  await expect(saveAnyway(page)).toBeVisible();
  await otpField(page).fill("http://127.0.0.1:8/TokenValidator/TokenValidator.asmx");
  await expect(saveAnyway(page)).toHaveCount(0);
  await otpField(page).fill(DEAD_OTP);

  // A confirmation forged for another URL does not count either (an input React does not manage).
  await page.locator("form").evaluate((form) => {
    const forged = Object.assign(document.createElement("input"), { type: "hidden", name: "saveAnyway-otpServiceUrl", id: "forged" });
    forged.value = "http://127.0.0.1:8/TokenValidator/TokenValidator.asmx";
    form.append(forged);
  });
  await Promise.all([page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/admin/mfa")), save(page)]);
  await expect(otpField(page)).toHaveAccessibleDescription(/Not saved:/);
  expect(saved().otpServiceUrl).toBe(DEFAULTS.otpServiceUrl);
  await page.locator("#forged").evaluate((el) => el.remove());

  await saveAnyway(page).check();
  await save(page);
  await expect(page.getByRole("status").filter({ hasText: "Saved 1 setting. A URL that did not answer was saved anyway" })).toBeVisible();
  expect(saved().otpServiceUrl).toBe(DEAD_OTP);
  expect(lastEvent("settings.mfa", started)?.detail).toMatchObject({ urlCheck: { otpServiceUrl: "saved_anyway" } });

  // Putting the working URL back passes its check.
  await otpField(page).fill(DEFAULTS.otpServiceUrl);
  await save(page);
  await expect(page.getByRole("status").filter({ hasText: "Saved 1 setting." })).toBeVisible();
  expect(lastEvent("settings.mfa", started)?.detail).toMatchObject({ urlCheck: { otpServiceUrl: "checked" } });
});

test("a TMS URL that answers as something else is refused next to its field", async ({ page }) => {
  await page.goto("/admin/mfa");
  await page.getByRole("tab", { name: "Authentication" }).click();
  const field = page.getByLabel("TMS Web API URL", { exact: true });
  await field.fill(`${SAFENET_URL}/TMSWebAPI/v2`);
  await save(page);
  await expect(field).toHaveAccessibleDescription(/Not saved: The address answered HTTP 404 Not Found/);
  await expect(saveAnyway(page)).toBeVisible();
  expect(saved().tmsUrl).toBe(DEFAULTS.tmsUrl);
});

test("sign-ins SafeNet does not answer are in Events, and reset-safenet brings the defaults back", async ({ page, browser }) => {
  const started = Date.now();
  const upn = await createUser(`e2eoutage${Date.now() % 1_000_000}`, [], "Outage!Passw0rd");
  await activeEventToken(upn);

  // The OTP service is gone: the OTP step is refused and recorded.
  const d = db();
  const broken = { ...saved(), otpServiceUrl: DEAD_OTP };
  d.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('mfa', ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
    .run(JSON.stringify(broken), Date.now());
  d.close();
  const user = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const userPage = await user.newPage();
  await fillCredentials(userPage, upn, "Outage!Passw0rd");
  await userPage.getByLabel("Passcode (PIN + one-time password)").fill("4089123456");
  await userPage.getByRole("button", { name: "Continue" }).click();
  await expect(userPage.locator("#passcode-error")).not.toBeEmpty();
  await expect.poll(() => lastEvent("sign-in.otp", started)).toMatchObject({ user: upn, reason: "safenet_unavailable" });

  // The TMS is gone too: the password step is refused and recorded.
  const d2 = db();
  d2.prepare("UPDATE settings SET value = ? WHERE key = 'mfa'").run(JSON.stringify({ ...broken, tmsUrl: DEAD_TMS }));
  d2.close();
  await user.clearCookies();
  await fillCredentials(userPage, upn, "Outage!Passw0rd");
  await expect(userPage.locator("#login-error")).not.toBeEmpty();
  await expect.poll(() => lastEvent("sign-in.password", started)).toMatchObject({ user: upn, reason: "safenet_unavailable" });
  const detail = lastEvent("sign-in.password", started)?.detail;
  expect(typeof detail?.code).toBe("string");
  expect(JSON.stringify(detail)).not.toContain("Outage!Passw0rd");
  await user.close();

  // The operator's way back.
  const run = breakGlass("reset-safenet");
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  expect(saved()).toMatchObject({ provider: "safenet", otpServiceUrl: DEFAULTS.otpServiceUrl, tmsUrl: DEFAULTS.tmsUrl });
  await page.goto("/admin/mfa");
  await expect(otpField(page)).toHaveValue(DEFAULTS.otpServiceUrl);
});
