import { expect, test, type Page } from "./support/fixtures";
import { hotp } from "../lib/otp";
import { activeEventToken, AGENT_KEY, createUser, mailSubjects, nextPasscode, PIN, SAFENET_URL, TMS_KEY, tms } from "./support/stack";
import { expectNoSeriousViolations } from "./support/a11y";
import { fillCredentials } from "./support/ui";

// My token: change the PIN (after a right passcode), report the token lost (other sessions end,
// this one stays), and resend the activation of a token that waits for it.

const run = Date.now().toString(36);
let n = 0;
const PASSWORD = "MyToken!Passw0rd";

async function signIn(page: Page, upn: string, passcode?: () => string) {
  await fillCredentials(page, upn, PASSWORD);
  if (passcode) {
    await expect(page).toHaveURL(/\/login\/otp/);
    await page.getByLabel("Passcode (PIN + one-time password)").fill(passcode());
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("heading", { name: /^Signed in as/ })).toBeVisible();
  } else {
    await expect(page.getByRole("heading", { level: 1, name: "New Account Info" })).toBeVisible();
  }
}

async function validate(username: string, passcode: string): Promise<{ code: number; reason?: string }> {
  const res = await fetch(`${SAFENET_URL}/TokenValidator/TokenValidator.asmx`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-agent-key": AGENT_KEY },
    body: JSON.stringify({ username, passcode }),
  });
  return (await res.json()) as { code: number; reason?: string };
}

async function employeeWithToken(what: string) {
  const upn = await createUser(`e2emt${what}${run}${n++}`, [], PASSWORD);
  return activeEventToken(upn);
}

test("the PIN changes only after a right passcode, and obvious PINs are refused", async ({ page }) => {
  const t = await employeeWithToken("pin");
  await signIn(page, t.upn, () => nextPasscode(t.upn));
  await page.goto("/token");
  await expect(page.getByRole("heading", { level: 1, name: "My token" })).toBeVisible();
  await expect(page.getByTestId("token-state")).toHaveText("Active");
  await expect(page.getByText(t.serial).first()).toBeVisible();
  await expect(page.getByText("MobilePASS, event-based, 6 digits")).toBeVisible();
  await expectNoSeriousViolations(page);

  const current = page.getByLabel("Current passcode (PIN + one-time password)");
  const fill = async (passcode: string, pin: string, again = pin) => {
    await current.fill(passcode);
    await page.getByLabel("New PIN", { exact: true }).fill(pin);
    await page.getByLabel("New PIN again").fill(again);
    await page.getByRole("button", { name: "Change PIN" }).click();
  };

  await fill(`${PIN}000000`, "5820");
  await expect(current).toHaveAccessibleDescription(/SafeNet authentication failed\./);
  await expect(current).toBeFocused();

  // Refused before SafeNet is asked, so no code is spent.
  await fill(`${PIN}123456`, "1212");
  await expect(page.getByLabel("New PIN", { exact: true })).toHaveAccessibleDescription(/repeats 12/);

  await fill(nextPasscode(t.upn), "5820");
  await expect(page.getByRole("status").filter({ hasText: "Your PIN is changed" })).toBeVisible();
  await expect.poll(() => mailSubjects(t.upn)).toContain(`The PIN of your SafeNet token ${t.serial} was changed`);

  // The old PIN no longer opens the token; the new one does.
  const code = (counter: number) => hotp(Buffer.from(t.secretHex, "hex"), counter);
  expect((await validate(t.upn, PIN + code(3))).reason).toBe("wrong_pin");
  expect((await validate(t.upn, "5820" + code(3))).code).toBe(1);
});

test("reporting the token lost ends the user's other sessions while this one stays signed in", async ({ page, browser }) => {
  const t = await employeeWithToken("lost");
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, t.upn, () => nextPasscode(t.upn));
  await signIn(page, t.upn, () => nextPasscode(t.upn));

  await page.goto("/token");
  const trigger = page.getByRole("button", { name: "Report lost" });
  await trigger.click();
  const confirm = page.getByRole("group", { name: `Report token ${t.serial} lost? It stops working for good; this cannot be undone.` });
  await expect(confirm).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(confirm).toBeHidden();
  await expect(trigger).toBeFocused();
  expect((await tms<{ state: string }>(`/tokens/${t.serial}`)).state).toBe("Active");

  await page.keyboard.press("Enter");
  await expect(confirm).toBeFocused();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  const outcome = page.getByRole("status").filter({ hasText: `Token ${t.serial} is reported lost and no longer works.` });
  await expect(outcome).toBeFocused();
  await expect(page.getByTestId("token-state")).toHaveText("Lost");
  expect((await tms<{ state: string }>(`/tokens/${t.serial}`)).state).toBe("Lost");
  await expect.poll(() => mailSubjects(t.upn)).toContain(`Your SafeNet token ${t.serial} was revoked`);

  await otherPage.goto("/token");
  await expect(otherPage).toHaveURL(/\/login\?expired=1$/);
  await other.close();

  await page.reload();
  await expect(page.getByTestId("token-state")).toHaveText("Lost");
  await page.getByRole("link", { name: "Enroll a new token" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New Account Info" })).toBeVisible();
  await expect(page.getByText(`Token ${t.serial} was reported lost. Enroll a new token below.`)).toBeVisible();
});

test("a token that waits for activation: My token sends the password-only session to New Account Info, which sends the activation again", async ({ page }) => {
  const upn = await createUser(`e2emtassigned${run}${n++}`, [], PASSWORD);
  const { token } = await tms<{ token: { serial: string } }>(`/repositories/corp.local/users/${upn}/tokens`, {
    json: { type: "MobilePASS", otpMode: "time", pin: PIN },
  });
  await signIn(page, upn);
  await page.goto("/token");
  await expect(page).toHaveURL(/\/enroll$/);
  await expect(page.getByTestId("token-serial")).toHaveText(token.serial);
  await expect(page.getByRole("button", { name: "Change PIN" })).toHaveCount(0);
  await expectNoSeriousViolations(page);

  await page.getByRole("button", { name: "Send a new activation" }).click();
  await page.getByLabel("OTP PIN", { exact: true }).fill("0000");
  await page.getByLabel("OTP PIN again").fill("0000");
  await page.getByRole("button", { name: "Issue and email the new activation" }).click();
  await expect(page.getByLabel("OTP PIN", { exact: true })).toHaveAccessibleDescription(/one digit repeated/);

  await page.getByLabel("OTP PIN", { exact: true }).fill(PIN);
  await page.getByLabel("OTP PIN again").fill(PIN);
  await page.getByRole("button", { name: "Issue and email the new activation" }).click();
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Activate your token" })).toBeFocused();
  await expect(page.getByRole("img", { name: "QR code for authenticator apps" })).toBeVisible();
  await expect(page.getByTestId("token-serial")).toHaveText(token.serial);
  await expect.poll(() => mailSubjects(upn)).toContain(`Activate your SafeNet MobilePASS token ${token.serial}`);
  expect((await tms<{ state: string }>(`/tokens/${token.serial}`)).state).toBe("Assigned");
});
