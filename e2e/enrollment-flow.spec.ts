import { expect, test, type Page } from "./support/fixtures";
import { totp } from "../lib/otp";
import { readPskc } from "../lib/pskc";
import { createUser, mailbox, PIN, SAFENET_URL, TMS_KEY, tms, type SinkMail } from "./support/stack";
import { fillCredentials } from "./support/ui";

// New Account Info without dead ends: a user who must enroll lands there after sign-in; the wizard
// shows the step the server holds after Back, Forward, reload or a submit from a stale tab; and an
// administrator who enrolls reaches the admin console with the next passcode, without signing out.

const run = Date.now().toString(36);
let n = 0;
const PASSWORD = "Flow!Passw0rd";

const newUser = (what: string, groups: string[] = []) => createUser(`e2eflow${what}${run}${n++}`, groups, PASSWORD);
const currentStep = (page: Page) => page.getByRole("list", { name: "Enrollment steps" }).locator('[aria-current="step"]');

async function choosePin(page: Page) {
  await page.getByLabel("OTP PIN", { exact: true }).fill(PIN);
  await page.getByLabel("OTP PIN again").fill(PIN);
  await page.getByRole("button", { name: "Issue my token" }).click();
}

/** The token's secret, read as MobilePASS would: the seed file and activation key from the activation email. */
async function secretOf(upn: string, serial: string): Promise<Uint8Array> {
  let mail: SinkMail | undefined;
  await expect
    .poll(async () => (mail = (await mailbox(upn)).find((m) => m.subject.includes(`token ${serial}`) && m.attachments.length > 0)), { timeout: 15_000 })
    .toBeTruthy();
  const key = /Activation key\W+([A-Za-z0-9]{16})\b/.exec(mail!.text)![1];
  const res = await fetch(`${SAFENET_URL}/mailbox/messages/${mail!.id}/attachments/${serial}.pskc`, { headers: { authorization: `Bearer ${TMS_KEY}` } });
  const [pkg] = await readPskc(await res.text(), key);
  return pkg.secret;
}

const nowSec = () => Math.floor(Date.now() / 1000);

test("a user who must enroll lands on New Account Info after sign-in, and keeps a callback New Account Info may open", async ({ page }) => {
  const upn = await newUser("land");
  await fillCredentials(page, upn, PASSWORD);
  await expect(page).toHaveURL(/\/enroll$/);
  await expect(page.getByRole("heading", { level: 1, name: "New Account Info" })).toBeVisible();
  await expect(currentStep(page)).toHaveText("PIN and email");

  // A callback this session may open is kept; one it may not open gives way to New Account Info.
  await page.getByRole("navigation", { name: "Account" }).getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/mailbox");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fmailbox/);
  await page.getByLabel("User name").fill(upn);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/mailbox$/);
  await expect(page.getByRole("heading", { level: 1, name: "Demo mailbox" })).toBeVisible();

  await page.getByRole("navigation", { name: "Account" }).getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/login?callbackUrl=%2Fadmin");
  await page.getByLabel("User name").fill(upn);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/enroll$/);
});

test("the wizard shows the step the server holds after Back, Forward and reload, and a stale tab's submit moves on", async ({ page, context }) => {
  test.setTimeout(90_000);
  const upn = await newUser("nav");
  await fillCredentials(page, upn, PASSWORD);
  await expect(currentStep(page)).toHaveText("PIN and email");
  // A second tab on step 1, left behind while the first one moves on.
  const stale = await context.newPage();
  await stale.goto("/enroll");
  await expect(currentStep(stale)).toHaveText("PIN and email");

  // Client-side navigation, so that Back and Forward use the router's copies of the pages.
  const nav = page.getByRole("navigation", { name: "Account" });
  await page.getByRole("link", { name: "SafeNet Login portal" }).click();
  await expect(page).toHaveURL(/\/$/);
  await nav.getByRole("link", { name: "New Account Info" }).click();
  await expect(currentStep(page)).toHaveText("PIN and email");
  await choosePin(page);
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Activate your token" })).toBeFocused();
  const serial = (await page.getByTestId("token-serial").textContent())!;

  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await page.goForward();
  await expect(page).toHaveURL(/\/enroll$/);
  await expect(currentStep(page)).toHaveText("Activate");
  await expect(page.getByTestId("token-serial")).toHaveText(serial);
  await page.reload();
  await expect(currentStep(page)).toHaveText("Activate");
  await expect(page.getByTestId("token-serial")).toHaveText(serial);

  // The stale tab's step 1 submit issues nothing more: it shows the activation that waits.
  await stale.bringToFront();
  await choosePin(stale);
  await expect(stale.locator("p.notice").filter({ hasText: "already moved on" })).toHaveText(`Your enrollment had already moved on: token ${serial} waits for activation. Activate it here.`);
  await expect(currentStep(stale)).toHaveText("Activate");
  await expect(stale.getByTestId("token-serial")).toHaveText(serial);
  expect((await tms<{ tokens: unknown[] }>(`/repositories/corp.local/users/${upn}`)).tokens).toHaveLength(1);

  // Activation, then Back and Forward again: the wizard says Done, not step 2.
  const secret = await secretOf(upn, serial);
  await page.bringToFront();
  await page.getByLabel("Passcode (PIN + one-time password)").fill(PIN + totp(secret, nowSec()));
  await page.getByRole("button", { name: "Activate token" }).click();
  await expect(page.getByRole("heading", { name: "Step 3 of 3: Your token is active" })).toBeFocused();
  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await page.goForward();
  await expect(currentStep(page)).toHaveText("Done");
  await page.reload();
  await expect(currentStep(page)).toHaveText("Done");

  // The stale tab's step 2 is left behind too: asking for a new activation shows Done instead.
  await stale.bringToFront();
  await stale.getByRole("button", { name: "Send a new activation" }).click();
  await stale.getByLabel("OTP PIN", { exact: true }).fill("5173");
  await stale.getByLabel("OTP PIN again").fill("5173");
  await stale.getByRole("button", { name: "Issue and email the new activation" }).click();
  await expect(stale.locator("p.notice").filter({ hasText: "already moved on" })).toHaveText(`Your enrollment had already moved on: token ${serial} is active.`);
  await expect(currentStep(stale)).toHaveText("Done");
  expect((await tms<{ state: string }>(`/tokens/${serial}`)).state).toBe("Active");
});

test("an administrator without a token enrolls, activates, continues with the next passcode and opens the admin console", async ({ page }) => {
  test.setTimeout(90_000);
  const upn = await newUser("adm", ["RAS Admins"]);
  await fillCredentials(page, upn, PASSWORD);
  await expect(page).toHaveURL(/\/enroll$/);
  await choosePin(page);
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Activate your token" })).toBeFocused();
  const serial = (await page.getByTestId("token-serial").textContent())!;
  const secret = await secretOf(upn, serial);
  const activatedAt = nowSec();
  await page.getByLabel("Passcode (PIN + one-time password)").fill(PIN + totp(secret, activatedAt));
  await page.getByRole("button", { name: "Activate token" }).click();
  await expect(page.getByRole("heading", { name: "Step 3 of 3: Your token is active" })).toBeFocused();

  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/login\/otp/);
  const field = page.getByLabel("Passcode (PIN + one-time password)");
  await expect(field).toBeFocused();
  // The code after the one that activated the token: within the validator's drift window, never a replay.
  await field.fill(PIN + totp(secret, activatedAt + 30));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/token$/);
  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Admin console" }).click();
  await expect(page).toHaveURL(/\/admin/);
  await expect(page.getByRole("heading", { name: "Admin console" })).toBeVisible();
});
