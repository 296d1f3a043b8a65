import { expect, test, type Page } from "./support/fixtures";
import Database from "better-sqlite3";
import path from "node:path";
import { AGENT_KEY, createUser, E2E_DIR, mailbox, PIN, SAFENET_URL, TMS_KEY, tms, type SinkMail } from "./support/stack";
import { expectNoSeriousViolations } from "./support/a11y";
import { fillCredentials } from "./support/ui";

// New Account Info as an employee lives it: sign in, choose a PIN, receive the activation email,
// activate MobilePASS, sign in with PIN + OTP. Everything goes through the UI and the mail sink.

const run = Date.now().toString(36);
let n = 0;
const PASSWORD = "Enroll!Passw0rd";
const APP_PIN = "731904";

type Mail = SinkMail;

async function newEmployee(what: string): Promise<string> {
  return createUser(`e2een${what}${run}${n++}`, [], PASSWORD);
}

const signIn = (page: Page, upn: string) => fillCredentials(page, upn, PASSWORD);

/** Polls the mail sink until `count` messages to `to` match `subject`; returns the newest. */
async function waitForMail(to: string, subject: RegExp, count = 1): Promise<Mail> {
  let found: Mail[] = [];
  await expect
    .poll(async () => (found = (await mailbox(to)).filter((m) => subject.test(m.subject))).length, { timeout: 15_000 })
    .toBeGreaterThanOrEqual(count);
  return found[0];
}

async function attachment(mail: Mail, filename: string): Promise<Buffer> {
  const res = await fetch(`${SAFENET_URL}/mailbox/messages/${mail.id}/attachments/${encodeURIComponent(filename)}`, {
    headers: { authorization: `Bearer ${TMS_KEY}` },
  });
  expect(res.ok).toBe(true);
  return Buffer.from(await res.arrayBuffer());
}

async function validate(username: string, passcode: string): Promise<{ code: number; reason?: string }> {
  const res = await fetch(`${SAFENET_URL}/TokenValidator/TokenValidator.asmx`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-agent-key": AGENT_KEY },
    body: JSON.stringify({ username, passcode }),
  });
  return (await res.json()) as { code: number; reason?: string };
}

/** Changes the portal's MFA settings row for one test and puts it back exactly as it was. */
async function withMfaSettings(change: Record<string, unknown>, body: () => Promise<void>) {
  const db = new Database(path.join(E2E_DIR, "portal.sqlite"), { fileMustExist: true });
  const before = db.prepare("SELECT value FROM settings WHERE key = 'mfa'").get() as { value: string } | undefined;
  const next = { ...(before ? JSON.parse(before.value) : {}), ...change };
  db.prepare("INSERT INTO settings (key, value, updated_at, updated_by) VALUES ('mfa', ?, ?, 'e2e') ON CONFLICT(key) DO UPDATE SET value = excluded.value")
    .run(JSON.stringify(next), Date.now());
  try {
    await body();
  } finally {
    if (before) db.prepare("UPDATE settings SET value = ? WHERE key = 'mfa'").run(before.value);
    else db.prepare("DELETE FROM settings WHERE key = 'mfa'").run();
    db.close();
  }
}

const currentStep = (page: Page) => page.getByRole("list", { name: "Enrollment steps" }).locator('[aria-current="step"]');

async function choosePin(page: Page, pin: string, confirm = pin, email?: string) {
  await page.getByLabel("OTP PIN", { exact: true }).fill(pin);
  await page.getByLabel("OTP PIN again").fill(confirm);
  if (email !== undefined) await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Issue my token" }).click();
}

