import { request as playwrightRequest } from "@playwright/test";
import { expect, test, type Locator, type Page } from "./support/fixtures";
import Database from "better-sqlite3";
import path from "node:path";
import { hotp } from "../lib/otp";
import { activeEventToken, ADMIN_STATE, AGENT_KEY, createUser, E2E_DIR, mailbox, PIN, PORTAL_URL, SAFENET_URL, tms, type KnownToken } from "./support/stack";
import { expectNoSeriousViolations } from "./support/a11y";

test.use({ storageState: ADMIN_STATE });

const run = Date.now().toString(36);
let n = 0;
const uniqueSam = (what: string) => `e2e${what}${run}${n++}`;

/** A new user with an Active event token whose codes this spec computes itself. */
async function userWithToken(what: string): Promise<KnownToken> {
  return activeEventToken(await createUser(uniqueSam(what), [], "E2e!Passw0rd"));
}

const code = (t: KnownToken, counter: number) => hotp(Buffer.from(t.secretHex, "hex"), counter);

async function validate(username: string, passcode: string): Promise<{ code: number; reason?: string }> {
  const res = await fetch(`${SAFENET_URL}/TokenValidator/TokenValidator.asmx`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-agent-key": AGENT_KEY },
    body: JSON.stringify({ username, passcode }),
  });
  return (await res.json()) as { code: number; reason?: string };
}

