import { expect, test, type Page } from "./support/fixtures";
import { csrf, httpSignIn } from "./support/http-session";
import { createUser, nextPasscode, PORTAL_URL, tms, tokenInState, type ArrangedState } from "./support/stack";
import { fillCredentials } from "./support/ui";

// The attacker knows a user's domain password and nothing else. Each test plays one way in that
// was once open, through the browser or over HTTP, and fails if it opens again.

const PASSWORD = "Attack!Passw0rd";
let n = 0;
const victim = async (what: string, state: ArrangedState) => {
  const upn = await createUser(`e2eatk${what}${Date.now() % 1_000_000}${n++}`, [], PASSWORD);
  return { upn, token: await tokenInState(upn, state) };
};

async function expectNoSession(page: Page) {
  const session = (await (await page.request.get("/api/auth/session")).json()) as { user?: unknown };
  expect(session.user).toBeUndefined();
  for (const path of ["/token", "/enroll", "/connect", "/mailbox"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/login/);
  }
}

test.describe("a blocked token gives no session", () => {
  test("locked: SafeNet's message with when the lock ends, and no way to report it lost or enroll another", async ({ page }) => {
    const { upn } = await victim("lock", "Locked");
    await fillCredentials(page, upn, PASSWORD);
    await expect(page.locator("#login-error")).toContainText(/User's token is locked\. It unlocks by itself at \d\d:\d\d UTC/);
    await expectNoSession(page);
    const user = await tms<{ tokens: { state: string }[] }>(`/repositories/corp.local/users/${upn}`);
    expect(user.tokens.map((t) => t.state)).toEqual(["Locked"]);
  });

  test("suspended: SafeNet's message and no session", async ({ page }) => {
    const { upn } = await victim("susp", "Suspended");
    await fillCredentials(page, upn, PASSWORD);
    await expect(page.locator("#login-error")).toContainText("User's token is suspended.");
    await expectNoSession(page);
  });

  test("over HTTP too: the credentials callback refuses and sets no session", async () => {
    for (const state of ["Locked", "Suspended"] as const) {
      const { upn } = await victim(`http${state}`, state);
      const { ctx, error, session } = await httpSignIn(upn, PASSWORD);
      expect(error).toMatch(/^User's token is (locked|suspended)\./);
      expect(session.user).toBeUndefined();
      await ctx.dispose();
    }
  });
});

test("an active token: the password alone opens nothing but the OTP step", async () => {
  const { upn } = await victim("active", "Active");
  const { ctx, session } = await httpSignIn(upn, PASSWORD);
  expect(session.user?.mfa).toBe("pending");
  for (const path of ["/token", "/enroll", "/connect", "/mailbox", "/admin"]) {
    const res = await ctx.get(path, { maxRedirects: 0 });
    expect(res.headers()["location"] ?? "", path).toMatch(/^\/login\/otp/);
  }
  await ctx.dispose();
});

test("a password-only session can do nothing but New Account Info, its mailbox and sign-out", async ({ page }) => {
  const { upn } = await victim("none", "none");
  await fillCredentials(page, upn, PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "New Account Info" })).toBeVisible();
  for (const path of ["/token", "/connect", "/admin", "/admin/users"]) {
    await page.goto(path);
    await expect(page, path).toHaveURL(/\/enroll$/);
  }
  await page.goto("/mailbox");
  await expect(page.getByRole("heading", { level: 1, name: "Demo mailbox" })).toBeVisible();
  await page.goto("/enroll");
  await expect(page.getByRole("heading", { level: 1, name: "New Account Info" })).toBeVisible();
  const res = await page.request.get("/api/admin/events.csv", { maxRedirects: 0 });
  expect(res.status()).toBe(403);
});

test("a token waiting for activation lets the password-only session continue that activation and nothing more", async ({ page }) => {
  const { upn, token } = await victim("assigned", "Assigned");
  await fillCredentials(page, upn, PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "New Account Info" })).toBeVisible();
  await page.goto("/enroll");
  await expect(page.getByRole("heading", { name: /Step 2 of 3/ })).toBeVisible();
  await expect(page.getByText(token!.serial).first()).toBeVisible();
  await page.goto("/token");
  await expect(page).toHaveURL(/\/enroll$/);
});

