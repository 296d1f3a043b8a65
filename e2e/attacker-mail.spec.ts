import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import Database from "better-sqlite3";
import path from "node:path";
import { createUser, E2E_DIR, mailbox, PIN, tms, type SinkMail } from "./support/stack";
import { fillCredentials } from "./support/ui";

// The attacker's path to someone else's second factor through the mail: an employee signed in with
// a password alone types a colleague's address in New Account Info. She must not be able to read
// the colleague's mail in the demo mailbox, and her own directory address must hear of the token.

test.use({ storageState: { cookies: [], origins: [] } });

const run = Date.now().toString(36);
const PASSWORD = "Attack!Passw0rd";

async function enroll(page: Page, upn: string, email?: string): Promise<string> {
  await fillCredentials(page, upn, PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "New Account Info" })).toBeVisible();
  await page.goto("/enroll");
  await expect(page.getByRole("heading", { level: 1, name: "New Account Info" })).toBeVisible();
  await page.getByLabel("OTP PIN", { exact: true }).fill(PIN);
  await page.getByLabel("OTP PIN again").fill(PIN);
  if (email !== undefined) await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Issue my token" }).click();
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Activate your token" })).toBeFocused();
  return (await page.getByTestId("token-serial").textContent())!;
}

async function waitForMail(to: string, subject: string): Promise<SinkMail> {
  let found: SinkMail | undefined;
  await expect.poll(async () => (found = (await mailbox(to)).find((m) => m.subject === subject)) !== undefined, { timeout: 15_000 }).toBe(true);
  return found!;
}

async function enrollInNewContext(browser: Browser, upn: string): Promise<string> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  try {
    return await enroll(await context.newPage(), upn);
  } finally {
    await context.close();
  }
}

/** The client address the portal recorded for the employee's provisioning. */
function provisionClientIp(upn: string): string | null {
  const db = new Database(path.join(E2E_DIR, "portal.sqlite"), { fileMustExist: true, readonly: true });
  try {
    const row = db
      .prepare("SELECT client_ip FROM events WHERE type = 'enrollment.provision' AND user = ? AND result = 'success' ORDER BY id DESC LIMIT 1")
      .get(upn.toLowerCase()) as { client_ip: string | null } | undefined;
    return row?.client_ip ?? null;
  } finally {
    db.close();
  }
}

test("an employee who types a colleague's address at enrollment reads only her own mail, and her directory address is told", async ({ page, browser }) => {
  test.setTimeout(120_000);
  // The colleague enrolls through the portal: his activation mail (key, PIN, seed file) is in the sink.
  const colleague = await createUser(`e2eatkcol${run}`, [], PASSWORD);
  const colleagueSerial = await enrollInNewContext(browser, colleague);
  const colleagueMail = await waitForMail(colleague, `Activate your SafeNet MobilePASS token ${colleagueSerial}`);
  expect(colleagueMail.attachments.map((a) => a.filename)).toEqual([`${colleagueSerial}.pskc`]);

  // The employee, with a password and no token, enrolls and types the colleague's address.
  const employee = await createUser(`e2eatkemp${run}`, [], PASSWORD);
  const serial = await enroll(page, employee, colleague);
  const activationSubject = `Activate your SafeNet MobilePASS token ${serial}`;
  // As today, the typed address receives the activation mail.
  const activation = await waitForMail(colleague, activationSubject);
  const activationKey = /Activation key\W+([A-Za-z0-9]{16})\b/.exec(activation.text)?.[1];
  expect(activationKey).toBeTruthy();

  // (1) Her mailbox: her own activation mail (sent to the typed address), none of the colleague's.
  await page.goto("/mailbox");
  await expect(page.getByRole("heading", { level: 1, name: "Demo mailbox" })).toBeVisible();
  await page.getByRole("navigation", { name: "Messages" }).getByRole("link", { name: activationSubject }).click();
  const own = page.getByRole("article", { name: activationSubject });
  await expect(own).toBeVisible();
  await expect(own.getByText(colleague, { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: `Activate your SafeNet MobilePASS token ${colleagueSerial}` })).toHaveCount(0);
  await expect(page.getByText(colleagueSerial)).toHaveCount(0);
  for (const m of await mailbox(colleague)) {
    if (m.subject !== activationSubject) await expect(page.getByRole("link", { name: m.subject })).toHaveCount(0);
  }
  // Her own seed file downloads; the colleague's answers 404, as an unknown message would.
  const mine = await page.request.get((await own.getByRole("link", { name: `${serial}.pskc` }).getAttribute("href"))!);
  expect(mine.status()).toBe(200);
  const refused = await page.request.get(`/api/mailbox/${colleagueMail.id}/attachments/${colleagueSerial}.pskc`);
  expect(refused.status()).toBe(404);
  expect(await refused.text()).not.toContain("KeyContainer");
  // A query string does not widen her view either.
  await page.goto(`/mailbox?to=${encodeURIComponent(colleague)}&id=${encodeURIComponent(colleagueMail.id)}`);
  await expect(page.getByRole("article")).toHaveCount(0);
  await expect(page.getByRole("link", { name: `Activate your SafeNet MobilePASS token ${colleagueSerial}` })).toHaveCount(0);

  // (2) The directory still holds her own address, and that address was told of the new token.
  expect((await tms<{ email: string }>(`/repositories/corp.local/users/${employee}`)).email).toBe(employee);
  const notice = await waitForMail(employee, `A new SafeNet token ${serial} was issued to your account`);
  expect(notice.to).toEqual([employee]);
  const clientIp = provisionClientIp(employee);
  expect(clientIp).toMatch(/^[0-9a-f:.]+$/i);
  expect(notice.text).toContain(clientIp!);
  expect(notice.text).toContain(`its activation email went to ${colleague}`);
  expect(notice.text).toMatch(/When\s+\d{1,2} \w{3} \d{4}, \d{2}:\d{2}:\d{2} UTC/);
  expect(notice.text).toContain("If this was not you");
  expect(notice.text).toContain("Report the token lost");
  expect(notice.text).toMatch(/contact your administrator/i);
  // No secret travels in the notice: no seed file, no PIN line, no activation key.
  expect(notice.attachments).toEqual([]);
  for (const part of [notice.text, notice.html, notice.subject].map((p) => p.replaceAll(serial, ""))) {
    expect(part).not.toContain(activationKey!);
    expect(part).not.toContain(PIN);
  }
  // She sees the notice in her own mailbox too, the colleague's notices never.
  await page.goto("/mailbox");
  await expect(page.getByRole("link", { name: `A new SafeNet token ${serial} was issued to your account` })).toBeVisible();
  await expect(page.getByRole("link", { name: `A new SafeNet token ${colleagueSerial} was issued to your account` })).toHaveCount(0);
});
