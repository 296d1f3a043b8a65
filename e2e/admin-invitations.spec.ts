import Database from "better-sqlite3";
import path from "node:path";
import { expect, test, type Browser, type Page } from "./support/fixtures";
import { activeEventToken, ADMIN_STATE, createUser, E2E_DIR, mailbox, PIN, PORTAL_URL, tms, type SinkMail } from "./support/stack";
import { expectNoSeriousViolations } from "./support/a11y";
import { fillCredentials } from "./support/ui";

// Assigning a token as people do it: an administrator sends an invitation (one user or a whole
// group), the employee follows the link from their mail, signs in with their own password, chooses
// a PIN and gets the activation. The attacks first: a link used again, withdrawn, expired, or
// followed by somebody else.

test.use({ storageState: ADMIN_STATE });

const run = Date.now().toString(36);
let n = 0;
const PASSWORD = "Invite!Passw0rd";
const SUBJECT = /invited to set up your SafeNet token/;
const newUser = (what: string, groups: string[] = []) => createUser(`e2einv${what}${run}${n++}`, groups, PASSWORD);

function portalDb<T>(body: (db: Database.Database) => T): T {
  const db = new Database(path.join(E2E_DIR, "portal.sqlite"), { fileMustExist: true });
  try {
    return body(db);
  } finally {
    db.close();
  }
}

/** "Mandatory for all users" for one test, put back as it was afterwards. */
async function mandatory(body: () => Promise<void>) {
  const before = portalDb((db) => db.prepare("SELECT value FROM settings WHERE key = 'mfa'").get() as { value: string } | undefined);
  const next = JSON.stringify({ ...(before ? JSON.parse(before.value) : {}), mode: "mandatory" });
  portalDb((db) =>
    db
      .prepare("INSERT INTO settings (key, value, updated_at, updated_by) VALUES ('mfa', ?, ?, 'e2e') ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .run(next, Date.now()),
  );
  try {
    await body();
  } finally {
    portalDb((db) => (before ? db.prepare("UPDATE settings SET value = ? WHERE key = 'mfa'").run(before.value) : db.prepare("DELETE FROM settings WHERE key = 'mfa'").run()));
  }
}

const events = (type: string, user: string) =>
  portalDb((db) => db.prepare("SELECT result, reason, actor FROM events WHERE type = ? AND user = ? ORDER BY id").all(type, user) as { result: string; reason: string | null; actor: string }[]);

async function waitForMail(to: string, subject: RegExp, count = 1): Promise<SinkMail> {
  let found: SinkMail[] = [];
  await expect.poll(async () => (found = (await mailbox(to)).filter((m) => subject.test(m.subject))).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(count);
  return found[0];
}

/** The link of the newest invitation mailed to `upn`. */
async function invitationLink(upn: string, count = 1): Promise<string> {
  const mail = await waitForMail(upn, SUBJECT, count);
  const link = /https?:\/\/\S+\/invite\/[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
  expect(link, mail.text).toBeTruthy();
  return new URL(new URL(link!).pathname, PORTAL_URL).toString();
}

async function assignFromUserPage(page: Page, upn: string) {
  await page.goto(`/admin/users/${encodeURIComponent(upn)}`);
  const panel = page.getByRole("region", { name: "Assign a token" });
  await panel.getByRole("button", { name: "Assign a token and send the invitation" }).click();
  await expect(panel.getByRole("status")).toContainText(`An invitation went to ${upn}`);
}

/** A new user the administrator invited from their page, and the link from their mail. */
async function invited(page: Page, what: string): Promise<[string, string]> {
  const upn = await newUser(what);
  await assignFromUserPage(page, upn);
  return [upn, await invitationLink(upn)];
}

/** A browser of its own for the employee, signed in through the invitation link as a person would. */
async function employee(browser: Browser) {
  // Signed out: the spec's admin storage state must not carry over.
  const context = await browser.newContext({ baseURL: PORTAL_URL, storageState: { cookies: [], origins: [] } });
  return { page: await context.newPage(), close: () => context.close() };
}

async function signInThroughLink(page: Page, link: string, upn: string) {
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1, name: "Your invitation" })).toBeVisible();
  await page.getByRole("link", { name: "Sign in to accept the invitation" }).click();
  await page.getByLabel("User name").fill(upn);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/invite\//);
}