test.describe("sessions end when they should", () => {
  async function memberSignedIn(page: Page, what: string) {
    const { upn } = await victim(what, "Active");
    await fillCredentials(page, upn, PASSWORD);
    await page.getByLabel("Passcode (PIN + one-time password)").fill(nextPasscode(upn));
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("heading", { name: /^Signed in as/ })).toBeVisible();
    return upn;
  }

  /** Reloads My token until the session is refused; returns how long that took. */
  async function secondsUntilRefused(page: Page): Promise<number> {
    const start = Date.now();
    await expect(async () => {
      await page.goto("/token");
      await expect(page).toHaveURL(/\/login/);
    }).toPass({ timeout: 60_000, intervals: [1_000] });
    return (Date.now() - start) / 1000;
  }

  for (const change of ["revoke", "suspend"] as const) {
    test(`a token ${change === "revoke" ? "revoked" : "suspended"} through the TMS API ends the user's sessions within 60 s`, async ({ page }) => {
      const upn = await memberSignedIn(page, change);
      const user = await tms<{ tokens: { serial: string }[] }>(`/repositories/corp.local/users/${upn}`);
      await tms(`/tokens/${user.tokens[0].serial}/${change}`, { json: {} });
      expect(await secondsUntilRefused(page)).toBeLessThan(60);
    });
  }

  test("an administrator removed from RAS Admins loses the console", async ({ page }) => {
    const sam = `e2eatkadm${Date.now() % 1_000_000}`;
    const upn = await createUser(sam, ["RAS Admins"], PASSWORD);
    await tokenInState(upn, "Active");
    await fillCredentials(page, upn, PASSWORD);
    await page.getByLabel("Passcode (PIN + one-time password)").fill(nextPasscode(upn));
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("heading", { name: /^Signed in as/ })).toBeVisible();
    await page.goto("/admin");
    await expect(page.getByRole("heading", { name: "Admin console" })).toBeVisible();
    // The directory changes behind the portal's back, as another tool would change it.
    await tms(`/repositories/corp.local/users/${upn}`, { method: "PATCH", json: { groups: [] } });
    await expect(async () => {
      await page.goto("/admin");
      await expect(page).toHaveURL(/\/denied$/);
    }).toPass({ timeout: 60_000, intervals: [1_000] });
  });

  test("a session cookie replayed after sign-out is refused", async ({ page, browser }) => {
    await memberSignedIn(page, "replay");
    const stolen = await page.context().storageState();
    await page.getByRole("navigation", { name: "Account" }).getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    const replay = await browser.newContext({ storageState: stolen });
    const again = await replay.newPage();
    await again.goto(`${PORTAL_URL}/token`);
    await expect(again).toHaveURL(/\/login/);
    const session = (await (await again.request.get(`${PORTAL_URL}/api/auth/session`)).json()) as { user?: unknown };
    expect(session.user).toBeUndefined();
    await replay.close();
  });
});

test("40 parallel wrong passwords for one account: at most 5 reach SafeNet", async ({ playwright }) => {
  const upn = await createUser(`e2eatkguess${Date.now() % 1_000_000}`, [], PASSWORD);
  const sam = upn.split("@")[0];
  const contexts = await Promise.all(Array.from({ length: 40 }, () => playwright.request.newContext({ baseURL: PORTAL_URL })));
  const tokens = await Promise.all(contexts.map((ctx) => csrf(ctx)));
  await Promise.all(
    contexts.map((ctx, i) =>
      ctx.post("/api/auth/callback/credentials", { form: { csrfToken: tokens[i], username: i % 2 ? sam : `CORP\\${sam}`, password: `Wrong!${i}`, json: "true" } }),
    ),
  );
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
  // The simulator files a failed password under the UPN, whichever spelling was typed.
  const { events } = await tms<{ events: unknown[] }>(`/events?type=directory.authenticate&user=${encodeURIComponent(upn)}&limit=100`);
  const reached = events.length;
  expect(reached).toBeGreaterThan(0);
  expect(reached).toBeLessThanOrEqual(5);
});
