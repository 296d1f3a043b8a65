import { expect, test } from "./support/fixtures";
import Database from "better-sqlite3";
import path from "node:path";
import { ADMIN_STATE, E2E_DIR, tms } from "./support/stack";
import { expectNoSeriousViolations } from "./support/a11y";
import { DEFAULT_POLICY } from "../lib/safenet/contract";

test.use({ storageState: ADMIN_STATE });

// Other specs share the stack, so every test leaves the policy at the contract's defaults.

test.beforeEach(async () => {
  await tms("/policy", { method: "PUT", json: DEFAULT_POLICY });
});

test.afterAll(async () => {
  await tms("/policy", { method: "PUT", json: DEFAULT_POLICY });
});

test("an edited value is saved to SafeNet, shown after a reload, and recorded", async ({ page }) => {
  await page.goto("/admin/policy");
  // Minutes in the form, seconds on the wire.
  const duration = page.getByLabel("Lock duration (minutes)");
  await expect(duration).toHaveValue("10");
  await duration.fill("15");
  await page.getByLabel("Time step", { exact: true }).selectOption("60");
  await page.getByRole("button", { name: "Save policy" }).click();

  await expect(page.getByRole("status")).toHaveText(
    "Policy saved. Changed: lock duration (minutes), time step. It applies from the next sign-in.",
  );
  expect(await tms("/policy")).toMatchObject({ lockDurationSeconds: 900, timeStepSeconds: 60, lockThreshold: 3 });

  const db = new Database(path.join(E2E_DIR, "portal.sqlite"), { readonly: true, fileMustExist: true });
  const event = db.prepare("SELECT actor, result, detail FROM events WHERE type = 'settings.policy' ORDER BY id DESC LIMIT 1").get() as {
    actor: string;
    result: string;
    detail: string;
  };
  db.close();
  expect({ ...event, detail: JSON.parse(event.detail) }).toEqual({
    actor: "bob@corp.local",
    result: "success",
    detail: { before: { lockDurationSeconds: 600, timeStepSeconds: 30 }, after: { lockDurationSeconds: 900, timeStepSeconds: 60 } },
  });

  await page.reload();
  await expect(page.getByLabel("Lock duration (minutes)")).toHaveValue("15");
  await expect(page.getByLabel("Time step", { exact: true })).toHaveValue("60");

  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByRole("status")).toHaveText("Nothing to save: the policy already has these values.");
});

test("values outside SafeNet's limits are refused next to their fields and the input is kept", async ({ page }) => {
  await page.goto("/admin/policy");
  const threshold = page.getByLabel("Failures before a token locks");
  await threshold.fill("101");
  await page.getByLabel("Shortest PIN (digits)").fill("6");
  await page.getByLabel("Longest PIN (digits)").fill("5");
  await page.getByRole("button", { name: "Save policy" }).click();

  await expect(page.getByRole("status")).toHaveText("Some fields need attention: see the messages next to them.");
  await expect(threshold).toHaveAccessibleDescription(/Enter a whole number from 0 to 100 \(0 never locks\)\.$/);
  await expect(threshold).toHaveAttribute("aria-invalid", "true");
  await expect(threshold).toBeFocused();
  await expect(threshold).toHaveValue("101");
  await expect(page.getByLabel("Shortest PIN (digits)")).toHaveValue("6");
  await expect(page.getByLabel("PIN mode")).toHaveValue("server");
  expect(await tms("/policy")).toMatchObject({ lockThreshold: 3, pinMinLength: 4 });

  await threshold.fill("5");
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByLabel("Shortest PIN (digits)")).toHaveAccessibleDescription(
    /The shortest PIN must not be longer than the longest PIN \(5\)\.$/,
  );
  await expect(threshold).toHaveAttribute("aria-invalid", "false");

  await page.getByLabel("Outer window (codes or steps)").fill("10");
  await page.getByLabel("Shortest PIN (digits)").fill("4");
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByLabel("Outer window (codes or steps)")).toHaveAccessibleDescription(
    /The outer window must be greater than the look-ahead window \(10\)\.$/,
  );
  expect(await tms("/policy")).toEqual(DEFAULT_POLICY);
});

test("the policy page has no serious accessibility violations", async ({ page }) => {
  await page.goto("/admin/policy");
  await page.getByLabel("Failures before a token locks").fill("-1");
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByLabel("Failures before a token locks")).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousViolations(page);
});

test("a lock duration in minutes may be a fraction and is refused outside SafeNet's limits", async ({ page }) => {
  await page.goto("/admin/policy");
  const duration = page.getByLabel("Lock duration (minutes)");
  await duration.fill("43201");
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(duration).toHaveAccessibleDescription(/Enter a number of minutes from 0\.02 to 43200, such as 10 or 0\.5\./);
  await expect(duration).toHaveValue("43201");
  expect(await tms("/policy")).toMatchObject({ lockDurationSeconds: 600 });

  await duration.fill("0.5");
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByRole("status")).toContainText("Policy saved.");
  expect(await tms("/policy")).toMatchObject({ lockDurationSeconds: 30 });
  await page.reload();
  await expect(page.getByLabel("Lock duration (minutes)")).toHaveValue("0.5");
});