test("an employee enrolls, activates MobilePASS, signs in with PIN + OTP and reports the token lost", async ({ page, context }) => {
  test.setTimeout(150_000);
  const upn = await newEmployee("story");
  const email = upn.replace("@corp.local", "@mail.corp.local");

  await signIn(page, upn);
  await expect(page.getByRole("heading", { level: 1, name: "New Account Info" })).toBeVisible();
  await expect(currentStep(page)).toHaveText("PIN and email");
  await expect(page.getByLabel("Email address")).toHaveValue(upn);
  await expectNoSeriousViolations(page);

  await choosePin(page, PIN, PIN, email);
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Activate your token" })).toBeFocused();
  await expect(currentStep(page)).toHaveText("Activate");
  await expect(page.getByRole("img", { name: "QR code for authenticator apps" })).toBeVisible();
  await expect(page.getByTestId("manual-key")).toHaveText(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
  await expect(page.getByText("will not be shown again")).toBeVisible();
  const serial = (await page.getByTestId("token-serial").textContent())!;
  expect(serial).toMatch(/^[0-9A-F]{16}$/);
  expect((await tms<{ state: string }>(`/tokens/${serial}`)).state).toBe("Assigned");
  await expectNoSeriousViolations(page);

  // The activation email: the key in its text, the seed file attached.
  const mail = await waitForMail(email, /Activate your SafeNet MobilePASS token/);
  expect(mail.text).toContain(serial);
  const activationKey = /Activation key\W+([A-Za-z0-9]{16})\b/.exec(mail.text)?.[1];
  expect(activationKey).toBeTruthy();
  const seed = await attachment(mail, `${serial}.pskc`);

  // MobilePASS, in another tab of the same browser.
  const mp = await context.newPage();
  await mp.goto("/mobilepass");
  await mp.getByLabel("Seed file").setInputFiles({ name: `${serial}.pskc`, mimeType: "application/pskc+xml", buffer: seed });
  await mp.getByLabel("Activation key").fill(activationKey!);
  await mp.getByLabel("Application PIN", { exact: true }).fill(APP_PIN);
  await mp.getByLabel("Confirm application PIN").fill(APP_PIN);
  await mp.getByRole("button", { name: "Add token" }).click();
  const passcode = mp.getByTestId("passcode");
  await expect(passcode).toHaveText(/^\d{6}$/);
  const first = (await passcode.textContent())!;

  await page.bringToFront();
  await page.getByLabel("Passcode (PIN + one-time password)").fill(PIN + first);
  await page.getByRole("button", { name: "Activate token" }).click();
  await expect(page.getByRole("heading", { name: "Step 3 of 3: Your token is active" })).toBeFocused();
  await expect(currentStep(page)).toHaveText("Done");
  expect((await tms<{ state: string }>(`/tokens/${serial}`)).state).toBe("Active");
  // The notices of a change go to the address the directory holds, not the one typed at enrollment.
  await waitForMail(upn, new RegExp(`token ${serial} is active`));
  await waitForMail(upn, new RegExp(`new SafeNet token ${serial} was issued`));
  expect((await mailbox(email)).filter((m) => m.subject.includes(serial)).map((m) => m.subject)).toEqual([`Activate your SafeNet MobilePASS token ${serial}`]);

  // A new sign-in needs PIN + the next code: the one just used is spent.
  await page.getByRole("navigation", { name: "Account" }).getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, upn);
  await expect(page).toHaveURL(/\/login\/otp/);
  await mp.bringToFront();
  await expect(passcode).not.toHaveText(first, { timeout: 35_000 });
  const next = (await passcode.textContent())!;
  await page.bringToFront();
  await page.getByLabel("Passcode (PIN + one-time password)").fill(PIN + next);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: /^Signed in as/ })).toBeVisible();
  await expect(page.getByText(", with PIN and one-time password.")).toBeVisible();

  // Lost: revoked at once; the token's codes stop working.
  await page.goto("/token");
  await expect(page.getByTestId("token-state")).toHaveText("Active");
  await page.getByRole("button", { name: "Report lost" }).click();
  await expect(page.getByRole("group", { name: /Report token .* lost\?/ })).toBeFocused();
  await page.getByRole("button", { name: "Yes, report it lost" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Token ${serial} is reported lost` })).toBeVisible();
  await expect(page.getByTestId("token-state")).toHaveText("Lost");
  await expect(page.getByRole("link", { name: "Enroll a new token" })).toBeVisible();
  await mp.bringToFront();
  await expect(passcode).not.toHaveText(next, { timeout: 35_000 });
  const answer = await validate(upn, PIN + (await passcode.textContent())!);
  expect(answer.code).toBe(0);
  expect(["not_active", "no_token"]).toContain(answer.reason);
});

test("obvious and mismatched PINs and a bad email are refused next to their fields, and nothing is provisioned", { tag: "@http-only" }, async ({ page }) => {
  const upn = await newEmployee("refuse");
  await signIn(page, upn);
  await expect(page.getByRole("heading", { level: 1, name: "New Account Info" })).toBeVisible();
  await page.goto("/enroll");

  await choosePin(page, "1234");
  const pin = page.getByLabel("OTP PIN", { exact: true });
  await expect(pin).toHaveAttribute("aria-invalid", "true");
  await expect(pin).toHaveAccessibleDescription(/A PIN of digits counting up, such as 1234, is easy to guess\./);
  await expect(pin).toBeFocused();
  await expect(pin).toHaveValue("");

  await choosePin(page, "4089", "4098", "not-an-address");
  await expect(page.getByLabel("OTP PIN again")).toHaveAccessibleDescription(/The two PINs are not the same\./);
  await expect(page.getByLabel("Email address")).toHaveAccessibleDescription(/Enter an email address such as name@example.com\./);
  await expect(page.getByLabel("Email address")).toHaveValue("not-an-address");

  await choosePin(page, "2580", "2580", upn);
  await expect(pin).toHaveAccessibleDescription(/one of the most common PINs/);
  await expect(currentStep(page)).toHaveText("PIN and email");
  expect((await tms<{ tokens: unknown[] }>(`/repositories/corp.local/users/${upn}`)).tokens).toEqual([]);
});

test("leaving the wizard and coming back resumes activation, and a new activation replaces the old one", { tag: "@http-only" }, async ({ page }) => {
  const upn = await newEmployee("resume");
  await signIn(page, upn);
  await expect(page.getByRole("heading", { level: 1, name: "New Account Info" })).toBeVisible();
  await page.goto("/enroll");
  await choosePin(page, PIN);
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Activate your token" })).toBeFocused();
  const serial = (await page.getByTestId("token-serial").textContent())!;
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: `Download the seed file ${serial}.pskc` }).click();
  expect((await download).suggestedFilename()).toBe(`${serial}.pskc`);
  const firstMail = await waitForMail(upn, /Activate your SafeNet MobilePASS token/);

  await page.goto("/");
  await page.goto("/enroll");
  await expect(currentStep(page)).toHaveText("Activate");
  await expect(page.getByTestId("token-serial")).toHaveText(serial);
  await expect(page.getByRole("img", { name: "QR code for authenticator apps" })).toHaveCount(0);
  await expect(page.getByText(`Your activation email to ${upn} has the activation key and the seed file.`)).toBeVisible();
  await expect(page.getByLabel("Passcode (PIN + one-time password)")).toBeVisible();
  await expectNoSeriousViolations(page);

  await page.getByRole("button", { name: "Send a new activation" }).click();
  await expect(page.getByLabel("OTP PIN", { exact: true })).toBeFocused();
  await page.getByLabel("OTP PIN", { exact: true }).fill(PIN);
  await page.getByLabel("OTP PIN again").fill(PIN);
  await page.getByRole("button", { name: "Issue and email the new activation" }).click();
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Activate your token" })).toBeFocused();
  await expect(page.getByRole("img", { name: "QR code for authenticator apps" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "previous seed file and key no longer work" })).toBeAttached();

  const secondMail = await waitForMail(upn, /Activate your SafeNet MobilePASS token/, 2);
  expect(secondMail.id).not.toBe(firstMail.id);
  const key = (m: Mail) => /Activation key\W+([A-Za-z0-9]{16})\b/.exec(m.text)?.[1];
  expect(key(secondMail)).not.toBe(key(firstMail));
  expect((await tms<{ state: string }>(`/tokens/${serial}`)).state).toBe("Assigned");
});

test("with split delivery the email leaves the activation key out and step 2 shows it", { tag: "@http-only" }, async ({ page }) => {
  const upn = await newEmployee("split");
  await withMfaSettings({ splitDelivery: true }, async () => {
    await signIn(page, upn);
    await expect(page.getByRole("heading", { level: 1, name: "New Account Info" })).toBeVisible();
    await page.goto("/enroll");
    await choosePin(page, PIN);
    const shownKey = page.getByTestId("activation-key");
    await expect(shownKey).toHaveText(/^[A-Za-z0-9]{16}$/);
    await expect(page.getByText("the activation key is shown only here")).toBeVisible();
    const mail = await waitForMail(upn, /Activate your SafeNet MobilePASS token/);
    expect(mail.text).not.toContain((await shownKey.textContent())!);
    expect(mail.text).not.toMatch(/Activation key\W+[A-Za-z0-9]{16}\b/);
    expect(mail.text).not.toMatch(/Application PIN\W+\d{4}/);
    expect(mail.attachments.map((a) => a.filename)).toHaveLength(1);
  });
});

test("the authentication mode decides who may enroll", { tag: "@http-only" }, async ({ page }) => {
  const upn = await newEmployee("modes");
  await signIn(page, upn);
  await expect(page.getByRole("heading", { level: 1, name: "New Account Info" })).toBeVisible();
  await withMfaSettings({ mode: "mandatory" }, async () => {
    await page.goto("/enroll");
    await expect(page.getByText("You have no SafeNet account yet. Contact an administrator")).toBeVisible();
    await expect(page.getByLabel("OTP PIN", { exact: true })).toHaveCount(0);
  });
  await withMfaSettings({ mode: "account_only" }, async () => {
    await page.goto("/enroll");
    await expect(page.getByText("Multi-factor authentication does not apply to you")).toBeVisible();
    await expect(page.getByLabel("OTP PIN", { exact: true })).toHaveCount(0);
  });
  await withMfaSettings({ provider: "none" }, async () => {
    await page.goto("/enroll");
    await expect(page.getByText("there is no token to enroll")).toBeVisible();
  });
  // Create token for Domain Authenticated Users, the default: the form, with the configured type.
  await page.goto("/enroll");
  await expect(page.getByText("time-based (a new code every 30 seconds)")).toBeVisible();
  await expect(page.getByLabel("OTP PIN", { exact: true })).toBeVisible();
});
