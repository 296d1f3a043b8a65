import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "./support/fixtures";
import { expectNoSeriousViolations } from "./support/a11y";
import { ldapUser, startDirectory, type Slapd } from "./support/ldap";
import { keepMfaSettings, savedMfaSettings } from "./support/mfa-settings";
import { activeEventToken, createUser, E2E_DIR, mailbox, nextPasscode, PIN, PORTAL_DATABASE_URL, portalSql, SAFENET_URL, TMS_KEY, tms, type SinkMail } from "./support/stack";
import { fillCredentials } from "./support/ui";

// An LDAP directory (a real slapd) becomes SafeNet's user repository through the portal: an
// administrator tests and adds it, chooses it as the User Repository, and one of its people signs in
// with the directory password, enrolls MobilePASS, logs on with PIN + OTP and passes the connection test.
//
// The User Repository is one setting for the whole stack, so while it names the directory nobody
// else may sign in through corp.local: the tests run in order (serial) and playwright.config.ts runs
// one worker, so no other spec runs meanwhile; keepMfaSettings puts the setting back even when a
// test fails, and the last test removes the repository. The administrators here have sessions of
// their own, never the shared ADMIN_STATE (a session is re-checked against the repository in use).

test.describe.configure({ mode: "serial" });
keepMfaSettings(test);

// Short: the names appear unbroken in the events table, which must fit the console (layout.spec.ts).
const run = (Date.now() % 36 ** 5).toString(36);
const REPOSITORY = `ldap-${run}`;
// In the directory only, and in its RAS Admins: once the directory is in use, they administer it.
const PERSON = ldapUser(`e2eldap${run}`, ["RAS Admins"]);
const ADMIN_PASSWORD = "Repo!Passw0rd";
const APP_PIN = "731904";
let slapd: Slapd;
let adminUpn = "";

test.beforeAll(async () => {
  expect(test.info().config.workers, "this spec changes the stack's User Repository: it needs the one worker playwright.config.ts sets").toBe(1);
  slapd = await startDirectory([PERSON]);
  adminUpn = await createUser(`e2erepo${run}`, ["RAS Admins"], ADMIN_PASSWORD);
  await activeEventToken(adminUpn);
});

test.afterAll(async () => {
  // The setting goes back first (keepMfaSettings), then the repository, then the directory.
  await removeAccounts().catch(() => undefined);
  await tms(`/repositories/${encodeURIComponent(REPOSITORY)}`, { method: "DELETE" }).catch(() => undefined);
  await slapd?.stop();
});

async function signInAdmin(page: Page) {
  await fillCredentials(page, adminUpn, ADMIN_PASSWORD);
  await page.getByLabel("Passcode (PIN + one-time password)").fill(nextPasscode(adminUpn));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: /^Signed in as/ })).toBeVisible();
}

/** The administrator's PIN + OTP is five minutes old or more: the next change asks for it again. */
function ageStepUp(upn: string) {
  portalSql("UPDATE portal_sessions SET step_up_at = ? WHERE upn = ? AND ended_at IS NULL", [Date.now() - 6 * 60_000, upn]);
}

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const row = (page: Page) => page.getByTestId(`repository-${REPOSITORY}`);

/** Everything a bind password could hide in: the page, and on SQLite the raw bytes of both databases. */
async function expectNowhere(page: Page, secret: string) {
  expect(await page.content()).not.toContain(secret);
  const html = await (await page.request.get("/admin/repositories")).text();
  expect(html).not.toContain(secret);
  expect(JSON.stringify(portalSql("SELECT type, detail FROM events"))).not.toContain(secret);
  if (PORTAL_DATABASE_URL) return;
  for (const file of fs.readdirSync(E2E_DIR).filter((f) => /\.(sqlite|db)(-wal)?$/.test(f))) {
    expect(fs.readFileSync(path.join(E2E_DIR, file)).includes(Buffer.from(secret)), file).toBe(false);
  }
}

/** The bodies of the page's POSTs (server actions), for what the portal sends back. */
function actionAnswers(page: Page): () => Promise<string[]> {
  const bodies: Promise<string>[] = [];
  page.on("response", (res) => {
    if (res.request().method() === "POST") bodies.push(res.text().catch(() => ""));
  });
  return () => Promise.all(bodies);
}