test("an administrator assigns a token; the user follows the invitation, signs in, chooses a PIN and gets the activation", async ({ page, browser }) => {
  test.setTimeout(90_000);
  // Like dave under "Mandatory for all users": no SafeNet account and no token.
  const dave = await newUser("dave", ["Contractors"]);
  await mandatory(async () => {
    await page.goto(`/admin/users/${encodeURIComponent(dave)}`);
    await expect(page.getByRole("heading", { level: 2, name: "Assign a token" })).toBeVisible();
    await expectNoSeriousViolations(page);
    await assignFromUserPage(page, dave);
    expect((await tms<{ safenetAccount: boolean }>(`/repositories/corp.local/users/${dave}`)).safenetAccount).toBe(true);

    const link = await invitationLink(dave);
    const user = await employee(browser);
    try {
      // Opening the link alone signs nobody in.
      await user.page.goto(link);
      await expect(user.page.getByRole("button", { name: "Accept and set up my token" })).toHaveCount(0);
      await signInThroughLink(user.page, link, dave);
      await expectNoSeriousViolations(user.page);
      await user.page.getByRole("button", { name: "Accept and set up my token" }).click();
      await expect(user.page).toHaveURL(/\/enroll\?invited=1$/);
      await expect(user.page.getByRole("status").filter({ hasText: "Your invitation is accepted" })).toBeVisible();
      await user.page.getByLabel("OTP PIN", { exact: true }).fill(PIN);
      await user.page.getByLabel("OTP PIN again").fill(PIN);
      await user.page.getByRole("button", { name: "Issue my token" }).click();
      await expect(user.page.getByRole("heading", { name: "Step 2 of 3: Activate your token" })).toBeFocused();
      await waitForMail(dave, /Activate your SafeNet MobilePASS token/);

      // Both mails are in the user's own Demo mailbox.
      await user.page.goto("/mailbox");
      const messages = user.page.getByRole("navigation", { name: "Messages" });
      await expect(messages.getByRole("link", { name: "You are invited to set up your SafeNet token" })).toBeVisible();
      await expect(messages.getByRole("link", { name: /^Activate your SafeNet MobilePASS token/ })).toBeVisible();

      // The link is spent.
      await user.page.goto(link);
      await expect(user.page.getByRole("main").getByRole("alert")).toContainText("This invitation link was already used.");
      await expect(user.page.getByRole("button", { name: "Accept and set up my token" })).toHaveCount(0);
    } finally {
      await user.close();
    }
  });

  await page.goto("/admin/invitations");
  await expect(page.getByTestId(`invitation-${dave}`).getByTestId("invitation-state")).toContainText("Used");
  await expect(page.getByTestId(`invitation-${dave}`)).toContainText("bob@corp.local");
  await expectNoSeriousViolations(page);
  expect(events("admin.invitation.send", dave)).toEqual([{ result: "success", reason: null, actor: "bob@corp.local" }]);
  expect(events("invitation.use", dave)).toEqual([{ result: "success", reason: null, actor: dave }]);
});

test("somebody else following the link is refused, even by swapping it into their own invitation; the invited user can still use it", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const [victim, victimLink] = await invited(page, "victim");
  const [attacker, ownLink] = await invited(page, "attacker");

  const other = await employee(browser);
  try {
    await signInThroughLink(other.page, victimLink, attacker);
    await expect(other.page.getByRole("main").getByRole("alert")).toContainText("This invitation is for another user.");
    await expect(other.page.getByRole("button", { name: "Accept and set up my token" })).toHaveCount(0);

    // Their own invitation's form, with the victim's token put in: the server refuses it.
    await other.page.goto(ownLink);
    const victimToken = victimLink.split("/").pop()!;
    await other.page.locator('input[name="token"]').evaluate((el, v) => ((el as HTMLInputElement).value = v), victimToken);
    await other.page.getByRole("button", { name: "Accept and set up my token" }).click();
    await expect(other.page.getByRole("main").getByRole("status")).toContainText("This invitation is for another user.");
    await expect(other.page).toHaveURL(/\/invite\//);
  } finally {
    await other.close();
  }
  expect(events("invitation.use", attacker).map((e) => e.reason)).toEqual(["other_user"]);

  const user = await employee(browser);
  try {
    await signInThroughLink(user.page, victimLink, victim);
    await user.page.getByRole("button", { name: "Accept and set up my token" }).click();
    await expect(user.page).toHaveURL(/\/enroll\?invited=1$/);
  } finally {
    await user.close();
  }
});

