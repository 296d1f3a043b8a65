import { expect, test } from "./support/fixtures";
import { activeEventToken, createUser, mailSubjects, nextPasscode, PIN } from "./support/stack";
import { expectNoSeriousViolations } from "./support/a11y";
import { fillCredentials } from "./support/ui";

// Messages that never contradict each other, a passcode field that has the focus when it is the
// question, and the portal's own pages for an unknown address and its icon.

const PASSWORD = "Messages!Passw0rd";

test("changing the PIN to the same PIN is refused next to the new PIN and mails nothing; a success and a later failure never show together", async ({ page }) => {
  const upn = await createUser(`e2emsg${Date.now().toString(36)}`, [], PASSWORD);
  const t = await activeEventToken(upn);
  await fillCredentials(page, upn, PASSWORD);
  await expect(page).toHaveURL(/\/login\/otp/);
  // The passcode is the one question of the OTP page: the field has the focus.
  await expect(page.getByLabel("Passcode (PIN + one-time password)")).toBeFocused();
  await page.getByLabel("Passcode (PIN + one-time password)").fill(nextPasscode(upn));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: /^Signed in as/ })).toBeVisible();
  await page.goto("/token");

  const current = page.getByLabel("Current passcode (PIN + one-time password)");
  const newPin = page.getByLabel("New PIN", { exact: true });
  const changed = page.getByText("Your PIN is changed", { exact: false });
  const notChanged = page.getByText("The PIN was not changed.");
  const change = async (passcode: string, pin: string) => {
    await current.fill(passcode);
    await newPin.fill(pin);
    await page.getByLabel("New PIN again").fill(pin);
    await page.getByRole("button", { name: "Change PIN" }).click();
  };
  const pinMail = `The PIN of your SafeNet token ${t.serial} was changed`;

  await change(nextPasscode(upn), PIN);
  await expect(newPin).toHaveAccessibleDescription(/The new PIN is the same as the current one\. Choose a different PIN\./);
  await expect(notChanged).toBeVisible();
  await expect(changed).toHaveCount(0);

  await change(nextPasscode(upn), "5820");
  await expect(changed).toBeVisible();
  await expect(notChanged).toHaveCount(0);
  await expect.poll(() => mailSubjects(upn)).toContain(pinMail);
  expect((await mailSubjects(upn)).filter((s) => s === pinMail)).toHaveLength(1);

  // A wrong passcode now: the failure shows, the earlier success is gone.
  await change(`5820000000`, "3917");
  await expect(notChanged).toBeVisible();
  await expect(changed).toHaveCount(0);
  expect((await mailSubjects(upn)).filter((s) => s === pinMail)).toHaveLength(1);
});

test("an unknown address shows the portal's own not-found page with a way home", async ({ page }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expect(page).toHaveTitle(/Page not found · SafeNet Login portal/);
  await expect(page.getByRole("link", { name: "SafeNet Login portal" })).toBeVisible();
  await expectNoSeriousViolations(page);
  await page.getByRole("link", { name: "Go to the start page" }).click();
  await expect(page).toHaveURL(/\/$/);
});

test("the portal has a favicon", async ({ page, request }) => {
  await page.goto("/");
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toMatch(/^\/icon\.svg/);
  const icon = await request.get(href!);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
});