test("Test connection shows the directory's counts; adding it needs a recent PIN + OTP and never shows the bind password again", async ({ page }) => {
  await signInAdmin(page);
  ageStepUp(adminUpn);
  const answers = actionAnswers(page);
  await page.goto("/admin/repositories");
  await expect(page.getByRole("heading", { level: 1, name: "User repositories" })).toBeVisible();
  await expect(page.getByTestId("repository-corp.local")).toContainText("ActiveDirectory");

  await field(page, "Name").fill(REPOSITORY);
  await field(page, "URL").fill(slapd.url);
  await field(page, "Bind DN").fill(slapd.bindDn);
  await field(page, "Bind password").fill(slapd.bindPassword);
  await field(page, "Base DN").fill(slapd.baseDn);
  await field(page, "User filter (optional)").fill(slapd.userFilter);
  await page.getByText("Attributes", { exact: true }).click();
  await expect(field(page, "User name (UPN) attribute")).toHaveValue("userPrincipalName");
  await expect(field(page, "Groups attribute")).toHaveValue("memberOf");
  await expectNoSeriousViolations(page);

  await page.getByRole("button", { name: "Test connection" }).click();
  const result = page.locator("#add-test-status");
  await expect(result).toContainText("Bind succeeded");
  await expect(result).toHaveAttribute("aria-busy", "false");
  // The demo directory's five people and the one added here; its four groups.
  await expect(result).toContainText("Found 6 users and 4 groups.");
  await expect(result.getByRole("list", { name: "Sample of users" }).getByRole("listitem").first()).toContainText("@corp.local");

  // No PIN + OTP for five minutes: refused next to the field, and the bind password is not sent back.
  await page.getByRole("button", { name: "Add repository" }).click();
  const passcode = field(page, "Your PIN + one-time password");
  await expect(passcode).toHaveAccessibleDescription(/needs your PIN and one-time password from the last five minutes/);
  await expect(field(page, "Bind password")).toHaveValue("");
  await expect(field(page, "URL")).toHaveValue(slapd.url);
  await expectNowhere(page, slapd.bindPassword);
  const sent = await answers();
  expect(sent.length).toBeGreaterThanOrEqual(2);
  expect(sent.filter((body) => body.includes(slapd.bindPassword))).toEqual([]);
  expect((await tms<{ repositories: { name: string }[] }>("/repositories")).repositories.map((r) => r.name)).not.toContain(REPOSITORY);

  await field(page, "Bind password").fill(slapd.bindPassword);
  await passcode.fill(nextPasscode(adminUpn));
  await page.getByRole("button", { name: "Add repository" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Added ${REPOSITORY}.` })).toBeVisible();
  await expect(row(page)).toContainText("LDAP");
  await expect(row(page)).toContainText("OK");
  await expect(row(page)).toContainText(slapd.url);
  await expect(row(page)).toContainText(slapd.baseDn);
  await expect(field(page, "Bind password")).toHaveValue("");
  await expectNowhere(page, slapd.bindPassword);
  const events = portalSql<{ actor: string }>("SELECT actor FROM events WHERE type = 'settings.repository.add' AND detail LIKE ?", [`%${REPOSITORY}%`]);
  expect(events.map((e) => e.actor)).toEqual([adminUpn]);
});

test("a changed URL needs the bind password again, so the saved one never goes to another server", async ({ page }) => {
  await signInAdmin(page);
  await page.goto("/admin/repositories");
  await row(page).getByRole("link", { name: `Edit ${REPOSITORY}` }).click();
  await expect(page.getByRole("heading", { name: `Edit ${REPOSITORY}` })).toBeVisible();
  await expect(field(page, "Bind password")).toHaveValue("");
  await expect(field(page, "URL")).toHaveAccessibleDescription(/A changed URL needs the bind password again/);

  const elsewhere = `ldap://127.0.0.1:${slapd.port + 100}`;
  await field(page, "URL").fill(elsewhere);
  await page.getByRole("button", { name: `Save ${REPOSITORY}` }).click();
  await expect(page.getByRole("status").filter({ hasText: "Not saved: see the message next to the bind password." })).toBeVisible();
  await expect(field(page, "Bind password")).toHaveAccessibleDescription(/The URL changed: enter the bind password again/);
  expect((await tms<{ repositories: { name: string; url?: string }[] }>("/repositories")).repositories.find((r) => r.name === REPOSITORY)?.url).toBe(slapd.url);
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.locator("#edit-test-status")).toHaveText("Not tested: see the message next to the bind password.");
  await expect(field(page, "Bind password")).toHaveAccessibleDescription(/The URL changed: enter the bind password again/);

  // The same server: the saved password is kept, and the test binds with it.
  await field(page, "URL").fill(slapd.url);
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.locator("#edit-test-status")).toContainText("Bind succeeded");
});