test("a withdrawn or expired link stops working and says what to do", async ({ page, browser }) => {
  const [withdrawn, withdrawnLink] = await invited(page, "withdrawn");
  const [expired, expiredLink] = await invited(page, "expired");

  await page.goto("/admin/invitations");
  const row = page.getByTestId(`invitation-${withdrawn}`);
  await expect(row.getByTestId("invitation-state")).toHaveText("Sent");
  await row.getByRole("button", { name: `Withdraw the invitation of ${withdrawn}` }).click();
  await expect(row.getByTestId("invitation-state")).toContainText("Withdrawn");
  expect(events("admin.invitation.withdraw", withdrawn)).toEqual([{ result: "success", reason: null, actor: "bob@corp.local" }]);
  portalDb((db) => db.prepare("UPDATE invitations SET expires_at = ? WHERE upn = ?").run(Date.now() - 1000, expired));

  const user = await employee(browser);
  try {
    await user.page.goto(withdrawnLink);
    await expect(user.page.getByRole("main").getByRole("alert")).toContainText("An administrator withdrew this invitation");
    // Signed in as the invited user, the withdrawn link still offers nothing to accept.
    await fillCredentials(user.page, withdrawn, PASSWORD);
    await expect(user.page).not.toHaveURL(/\/login/);
    await user.page.goto(withdrawnLink);
    await expect(user.page.getByRole("main").getByRole("alert")).toContainText("An administrator withdrew this invitation");
    await expect(user.page.getByRole("button", { name: "Accept and set up my token" })).toHaveCount(0);
    await user.page.goto(expiredLink);
    await expect(user.page.getByRole("main").getByRole("alert")).toContainText("This invitation link has expired. Ask your administrator to send you a new invitation.");
    await user.page.goto(`/invite/${"A".repeat(43)}`);
    await expect(user.page.getByRole("main").getByRole("alert")).toContainText("This invitation link is not valid.");
  } finally {
    await user.close();
  }
});

test("inviting a group sends to the members without a token and sums up who got what; a second run sends nothing twice", async ({ page }) => {
  test.setTimeout(90_000);
  const group = `E2E Invite ${run}`;
  const fresh = [await newUser("groupa", [group]), await newUser("groupb", [group])];
  const enrolled = await newUser("groupc", [group]);
  await activeEventToken(enrolled);

  await page.goto("/admin/invitations");
  await expectNoSeriousViolations(page);
  await page.getByLabel("Group", { exact: true }).selectOption({ label: `${group} (3 members)` });
  await page.getByRole("button", { name: "Send invitations to the group" }).click();
  const status = page.getByRole("status").filter({ hasText: `Group ${group} is done.` });
  await expect(status).toBeVisible({ timeout: 30_000 });
  await expect(status).toContainText(`Invitations sent: 2: ${fresh.join(", ")}`);
  await expect(status).toContainText(`Already enrolled (an Active or Assigned token): 1: ${enrolled}`);
  await expect(status).toContainText("Failed: 0");
  for (const upn of fresh) await waitForMail(upn, SUBJECT);
  expect((await mailbox(enrolled)).filter((m) => SUBJECT.test(m.subject))).toHaveLength(0);

  await page.getByLabel("Group", { exact: true }).selectOption({ label: `${group} (3 members)` });
  await page.getByRole("button", { name: "Send invitations to the group" }).click();
  await expect(status).toContainText("Invitations sent: 0");
  await expect(status).toContainText(`Already holding a pending invitation: 2`);
  for (const upn of fresh) expect((await mailbox(upn)).filter((m) => SUBJECT.test(m.subject))).toHaveLength(1);
});

test("after an administrator's Send a new activation, the user's mail says what to do next, and doing it brings the activation", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const upn = await newUser("rekey");
  const t = await activeEventToken(upn);
  await page.goto(`/admin/users/${encodeURIComponent(upn)}`);
  const region = page.getByRole("region", { name: `Token ${t.serial}` });
  await region.getByRole("button", { name: "Send a new activation", exact: true }).click();
  await region.getByRole("button", { name: "Confirm sending a new activation" }).click();
  await expect(region.getByRole("status")).toContainText(`A new activation was sent for token ${t.serial}`);

  const notice = await waitForMail(upn, new RegExp(`A new activation was sent for your SafeNet token ${t.serial}`));
  expect(notice.text).toContain("open New Account Info and choose Send a new activation");

  const user = await employee(browser);
  try {
    await fillCredentials(user.page, upn, PASSWORD);
    await expect(user.page).not.toHaveURL(/\/login/);
    await user.page.goto("/enroll");
    await user.page.getByRole("button", { name: "Send a new activation" }).click();
    await user.page.getByLabel("OTP PIN", { exact: true }).fill(PIN);
    await user.page.getByLabel("OTP PIN again").fill(PIN);
    await user.page.getByRole("button", { name: "Issue and email the new activation" }).click();
    await waitForMail(upn, new RegExp(`Activate your SafeNet MobilePASS token ${t.serial}`));
  } finally {
    await user.close();
  }
});