function portalEvents(type: string, serial: string): { result: string; actor: string; user: string }[] {
  const db = new Database(path.join(E2E_DIR, "portal.sqlite"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT result, actor, user FROM events WHERE type = ? AND serial = ? ORDER BY id").all(type, serial) as never;
  } finally {
    db.close();
  }
}

async function openToken(page: Page, t: KnownToken): Promise<Locator> {
  await page.goto(`/admin/users/${encodeURIComponent(t.upn)}`);
  const region = page.getByRole("region", { name: `Token ${t.serial}` });
  await expect(region).toBeVisible();
  return region;
}

const stateOf = (region: Locator) => region.getByTestId("token-state");

/** Opens an action's confirmation step, checks it took focus, and confirms it. */
async function confirmAction(region: Locator, label: string, confirmLabel: string, fill?: (panel: Locator) => Promise<void>) {
  const trigger = region.getByRole("button", { name: label, exact: true });
  await trigger.click();
  await expect(trigger).toHaveAttribute("aria-expanded", "true");
  const panel = region.getByRole("group", { name: /\?|:/ });
  await expect(panel).toBeFocused();
  if (fill) await fill(panel);
  await panel.getByRole("button", { name: confirmLabel }).click();
}

test("suspend and reactivate through a keyboard-only confirmation, each recorded as an event", async ({ page }) => {
  const t = await userWithToken("susp");
  const region = await openToken(page, t);
  await expect(stateOf(region)).toHaveText("Active");

  await region.getByRole("button", { name: "Suspend", exact: true }).focus();
  await page.keyboard.press("Enter");
  const panel = region.getByRole("group", { name: /Suspend token .* of / });
  await expect(panel).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
  await expect(region.getByRole("button", { name: "Suspend", exact: true })).toBeFocused();

  await page.keyboard.press("Enter");
  await expect(panel).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(panel.getByRole("button", { name: "Confirm suspend" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(region.getByRole("status")).toHaveText(`Token ${t.serial} is suspended. Reactivate it to let it sign in again. ${t.upn} was told by email.`);
  await expect(stateOf(region)).toHaveText("Suspended");
  expect((await validate(t.upn, PIN + code(t, 1))).reason).toBe("suspended");

  await confirmAction(region, "Reactivate", "Confirm reactivate");
  await expect(stateOf(region)).toHaveText("Active");
  await expect(region.getByRole("status")).toContainText("reactivated");
  expect(portalEvents("admin.token.suspend", t.serial)).toEqual([{ result: "success", actor: "bob@corp.local", user: t.upn }]);
  expect(portalEvents("admin.token.reactivate", t.serial)).toHaveLength(1);
});

test("three wrong passcodes lock a token and unlock brings it back", async ({ page }) => {
  const t = await userWithToken("lock");
  for (let i = 0; i < 3; i++) expect((await validate(t.upn, `${PIN}000000`)).code).toBe(0);
  const region = await openToken(page, t);
  await expect(stateOf(region)).toHaveText("Locked");
  await expect(region.getByRole("row", { name: /Locked until/ })).toContainText("UTC");
  await expect(region.getByRole("row", { name: /Failed attempts/ })).toContainText("3");

  await confirmAction(region, "Unlock", "Confirm unlock");
  await expect(stateOf(region)).toHaveText("Active");
  await expect(region.getByRole("row", { name: /Failed attempts/ })).toContainText("0");
  expect((await validate(t.upn, PIN + code(t, 1))).code).toBe(1);
});

test("resync with two consecutive codes far ahead; the code after them then signs in", async ({ page }) => {
  const t = await userWithToken("sync");
  const region = await openToken(page, t);

  await confirmAction(region, "Resync", "Confirm resync", async (panel) => {
    await panel.getByLabel("First code").fill(code(t, 40));
    await panel.getByLabel("Next code").fill(code(t, 50));
  });
  const first = region.getByLabel("First code");
  await expect(first).toHaveAccessibleDescription(/not consecutive codes of this token/);
  await expect(first).toBeFocused();

  await first.fill(code(t, 40));
  await region.getByLabel("Next code").fill(code(t, 41));
  await region.getByRole("button", { name: "Confirm resync" }).click();
  await expect(region.getByRole("status")).toHaveText(`Token ${t.serial} is resynchronised: its next code will be accepted. ${t.upn} was told by email.`);
  expect((await validate(t.upn, PIN + code(t, 42))).code).toBe(1);
});

test("reset PIN: the old PIN fails, the new one works, and the user's sessions end", async ({ page }) => {
  const t = await userWithToken("pin");
  const session = await signIn(t.upn, PIN + code(t, 1));
  expect((await session.get("/enroll", { maxRedirects: 0 })).status()).toBe(200);

  const region = await openToken(page, t);
  await confirmAction(region, "Reset PIN", "Confirm PIN reset", async (panel) => {
    await panel.getByLabel("New PIN", { exact: true }).fill("5678");
    await panel.getByLabel("New PIN again").fill("5679");
  });
  await expect(region.getByLabel("New PIN again")).toHaveAccessibleDescription("The two PINs are not the same. Enter the new PIN twice.");
  await expect(region.getByLabel("New PIN", { exact: true })).toHaveValue("");

  await region.getByLabel("New PIN", { exact: true }).fill("5678");
  await region.getByLabel("New PIN again").fill("5678");
  await region.getByRole("button", { name: "Confirm PIN reset" }).click();
  await expect(region.getByRole("status")).toContainText(`The PIN of token ${t.serial} is reset`);

  expect((await validate(t.upn, PIN + code(t, 2))).reason).toBe("wrong_pin");
  expect((await validate(t.upn, "5678" + code(t, 2))).code).toBe(1);
  const after = await session.get("/enroll", { maxRedirects: 0 });
  expect(after.headers().location).toContain("/login?expired=1");
  await session.dispose();
});

test("sending a new activation re-keys the token without showing it; the token waits for activation", async ({ page }) => {
  const t = await userWithToken("reis");
  const region = await openToken(page, t);
  await confirmAction(region, "Send a new activation", "Confirm sending a new activation");
  await expect(stateOf(region)).toHaveText("Assigned");
  await expect(region.getByRole("status")).toContainText(`A new activation was sent for token ${t.serial}`);
  await expect(region.getByRole("status")).toContainText("choose “Send a new activation”");
  await expect(page.locator("body")).not.toContainText(/activation key:/i);
  expect((await validate(t.upn, PIN + code(t, 1))).code).toBe(0);
});

test("revoke marks the token Lost, ends sessions, and leaves only delete; delete removes it", async ({ page }) => {
  const t = await userWithToken("revk");
  // The directory's address, changed after enrollment: notices go where the directory says now.
  const directory = `moved.${t.upn.split("@")[0]}@mail.corp.local`;
  await tms(`/repositories/corp.local/users/${t.upn}`, { method: "PATCH", json: { email: directory } });
  const session = await signIn(t.upn, PIN + code(t, 1));
  const region = await openToken(page, t);

  await confirmAction(region, "Revoke (lost)", "Confirm revoke");
  await expect(stateOf(region)).toHaveText("Lost");
  await expect(region.getByRole("status")).toContainText("revoked (Lost)");
  const actions = region.getByRole("group", { name: `Actions for token ${t.serial}` }).getByRole("button");
  await expect(actions).toHaveText(["Delete"]);
  expect((await session.get("/enroll", { maxRedirects: 0 })).headers().location).toContain("/login?expired=1");
  await session.dispose();

  await confirmAction(region, "Delete", "Confirm delete");
  await expect(page.getByRole("status").filter({ hasText: `Token ${t.serial} is deleted` })).toBeVisible();
  await expect(region).toBeHidden();
  await expect(page.getByText(`${t.upn} has no SafeNet token.`)).toBeVisible();
  expect((await tms<{ tokens: unknown[] }>(`/repositories/corp.local/users/${t.upn}`)).tokens).toEqual([]);
  expect(portalEvents("admin.token.delete", t.serial)).toHaveLength(1);

  // Both changes were told to the address the directory holds now, with when, where and what to do.
  const subjects = async () => (await mailbox(directory)).map((m) => m.subject);
  await expect.poll(subjects).toEqual(expect.arrayContaining([`Your SafeNet token ${t.serial} was revoked`, `Your SafeNet token ${t.serial} was deleted`]));
  const revoked = (await mailbox(directory)).find((m) => m.subject === `Your SafeNet token ${t.serial} was revoked`)!;
  expect(revoked.text).toContain(`An administrator revoked your MobilePASS token ${t.serial}`);
  expect(revoked.text).toMatch(/From client address\s+[0-9a-f:.]+\s/i);
  expect(revoked.text).toMatch(/When\s+\d{1,2} \w{3} \d{4}, \d{2}:\d{2}:\d{2} UTC/);
  expect(revoked.text).toMatch(/contact your administrator/i);
});

test("a transition another admin made meanwhile is refused with SafeNet's sentence", async ({ page }) => {
  const t = await userWithToken("race");
  const region = await openToken(page, t);
  await tms(`/tokens/${t.serial}/revoke`, { json: {} });

  await confirmAction(region, "Suspend", "Confirm suspend");
  await expect(region.getByRole("status")).toHaveText("This token is Lost. Only an Assigned, Active or Locked token can be suspended.");
  await expect(stateOf(region)).toHaveText("Lost");
  await expect(region.getByRole("button", { name: "Suspend", exact: true })).toHaveCount(0);
  expect(portalEvents("admin.token.suspend", t.serial)).toMatchObject([{ result: "failure" }]);
});

test("search finds a user and the cursor pages through the results", async ({ page }) => {
  const prefix = uniqueSam("list");
  const upns = [];
  for (const s of ["a", "b", "c"]) upns.push(await createUser(`${prefix}${s}`));
  await activeEventToken(upns[0]);

  await page.goto("/admin/users");
  await page.getByRole("searchbox", { name: "Search users" }).fill(prefix);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`search=${prefix}`));
  await expect(page.getByRole("status")).toHaveText("3 users on this page.");
  const row = page.getByRole("row", { name: new RegExp(upns[0]) });
  await expect(row.getByRole("cell").nth(1)).toHaveText("Yes");
  await expect(row.getByRole("cell").nth(2)).toContainText("Active");
  await expect(page.getByRole("row", { name: new RegExp(upns[1]) }).getByRole("cell").nth(1)).toHaveText("No");

  await page.goto(`/admin/users?search=${prefix}&limit=2`);
  await expect(page.getByRole("status")).toHaveText("2 users on this page; more on the next page.");
  await expect(page.getByRole("link", { name: "First page" })).toHaveCount(0);
  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(new RegExp(`cursor=${encodeURIComponent(upns[1])}`));
  await expect(page.getByRole("status")).toHaveText("1 user on this page.");
  await expect(page.getByRole("link", { name: upns[2] })).toBeVisible();
  await expect(page.getByRole("link", { name: "Next page" })).toHaveCount(0);
  await page.getByRole("link", { name: "First page" }).click();
  await expect(page.getByRole("link", { name: upns[0] })).toBeVisible();

  await page.getByRole("link", { name: upns[0] }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`E2E ${prefix}a`);

  await page.goto(`/admin/users?search=${prefix}zzz`);
  await expect(page.getByRole("status")).toContainText(`No user’s name or display name starts with “${prefix}zzz”`);
});

test("the users list and a user's page have no serious accessibility violations", async ({ page }) => {
  const t = await userWithToken("axe");
  await page.goto(`/admin/users?search=${t.upn.split("@")[0]}`);
  await expectNoSeriousViolations(page);
  const region = await openToken(page, t);
  await region.getByRole("button", { name: "Reset PIN" }).click();
  await expectNoSeriousViolations(page);
});

/** Signs `upn` in with password and PIN + OTP through the portal's endpoints, as global-setup does. */
async function signIn(upn: string, passcode: string) {
  const ctx = await playwrightRequest.newContext({ baseURL: PORTAL_URL });
  const csrf = async () => ((await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
  await ctx.post("/api/auth/callback/credentials", { form: { csrfToken: await csrf(), username: upn, password: "E2e!Passw0rd", json: "true" } });
  await ctx.post("/api/auth/callback/otp", { form: { csrfToken: await csrf(), passcode, json: "true" } });
  const session = (await (await ctx.get("/api/auth/session")).json()) as { user?: { mfa?: string } };
  expect(session.user?.mfa).toBe("done");
  return ctx;
}