test("the MFA page offers the directory with its kind and status, and it becomes the User Repository", async ({ page }) => {
  await signInAdmin(page);
  await page.goto("/admin/mfa");
  await page.getByRole("tab", { name: "Authentication" }).click();
  const choice = field(page, "User Repository");
  await expect(choice.locator(`option[value="${REPOSITORY}"]`)).toHaveText(`${REPOSITORY} (LDAP, status ok, 6 users)`);
  await choice.selectOption(REPOSITORY);
  await expect(choice).not.toHaveAccessibleDescription(/cannot be used now/);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved 1 setting." })).toBeVisible();
  expect(savedMfaSettings().userRepository).toBe(REPOSITORY);
});

async function waitForMail(to: string, subject: RegExp): Promise<SinkMail> {
  let found: SinkMail[] = [];
  await expect.poll(async () => (found = (await mailbox(to)).filter((m) => subject.test(m.subject))).length, { timeout: 15_000 }).toBeGreaterThan(0);
  return found[0];
}

async function attachment(mail: SinkMail, filename: string): Promise<Buffer> {
  const res = await fetch(`${SAFENET_URL}/mailbox/messages/${mail.id}/attachments/${encodeURIComponent(filename)}`, { headers: { authorization: `Bearer ${TMS_KEY}` } });
  expect(res.ok).toBe(true);
  return Buffer.from(await res.arrayBuffer());
}

test("a person of the directory signs in with the directory password, enrolls, logs on with PIN + OTP and passes the connection test", async ({ page, context }) => {
  test.setTimeout(180_000);
  // The directory decides: corp.local's people are not in it by this name, and a wrong password is refused.
  await fillCredentials(page, PERSON.upn, "not-the-password");
  await expect(page).toHaveURL(/\/login/);
  await fillCredentials(page, PERSON.upn, PERSON.password);
  await expect(page.getByRole("heading", { level: 1, name: "New Account Info" })).toBeVisible();
  await expect(page.getByLabel("Email address")).toHaveValue(PERSON.upn);
  await page.getByLabel("OTP PIN", { exact: true }).fill(PIN);
  await page.getByLabel("OTP PIN again").fill(PIN);
  await page.getByRole("button", { name: "Issue my token" }).click();
  await expect(page.getByRole("heading", { name: "Step 2 of 3: Activate your token" })).toBeFocused();
  const serial = (await page.getByTestId("token-serial").textContent())!;

  const mail = await waitForMail(PERSON.upn, /Activate your SafeNet MobilePASS token/);
  const activationKey = /Activation key\W+([A-Za-z0-9]{16})\b/.exec(mail.text)?.[1];
  expect(activationKey).toBeTruthy();
  const mp = await context.newPage();
  await mp.goto("/mobilepass");
  await mp.getByLabel("Seed file").setInputFiles({ name: `${serial}.pskc`, mimeType: "application/pskc+xml", buffer: await attachment(mail, `${serial}.pskc`) });
  await mp.getByLabel("Activation key").fill(activationKey!);
  await mp.getByLabel("Application PIN", { exact: true }).fill(APP_PIN);
  await mp.getByLabel("Confirm application PIN").fill(APP_PIN);
  await mp.getByRole("button", { name: "Add token" }).click();
  const code = mp.getByTestId("passcode");
  await expect(code).toHaveText(/^\d{6}$/);
  let used = (await code.textContent())!;
  /** The next code MobilePASS shows: a code is accepted once, so each use waits for a new one. */
  const nextCode = async () => {
    await expect(code).not.toHaveText(used, { timeout: 35_000 });
    used = (await code.textContent())!;
    return used;
  };

  await page.bringToFront();
  await page.getByLabel("Passcode (PIN + one-time password)").fill(PIN + used);
  await page.getByRole("button", { name: "Activate token" }).click();
  await expect(page.getByRole("heading", { name: "Step 3 of 3: Your token is active" })).toBeFocused();
  expect((await tms<{ state: string }>(`/tokens/${serial}`)).state).toBe("Active");

  await page.getByRole("navigation", { name: "Account" }).getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await fillCredentials(page, PERSON.upn, PERSON.password);
  await expect(page).toHaveURL(/\/login\/otp/);
  await page.getByLabel("Passcode (PIN + one-time password)").fill(PIN + (await nextCode()));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: /^Signed in as/ })).toBeVisible();
  await expect(page.getByText(", with PIN and one-time password.")).toBeVisible();

  // The connection test: the directory password, the decision, then PIN + OTP through the OTP service.
  await page.goto("/connect");
  const dialog = page.getByRole("region", { name: "Step 1 of 3: Connection" });
  const name = dialog.getByLabel("User name");
  if (await name.isEditable()) await name.fill(PERSON.upn);
  await dialog.getByLabel("Password").fill(PERSON.password);
  await dialog.getByRole("button", { name: "Connect" }).click();
  const decision = page.getByRole("region", { name: "Step 2 of 3: Decision" });
  await expect(decision.getByRole("heading", { name: "Step 2 of 3: Decision" })).toBeFocused();
  await expect(decision).toContainText(`Token ${serial} is Active`);
  await decision.getByRole("button", { name: "Continue to the OTP prompt" }).click();
  const prompt = page.getByRole("region", { name: "Step 3 of 3: OTP prompt" });
  await prompt.getByLabel("Passcode", { exact: true }).fill(PIN + (await nextCode()));
  await prompt.getByRole("button", { name: "Send passcode" }).click();
  await expect(prompt.getByRole("status", { name: "SafeNet's answer" })).toContainText("1 AUTH_SUCCESS — SafeNet authentication OK.");

  // In the directory's RAS Admins, they administer the portal now: the repository in use cannot be removed.
  await page.goto("/admin/repositories");
  await expect(row(page)).toContainText("In use for sign-in");
  await row(page).getByRole("button", { name: `Remove ${REPOSITORY}` }).click();
  await row(page).getByRole("button", { name: `Remove ${REPOSITORY}` }).click();
  await expect(row(page).getByRole("status")).toContainText(`${REPOSITORY} is the User Repository its users sign in with.`);
  expect((await tms<{ repositories: { name: string }[] }>("/repositories")).repositories.map((r) => r.name)).toContain(REPOSITORY);

  // And they switch back to corp.local, which ends their own session (they are not in it).
  await page.goto("/admin/mfa");
  await page.getByRole("tab", { name: "Authentication" }).click();
  await field(page, "User Repository").selectOption("corp.local");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved 1 setting." })).toBeVisible();
  expect(savedMfaSettings().userRepository).toBe("corp.local");
});

