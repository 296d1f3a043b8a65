import { expect, test, type Page } from "./support/fixtures";
import Database from "better-sqlite3";
import path from "node:path";
import { createUser, E2E_DIR, nextPasscode, tokenInState } from "./support/stack";
import { fillCredentials } from "./support/ui";
import { keepMfaSettings, savedMfaSettings } from "./support/mfa-settings";

// An attacker in an administrator's unattended session (or with a stolen session cookie) wants the
// portal to send SafeNet's keys to a server of theirs: saving another OTP Service or TMS URL needs
// a PIN + OTP from the last five minutes, checked by the OTP service saved now.

const PASSWORD = "StepUp!Passw0rd";
const ELSEWHERE = "http://127.0.0.1:9/TMSWebAPI/v1";

const db = () => new Database(path.join(E2E_DIR, "portal.sqlite"), { fileMustExist: true });
const savedTmsUrl = () => savedMfaSettings().tmsUrl;

async function saveTmsUrl(page: Page, url: string, passcode?: string) {
  await page.goto("/admin/mfa");
  await page.getByRole("tab", { name: "Authentication" }).click();
  await page.getByLabel("TMS Web API URL", { exact: true }).fill(url);
  if (passcode !== undefined) await page.getByLabel("Your PIN + one-time password").fill(passcode);
  await page.getByRole("button", { name: "Save" }).click();
}

keepMfaSettings(test);

test("a service URL changes only with a PIN + OTP from the last five minutes", async ({ page }) => {
  const upn = await createUser(`e2estepup${Date.now() % 1_000_000}`, ["RAS Admins"], PASSWORD);
  await tokenInState(upn, "Active");
  await fillCredentials(page, upn, PASSWORD);
  await page.getByLabel("Passcode (PIN + one-time password)").fill(nextPasscode(upn));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: /^Signed in as/ })).toBeVisible();

  // The sign-in was six minutes ago.
  const d = db();
  d.prepare("UPDATE portal_sessions SET step_up_at = ? WHERE upn = ? AND ended_at IS NULL").run(Date.now() - 6 * 60_000, upn);
  d.close();
  const before = savedTmsUrl();

  await saveTmsUrl(page, ELSEWHERE);
  const field = page.getByLabel("Your PIN + one-time password");
  await expect(field).toHaveAccessibleDescription(/needs your PIN and one-time password from the last five minutes/);
  expect(savedTmsUrl()).toBe(before);

  await saveTmsUrl(page, ELSEWHERE, "4089000000");
  await expect(field).toHaveAccessibleDescription(/SafeNet authentication failed\./);
  await expect(field).toHaveValue("");
  expect(savedTmsUrl()).toBe(before);

  // The passcode is right; nothing answers there, so the save also needs "Save anyway" (admin-mfa-save-check.spec.ts).
  await saveTmsUrl(page, ELSEWHERE, nextPasscode(upn));
  await expect(page.getByLabel("TMS Web API URL", { exact: true })).toHaveAccessibleDescription(/Not saved:/);
  expect(savedTmsUrl()).toBe(before);
  await page.getByRole("checkbox", { name: "Save anyway" }).check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved 1 setting." })).toBeVisible();
  expect(savedTmsUrl()).toBe(ELSEWHERE);

  // Within five minutes of that passcode, putting it back needs none.
  await saveTmsUrl(page, before);
  await expect(page.getByRole("status").filter({ hasText: "Saved 1 setting." })).toBeVisible();
  expect(savedTmsUrl()).toBe(before);
});
