import { expect, test, type Page } from "./support/fixtures";
import Database from "better-sqlite3";
import path from "node:path";
import { defaultMfaSettings, type MfaSettings } from "../lib/mfa/settings";
import { ADMIN, ADMIN_STATE, E2E_DIR, SAFENET_URL } from "./support/stack";
import { expectNoSeriousViolations } from "./support/a11y";

// RAS Console › Connection › Multi-factor authentication. Other specs share the stack's settings,
// so whatever this spec saves it puts back at the end.

test.use({ storageState: ADMIN_STATE });

const ORIGINAL = defaultMfaSettings(SAFENET_URL);
const OTP_URL = ORIGINAL.otpServiceUrl;
const TMS_URL = ORIGINAL.tmsUrl;

const tab = (page: Page, name: "Connection" | "Authentication") => page.getByRole("tab", { name });
const panel = (page: Page, name: "Connection" | "Authentication") => page.getByRole("tabpanel", { name });
const mode = (page: Page, name: string) => page.getByRole("radio", { name, exact: true });

async function open(page: Page) {
  await page.goto("/admin/mfa");
  await expect(page.getByRole("heading", { level: 1, name: "Multi-factor authentication" })).toBeVisible();
}

async function simulatorVersion(page: Page) {
  return ((await (await page.request.get(`${SAFENET_URL}/health`)).json()) as { version: string }).version;
}

async function saveSettings(page: Page, s: MfaSettings) {
  await open(page);
  await page.getByRole("radio", { name: s.provider === "none" ? "None" : "SafeNet", exact: true }).check();
  await page.getByLabel("OTP Service URL", { exact: true }).fill(s.otpServiceUrl);
  await tab(page, "Authentication").click();
  await mode(page, "Create token for Domain Authenticated Users").check();
  await page.getByLabel("Token type", { exact: true }).selectOption(s.tokenType);
  await page.locator(`input[name=mode][value=${s.mode}]`).check();
  await page.getByLabel("TMS Web API URL", { exact: true }).fill(s.tmsUrl);
  await page.getByLabel("User Repository", { exact: true }).selectOption(s.userRepository);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Saved|Nothing to save/ })).toBeVisible();
}

test.afterAll(async ({ browser }) => {
  const page = await browser.newPage({ storageState: ADMIN_STATE });
  await saveSettings(page, ORIGINAL);
  await page.close();
});

test("the page shows the current settings", async ({ page }) => {
  await open(page);
  await expect(page.getByRole("radio", { name: "SafeNet", exact: true })).toBeChecked();
  await expect(tab(page, "Connection")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByLabel("OTP Service URL", { exact: true })).toHaveValue(OTP_URL);
  await tab(page, "Authentication").click();
  await expect(mode(page, "Create token for Domain Authenticated Users")).toBeChecked();
  await expect(page.getByLabel("Token type", { exact: true })).toBeEnabled();
  await expect(page.getByLabel("Token type", { exact: true })).toHaveValue("time");
  await expect(page.getByLabel("TMS Web API URL", { exact: true })).toHaveValue(TMS_URL);
  await expect(page.getByLabel("User Repository", { exact: true })).toHaveValue("corp.local");
  // The list comes from the TMS: the option carries the directory's kind.
  await expect(page.getByLabel("User Repository", { exact: true }).locator("option:checked")).toContainText("ActiveDirectory");
});

test("Check connection reports the working OTP service and says what failed for broken URLs", async ({ page }) => {
  const version = await simulatorVersion(page);
  await open(page);
  const status = panel(page, "Connection").getByRole("status");
  const check = page.getByRole("button", { name: "Check connection" });

  await check.click();
  await expect(status).toHaveText(new RegExp(`^Connected to TokenValidator version ${version.replace(/\./g, "\\.")}: it answered in \\d+ ms\\.$`));

  await page.getByLabel("OTP Service URL", { exact: true }).fill("http://127.0.0.1:9/TokenValidator/TokenValidator.asmx");
  await expect(status).toBeEmpty();
  await check.click();
  await expect(status).toContainText("Check failed: Nothing accepts connections at 127.0.0.1:9 (connection refused)");

  await page.getByLabel("OTP Service URL", { exact: true }).fill("not a url");
  await check.click();
  await expect(status).toContainText("“not a url” is not a web address");

  await page.getByLabel("OTP Service URL", { exact: true }).fill(`${SAFENET_URL}/health`);
  await check.click();
  await expect(status).toContainText("not as the SafeNet OTP Service (it says it is “safenet-simulator”)");
});

test("the TMS check proves the URL and key, and names a wrong path's HTTP status", async ({ page }) => {
  const version = await simulatorVersion(page);
  await open(page);
  await tab(page, "Authentication").click();
  const status = panel(page, "Authentication").getByRole("status");
  const check = page.getByRole("button", { name: "Check TMS Web API URL" });

  await check.click();
  await expect(status).toContainText(`Connected to TMSWebAPI version ${version}`);
  await expect(status).toContainText(/answered in \d+ ms/);

  await page.getByLabel("TMS Web API URL", { exact: true }).fill(`${SAFENET_URL}/TMSWebAPI/v2`);
  await check.click();
  await expect(status).toContainText("answered HTTP 404 Not Found");
  await expect(status).toContainText("usually ends in /TMSWebAPI/v1");
});