test("a directory that stops answering is flagged in the list and next to the User Repository choice", async ({ page }) => {
  await signInAdmin(page);
  await slapd.stop();
  try {
    await page.goto("/admin/repositories");
    await expect(row(page)).toContainText("Not usable (");
    await page.goto("/admin/mfa");
    await page.getByRole("tab", { name: "Authentication" }).click();
    const choice = field(page, "User Repository");
    const alert = page.getByRole("tabpanel", { name: "Authentication" }).getByRole("alert");
    await expect(choice.locator(`option[value="${REPOSITORY}"]`)).not.toContainText("status ok");
    await expect(alert).toHaveCount(0);
    await choice.selectOption(REPOSITORY);
    await expect(choice).toHaveAccessibleDescription(new RegExp(`${REPOSITORY} cannot be used now \\(.+\\): .+ Until it answers, its users cannot sign in`));
    await expect(alert).toContainText(`${REPOSITORY} cannot be used now`);
    await choice.selectOption("corp.local");
    await expect(alert).toHaveCount(0);
  } finally {
    slapd = await startDirectory([PERSON]);
  }
});

/** Removes the person's tokens and SafeNet account: a repository that holds accounts is not removed. */
async function removeAccounts() {
  const user = await tms<{ tokens: { serial: string }[] }>(`/repositories/${encodeURIComponent(REPOSITORY)}/users/${encodeURIComponent(PERSON.upn)}`);
  for (const t of user.tokens) await tms(`/tokens/${t.serial}`, { method: "DELETE" });
  await tms(`/repositories/${encodeURIComponent(REPOSITORY)}/users/${encodeURIComponent(PERSON.upn)}/account`, { method: "DELETE" });
}

test("a repository not in use is removed after a confirmation, once it holds no SafeNet accounts", async ({ page }) => {
  await signInAdmin(page);
  await page.goto("/admin/repositories");
  await expect(row(page)).not.toContainText("In use for sign-in");
  await row(page).getByRole("button", { name: `Remove ${REPOSITORY}` }).click();
  const confirm = row(page).getByRole("button", { name: `Remove ${REPOSITORY}` });
  await expect(confirm).toBeFocused();
  await expect(confirm).toHaveClass(/danger/);
  await confirm.click();
  // SafeNet keeps a repository whose people still have accounts and tokens, and says what to do.
  await expect(row(page).getByRole("status")).toContainText("Delete those accounts first, then remove the repository.");

  await removeAccounts();
  await row(page).getByRole("button", { name: `Remove ${REPOSITORY}` }).click();
  await row(page).getByRole("button", { name: `Remove ${REPOSITORY}` }).click();
  await expect(row(page)).toHaveCount(0);
  expect((await tms<{ repositories: { name: string }[] }>("/repositories")).repositories.map((r) => r.name)).not.toContain(REPOSITORY);
});
