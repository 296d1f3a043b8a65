import { expect, test, type Page, type TestInfo } from "./support/fixtures";
import fs from "node:fs";
import { hotp, totp } from "../lib/otp";
import { readPskc } from "../lib/pskc";
import { createUser, PIN, PORTAL_URL, SAFENET_URL, tms } from "./support/stack";
import { expectNoSeriousViolations } from "./support/a11y";

// The simulated MobilePASS is public and works in the browser alone: no storageState, and the TMS API only
// to provision tokens and to check that the passcodes it shows are the right ones.

const run = Date.now().toString(36);
let n = 0;
const APP_PIN = "246813";

interface Provisioned {
  upn: string;
  serial: string;
  activationKey: string;
  xml: string;
  secret: Uint8Array;
  seedPath: string;
}

interface ProvisionAnswer {
  token: { serial: string };
  activation: { activationKey: string; seedFile: { filename: string; base64: string } };
}

async function provision(mode: "time" | "event", info: TestInfo): Promise<Provisioned> {
  const upn = await createUser(`e2emp${mode}${run}${n++}`);
  const { token, activation } = await tms<ProvisionAnswer>(`/repositories/corp.local/users/${upn}/tokens`, {
    json: { type: "MobilePASS", otpMode: mode, pin: PIN },
  });
  const bytes = Buffer.from(activation.seedFile.base64, "base64");
  const seedPath = info.outputPath(activation.seedFile.filename || `${token.serial}.pskc`);
  fs.writeFileSync(seedPath, bytes);
  const xml = bytes.toString("utf8");
  const [key] = await readPskc(xml, activation.activationKey);
  return { upn, serial: token.serial, activationKey: activation.activationKey, xml, secret: key.secret, seedPath };
}

type Seed = string | { name: string; mimeType: string; buffer: Buffer };

async function addToken(page: Page, seed: Seed, activationKey: string, pin = APP_PIN, confirm = pin) {
  await page.getByLabel("Seed file").setInputFiles(seed);
  await page.getByLabel("Activation key").fill(activationKey);
  await page.getByLabel("Application PIN", { exact: true }).fill(pin);
  await page.getByLabel("Confirm application PIN").fill(confirm);
  await page.getByRole("button", { name: "Add token" }).click();
}

/** The TOTP codes of the step before, at and after now: the page may have computed its code across a boundary. */
function timeCodes(secret: Uint8Array): string[] {
  const now = Date.now() / 1000;
  return [totp(secret, now - 30), totp(secret, now), totp(secret, now + 30)];
}

/** Flips one bit in the secret's CipherValue, leaving the XML well-formed. */
function tamperSecret(xml: string): string {
  return xml.replace(/(<pskc:Secret>[\s\S]*?<xenc:CipherValue>)([^<]+)(<\/xenc:CipherValue>)/, (_, open: string, b64: string, close: string) => {
    const bytes = Buffer.from(b64.trim(), "base64");
    bytes[20] ^= 0x01;
    return `${open}${bytes.toString("base64")}${close}`;
  });
}

const pskcFile = (name: string, text: string) => ({ name, mimeType: "application/xml", buffer: Buffer.from(text, "utf8") });