test("the tabs follow the arrow keys, Home and End", async ({ page }) => {
  await open(page);
  await page.getByRole("radio", { name: "SafeNet", exact: true }).focus();
  await page.keyboard.press("Tab");
  await expect(tab(page, "Connection")).toBeFocused();

  await page.keyboard.press("ArrowRight");
  await expect(tab(page, "Authentication")).toBeFocused();
  await expect(tab(page, "Authentication")).toHaveAttribute("aria-selected", "true");
  await expect(tab(page, "Connection")).toHaveAttribute("aria-selected", "false");
  await expect(panel(page, "Authentication")).toBeVisible();
  await expect(panel(page, "Connection")).toBeHidden();

  await page.keyboard.press("ArrowLeft");
  await expect(tab(page, "Connection")).toBeFocused();
  await expect(tab(page, "Connection")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByLabel("OTP Service URL", { exact: true })).toBeVisible();

  await page.keyboard.press("End");
  await expect(tab(page, "Authentication")).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(tab(page, "Connection")).toBeFocused();
  await page.keyboard.press("Home");
  await expect(tab(page, "Connection")).toHaveAttribute("aria-selected", "true");

  // Tab leaves the tab list for the panel's first field.
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("OTP Service URL", { exact: true })).toBeFocused();
});

test("only Create token for Domain Authenticated Users enables the token type", async ({ page }) => {
  await open(page);
  await tab(page, "Authentication").click();
  const tokenType = page.getByLabel("Token type", { exact: true });
  await mode(page, "Mandatory for all users").check();
  await expect(tokenType).toBeDisabled();
  await mode(page, "Use only for users with a SafeNet account").check();
  await expect(tokenType).toBeDisabled();
  await mode(page, "Create token for Domain Authenticated Users").check();
  await expect(tokenType).toBeEnabled();
  await tokenType.selectOption({ label: "MobilePASS, event-based" });
  await expect(tokenType).toHaveValue("event");
});

test("an invalid URL is reported next to its field and the rest of the input stays", async ({ page }) => {
  await open(page);
  await page.getByLabel("OTP Service URL", { exact: true }).fill("otp.example.com/validate");
  await tab(page, "Authentication").click();
  await mode(page, "Use only for users with a SafeNet account").check();
  await page.getByLabel("TMS Web API URL", { exact: true }).fill("tms");
  await page.getByRole("button", { name: "Save" }).click();

  await expect(page.getByRole("status").filter({ hasText: "Some fields need attention" })).toBeVisible();
  // The first field in error is on the Connection tab: the page goes there and focuses it.
  await expect(tab(page, "Connection")).toHaveAttribute("aria-selected", "true");
  const otp = page.getByLabel("OTP Service URL", { exact: true });
  await expect(otp).toBeFocused();
  await expect(otp).toHaveValue("otp.example.com/validate");
  await expect(otp).toHaveAccessibleDescription(/Enter the OTP Service URL as a full http:\/\/ or https:\/\/ address\./);

  await tab(page, "Authentication").click();
  await expect(page.getByLabel("TMS Web API URL", { exact: true })).toHaveValue("tms");
  await expect(page.getByLabel("TMS Web API URL", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#tmsUrl-error")).toHaveText("Enter the TMS Web API URL as a full http:// or https:// address.");
  await expect(mode(page, "Use only for users with a SafeNet account")).toBeChecked();

  // Nothing was saved.
  await open(page);
  await expect(page.getByLabel("OTP Service URL", { exact: true })).toHaveValue(OTP_URL);
  await tab(page, "Authentication").click();
  await expect(mode(page, "Create token for Domain Authenticated Users")).toBeChecked();
});

test("valid changes are saved, survive a reload and are recorded with who made them", async ({ page }) => {
  const started = Date.now();
  await open(page);
  await tab(page, "Authentication").click();
  await page.getByLabel("Token type", { exact: true }).selectOption("event");
  await mode(page, "Use only for users with a SafeNet account").check();
  await expect(page.getByLabel("Token type", { exact: true })).toBeDisabled();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved 2 settings." })).toBeVisible();

  await page.reload();
  await tab(page, "Authentication").click();
  await expect(mode(page, "Use only for users with a SafeNet account")).toBeChecked();
  await expect(page.getByLabel("Token type", { exact: true })).toHaveValue("event");
  await expect(page.getByLabel("OTP Service URL", { exact: true })).toHaveValue(OTP_URL);

  const db = new Database(path.join(E2E_DIR, "portal.sqlite"), { readonly: true, fileMustExist: true });
  const row = db
    .prepare("SELECT actor, result, detail FROM events WHERE type = 'settings.mfa' AND at >= ? ORDER BY id DESC LIMIT 1")
    .get(started) as { actor: string; result: string; detail: string } | undefined;
  db.close();
  expect(row).toMatchObject({ actor: ADMIN.upn, result: "success" });
  expect(JSON.parse(row!.detail)).toEqual({
    changes: [
      { field: "mode", before: "create_token", after: "account_only" },
      { field: "tokenType", before: "time", after: "event" },
    ],
  });

  await saveSettings(page, ORIGINAL);
  await expect(page.getByRole("status").filter({ hasText: "Saved 2 settings." })).toBeVisible();
});

test("the page has no serious accessibility violations on either tab", async ({ page }) => {
  await open(page);
  await page.getByRole("button", { name: "Check connection" }).click();
  await expect(panel(page, "Connection").getByRole("status")).toContainText("Connected");
  for (const name of ["Connection", "Authentication"] as const) {
    await tab(page, name).click();
    await expectNoSeriousViolations(page, { label: name });
  }
});
