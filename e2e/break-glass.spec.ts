import { expect, test, type Page } from "./support/fixtures";
import Database from "better-sqlite3";
import path from "node:path";
import { breakGlass } from "./support/break-glass";
import { activeEventToken, ADMIN_STATE, createUser, E2E_DIR } from "./support/stack";
import { fillCredentials } from "./support/ui";

// An attacker who knows an administrator's password, or another administrator's, wants more out of
// the operator's break-glass grant than the one sign-in it promises: it must be single-use, expire,
// and help nobody but its user with the right password.

const PASSWORD = "Glass!Passw0rd";

const db = () => new Database(path.join(E2E_DIR, "portal.sqlite"), { fileMustExist: true });

async function admin(sam: string): Promise<string> {
  const upn = await createUser(`${sam}${Date.now() % 1_000_000}`, ["RAS Admins"], PASSWORD);
  await activeEventToken(upn);
  return upn;
}

/** Where the password alone got: the OTP step, a full session, or an error on the sign-in page. */
async function afterPassword(page: Page): Promise<"otp" | "signed-in"> {
  const otp = page.getByLabel("Passcode (PIN + one-time password)");
  const signedIn = page.getByRole("heading", { name: /^Signed in as/ });
  await expect(otp.or(signedIn)).toBeVisible();
  return (await otp.isVisible()) ? "otp" : "signed-in";
}

test("a grant lets its administrator in once, with the right password only, and no one else", async ({ page, browser }) => {
  const granted = await admin("e2eglass");
  const other = await admin("e2eother");
  const run = breakGlass("admit", granted, "--minutes", "5");
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);

  // The console shows the open grant.
  const adminPage = await browser.newPage({ storageState: ADMIN_STATE });
  await adminPage.goto("/admin/mfa");
  await expect(adminPage.getByRole("note", { name: "Break-glass sign-ins waiting" })).toContainText(granted);
  await adminPage.close();

  await fillCredentials(page, granted, "wrong-password");
  await expect(page.locator("#login-error")).toContainText("The user name or password is not right");

  await fillCredentials(page, other, PASSWORD);
  expect(await afterPassword(page)).toBe("otp");
  await page.context().clearCookies();

  await fillCredentials(page, granted, PASSWORD);
  expect(await afterPassword(page)).toBe("signed-in");
  await page.goto("/admin/mfa");
  await expect(page.getByRole("heading", { level: 1, name: "Multi-factor authentication" })).toBeVisible();
  await expect(page.getByRole("note", { name: "Break-glass sign-ins waiting" })).toHaveCount(0);
  await page.context().clearCookies();

  // Used: the next sign-in asks for the OTP again.
  await fillCredentials(page, granted, PASSWORD);
  expect(await afterPassword(page)).toBe("otp");

  const d = db();
  const rows = d.prepare("SELECT type, user FROM events WHERE type LIKE 'break-glass.%' AND user = ? ORDER BY id").all(granted);
  d.close();
  expect(rows).toEqual([
    { type: "break-glass.grant", user: granted },
    { type: "break-glass.admit", user: granted },
  ]);
});

test("an expired grant admits nobody", async ({ page }) => {
  const granted = await admin("e2eexpired");
  expect(breakGlass("admit", granted, "--minutes", "1").status).toBe(0);
  const d = db();
  const row = d.prepare("SELECT value FROM settings WHERE key = 'break-glass'").get() as { value: string };
  const value = JSON.parse(row.value) as { grants: { upn: string; expiresAt: number }[] };
  for (const g of value.grants) if (g.upn === granted) g.expiresAt = Date.now() - 1000;
  d.prepare("UPDATE settings SET value = ? WHERE key = 'break-glass'").run(JSON.stringify(value));
  d.close();

  await fillCredentials(page, granted, PASSWORD);
  expect(await afterPassword(page)).toBe("otp");
});

test("the command refuses someone outside RAS Admins", async () => {
  const upn = await createUser(`e2enotadmin${Date.now() % 1_000_000}`, [], PASSWORD);
  const run = breakGlass("admit", upn);
  expect(run.status).toBe(2);
  expect(run.stderr).toContain(`${upn} is not in RAS Admins`);
});