test("the SafeNet download link leads to the public MobilePASS page", async ({ page }) => {
  await page.goto(`${SAFENET_URL}/TMSService/ClientDownload/MobilePASSWin.exe`);
  await expect(page).toHaveURL(`${PORTAL_URL}/mobilepass`);
  await expect(page.getByRole("heading", { level: 1, name: "MobilePASS (simulated)" })).toBeVisible();
  await expect(page.getByText("the seed never leaves it")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Add a token" })).toBeVisible();
});

test("a time-based token shows the passcode of its seed, and that passcode activates the token", async ({ page, context }, info) => {
  const t = await provision("time", info);
  await page.goto("/mobilepass");
  await expect(page.getByRole("heading", { name: "Add a token" })).toBeVisible();
  await expectNoSeriousViolations(page);

  await addToken(page, t.seedPath, t.activationKey);
  await expect(page.getByRole("heading", { name: `Token ${t.serial}` })).toBeFocused();
  await expect(page.getByTestId("mobilepass-notice")).toContainText(`Token ${t.serial} added`);
  await expect(page.getByTestId("token-serial")).toHaveText(t.serial);
  const passcode = page.getByTestId("passcode");
  await expect(passcode).toHaveText(/^\d{6}$/);
  await expect(passcode).toHaveAttribute("aria-live", "polite");
  const shown = (await passcode.textContent())!;
  expect(timeCodes(t.secret)).toContain(shown);

  // The countdown ticks every second, outside the live region.
  const countdown = page.getByTestId("countdown");
  await expect(countdown).toHaveText(/^New code in ([1-9]|[12]\d|30) s$/);
  const first = await countdown.textContent();
  await expect(countdown).not.toHaveText(first!, { timeout: 3_000 });
  expect(await passcode.locator("[data-testid=countdown]").count()).toBe(0);
  await expect(page.getByText("type your token PIN followed by this passcode")).toBeVisible();

  // The passcode alone (PIN in front at logon) activates the token.
  const activated = await tms<{ state: string }>(`/tokens/${t.serial}/activate`, { json: { passcode: PIN + shown } });
  expect(activated.state).toBe("Active");

  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: PORTAL_URL });
  await page.getByRole("button", { name: "Copy" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Copied" })).toBeVisible();
  expect(timeCodes(t.secret)).toContain(await page.evaluate(() => navigator.clipboard.readText()));

  await expectNoSeriousViolations(page);
});

test("a wrong activation key, a damaged file and mismatched PINs are reported next to their fields", async ({ page }, info) => {
  const t = await provision("time", info);
  await page.goto("/mobilepass");

  await addToken(page, t.seedPath, "Wrong0Key1Wrong2");
  const keyField = page.getByLabel("Activation key");
  await expect(keyField).toHaveAttribute("aria-invalid", "true");
  await expect(keyField).toHaveAccessibleDescription(
    /The activation key does not open this seed file: check the key in your activation email \(16 letters and digits\)\./,
  );
  await expect(keyField).toBeFocused();
  // Nothing was stored, and the key typed stays for correcting.
  await expect(keyField).toHaveValue("Wrong0Key1Wrong2");
  expect(await page.evaluate(() => Object.keys(localStorage).length)).toBe(0);

  const seedField = page.getByLabel("Seed file");
  await addToken(page, pskcFile("cut.pskc", t.xml.slice(0, Math.floor(t.xml.length / 2))), t.activationKey);
  await expect(seedField).toHaveAccessibleDescription(/This file is not a readable SafeNet seed file\./);
  await expect(seedField).toBeFocused();

  await addToken(page, pskcFile("flipped.pskc", tamperSecret(t.xml)), t.activationKey);
  await expect(seedField).toHaveAccessibleDescription(/failed its integrity check/);

  await addToken(page, t.seedPath, t.activationKey, "1234", "1243");
  const confirm = page.getByLabel("Confirm application PIN");
  await expect(confirm).toHaveAccessibleDescription(/The two PINs are not the same/);
  await expect(confirm).toHaveValue("");
  await expect(keyField).toHaveAttribute("aria-invalid", "false");

  await addToken(page, t.seedPath, t.activationKey, "12a4");
  await expect(page.getByLabel("Application PIN", { exact: true })).toHaveAccessibleDescription(/4 to 8 digits/);
  expect(await page.evaluate(() => Object.keys(localStorage).length)).toBe(0);
});

test("a stored token opens after a reload with the application PIN only, and is wiped after five wrong PINs", async ({ page }, info) => {
  const t = await provision("time", info);
  await page.goto("/mobilepass");
  await addToken(page, t.seedPath, t.activationKey);
  await expect(page.getByTestId("passcode")).toHaveText(/^\d{6}$/);
  // At rest the seed is encrypted: neither the secret nor the passcode appears in storage.
  const stored = await page.evaluate(() => JSON.stringify(localStorage));
  expect(stored).toContain(t.serial);
  expect(stored).not.toContain(Buffer.from(t.secret).toString("base64"));

  await page.reload();
  await expect(page.getByRole("heading", { name: "Open a token" })).toBeVisible();
  await expect(page.getByRole("radio", { name: `Token ${t.serial} (time-based)` })).toBeChecked();
  await expectNoSeriousViolations(page);

  const pinField = page.getByLabel("Application PIN");
  await pinField.fill("9999");
  await page.getByRole("button", { name: "Open token" }).click();
  await expect(pinField).toHaveAccessibleDescription("Wrong PIN. 4 attempts left before this token is removed from this browser.");
  await expect(page.getByTestId("passcode")).toHaveCount(0);

  await pinField.fill(APP_PIN);
  await page.getByRole("button", { name: "Open token" }).click();
  await expect(page.getByRole("heading", { name: `Token ${t.serial}` })).toBeFocused();
  expect(timeCodes(t.secret)).toContain(await page.getByTestId("passcode").textContent());

  // A right PIN resets the count; five wrong ones in a row then remove the token, as MobilePASS does.
  await page.getByRole("button", { name: "Close token" }).click();
  for (let left = 4; left >= 1; left--) {
    await pinField.fill("0000");
    await page.getByRole("button", { name: "Open token" }).click();
    await expect(pinField).toHaveAccessibleDescription(`Wrong PIN. ${left} ${left === 1 ? "attempt" : "attempts"} left before this token is removed from this browser.`);
  }
  await pinField.fill("0000");
  await page.getByRole("button", { name: "Open token" }).click();
  await expect(page.getByTestId("mobilepass-notice")).toContainText(`Wrong PIN 5 times: token ${t.serial} was removed from this browser`);
  await expect(page.getByRole("heading", { name: "Add a token" })).toBeFocused();
  expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(t.serial);
});

test("an event-based token generates HOTP codes in order and keeps its counter across visits", async ({ page }, info) => {
  const t = await provision("event", info);
  const other = await provision("time", info);
  await page.goto("/mobilepass");
  await addToken(page, t.seedPath, t.activationKey);
  const passcode = page.getByTestId("passcode");
  await expect(page.getByText("Press Generate for a passcode.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Copy" })).toBeDisabled();

  await page.getByRole("button", { name: "Generate" }).click();
  await expect(passcode).toHaveText(hotp(t.secret, 0));
  await page.getByRole("button", { name: "Generate" }).click();
  await expect(passcode).toHaveText(hotp(t.secret, 1));
  await expectNoSeriousViolations(page);

  // A second token joins the list; removing one asks first and leaves the other.
  await page.getByRole("button", { name: "Close token" }).click();
  await page.getByRole("button", { name: "Add another token" }).click();
  await addToken(page, other.seedPath, other.activationKey, "8642");
  await expect(page.getByTestId("passcode")).toHaveText(/^\d{6}$/);

  await page.reload();
  await page.getByRole("radio", { name: `Token ${t.serial} (event-based)` }).check();
  await page.getByLabel("Application PIN").fill(APP_PIN);
  await page.getByRole("button", { name: "Open token" }).click();
  await page.getByRole("button", { name: "Generate" }).click();
  await expect(passcode).toHaveText(hotp(t.secret, 2));
  const activated = await tms<{ state: string }>(`/tokens/${t.serial}/activate`, { json: { passcode: PIN + hotp(t.secret, 2) } });
  expect(activated.state).toBe("Active");

  await page.getByRole("button", { name: "Close token" }).click();
  await page.getByRole("radio", { name: `Token ${other.serial} (time-based)` }).check();
  await page.getByRole("button", { name: "Remove token from this browser" }).click();
  const confirm = page.getByRole("group", { name: new RegExp(`Remove token ${other.serial} from this browser\\?`) });
  await expect(confirm).toBeFocused();
  await confirm.getByRole("button", { name: "Remove token" }).click();
  await expect(page.getByTestId("mobilepass-notice")).toHaveText(`Token ${other.serial} was removed from this browser.`);
  await expect(page.getByRole("radio")).toHaveCount(1);
  await expect(page.getByRole("radio", { name: `Token ${t.serial} (event-based)` })).toBeChecked();
});
