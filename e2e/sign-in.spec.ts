import { expect, test, type Page } from "./support/fixtures";
import { ADMIN, activeEventToken, createUser, EMPLOYEE, MEMBER_STATE, nextPasscode } from "./support/stack";
import { expectNoSeriousViolations } from "./support/a11y";
import { fillCredentials } from "./support/ui";

// Sign-in as the Parallels Client would do it: domain credentials, then PIN + OTP for users
// with an active token.

test("an employee without a token signs in with CORP\\name and is sent to New Account Info, not the admin console", async ({ page }) => {
  await fillCredentials(page, "CORP\\alice", EMPLOYEE.password);
  await expect(page).toHaveURL(/\/enroll$/);
  await expect(page.getByText("Enroll your SafeNet token, Alice Andersen.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Admin console" })).toHaveCount(0);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/enroll$/);
});

test.describe("an employee signed in with PIN + OTP", () => {
  test.use({ storageState: MEMBER_STATE });
  test("is not let into the admin console", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("link", { name: "Admin console" })).toHaveCount(0);
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/denied$/);
    await expect(page.getByRole("heading", { name: "Administrators only" })).toBeVisible();
  });
});

test("an administrator passes PIN + OTP and reaches the admin console", async ({ page }) => {
  await fillCredentials(page, "bob", ADMIN.password);
  await expect(page).toHaveURL(/\/login\/otp(\?|$)/);
  await expectNoSeriousViolations(page);
  // Until the second step is done the session does not count as signed in.
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/login\/otp(\?|$)/);
  await page.getByLabel("Passcode (PIN + one-time password)").fill("4089000000");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator("#passcode-error")).toContainText("SafeNet authentication failed.");
  await page.getByLabel("Passcode (PIN + one-time password)").fill(nextPasscode(ADMIN.upn));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: /Signed in as Bob/ })).toBeVisible();
  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Admin console" }).click();
  await expect(page.getByRole("heading", { name: "Admin console" })).toBeVisible();
  await expect(page.getByText("Signed in as bob@corp.local with PIN and one-time password.")).toBeVisible();
  await expectNoSeriousViolations(page);
});

test("a wrong password and an unknown user get the same answer, and the user name is kept", async ({ page }) => {
  await fillCredentials(page, "alice@corp.local", "not-her-password");
  const alert = page.locator("#login-error");
  await expect(alert).toHaveText("The user name or password is not right. Check them and try again.");
  await expect(page.getByLabel("User name")).toHaveValue("alice@corp.local");
  await expect(page.getByLabel("Password")).toHaveValue("");
  await fillCredentials(page, "nobody-at-all@corp.local", "whatever");
  await expect(alert).toHaveText("The user name or password is not right. Check them and try again.");
  await expectNoSeriousViolations(page);
});

test("empty fields are named next to the field", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter your user name.")).toBeVisible();
  await expect(page.getByText("Enter your password.")).toBeVisible();
  await expect(page.getByLabel("User name")).toHaveAttribute("aria-invalid", "true");
});

test("repeated failures block the account, whatever spelling of its name, even with the right password", async ({ page }) => {
  const sam = `throttled${Date.now() % 100000}`;
  await createUser(sam, [], "Right!Passw0rd");
  for (const name of [sam, `CORP\\${sam}`, `${sam}@corp.local`, sam, sam.toUpperCase()]) {
    await fillCredentials(page, name, "wrong-password");
    await expect(page.locator("#login-error")).not.toBeEmpty();
  }
  await fillCredentials(page, sam, "Right!Passw0rd");
  await expect(page.locator("#login-error")).toContainText("Too many failed sign-ins. Wait 15 minutes and try again");
});

test("a user with an active token cannot skip the OTP step", async ({ page }) => {
  const upn = await createUser(`otpuser${Date.now() % 100000}`, [], "Otp!Passw0rd1");
  await activeEventToken(upn);
  await fillCredentials(page, upn, "Otp!Passw0rd1");
  await expect(page).toHaveURL(/\/login\/otp(\?|$)/);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /Signed in as/ })).toHaveCount(0);
  await page.goto("/login/otp");
  await page.getByLabel("Passcode (PIN + one-time password)").fill(nextPasscode(upn));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: /Signed in as E2E/ })).toBeVisible();
});

test("nobody is sent to sign in from the admin console", async ({ page }) => {
  await page.goto("/admin/events");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fadmin%2Fevents$/);
  await expectNoSeriousViolations(page);
});

/**
 * Holds the page's scripts back until the returned function is called: the page is shown from the
 * server's HTML and stays unhydrated, as it is for a moment on a slow connection.
 */
async function holdScripts(page: Page): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/_next\/static\/.+\.js(\?|$)/, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

test("what is typed before the page is ready is neither sent by the browser nor lost", async ({ page }) => {
  const release = await holdScripts(page);
  const visited: string[] = [];
  const loads: string[] = [];
  page.on("request", (request) => {
    visited.push(request.url());
    if (request.isNavigationRequest()) loads.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  await page.goto("/login", { waitUntil: "domcontentloaded" });
  await page.getByLabel("User name").fill("bob");
  await page.getByLabel("Password").fill(ADMIN.password);
  // Until React runs, Sign in is disabled, so neither a click nor Enter makes the browser submit the form itself.
  await expect(page.getByRole("button", { name: "Sign in" })).toBeDisabled();
  await page.getByLabel("Password").press("Enter");
  release();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  expect(loads, "the browser submitted the form on its own").toEqual(["GET /login"]);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login\/otp(\?|$)/);

  // The same on the OTP step: the passcode filled in before hydration is the one sent.
  const releaseOtp = await holdScripts(page);
  await page.reload({ waitUntil: "domcontentloaded" });
  await page.getByLabel("Passcode (PIN + one-time password)").fill(nextPasscode(ADMIN.upn));
  await expect(page.getByRole("button", { name: "Continue" })).toBeDisabled();
  releaseOtp();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: /^Signed in as/ })).toBeVisible();
  expect(visited.filter((url) => url.includes(encodeURIComponent(ADMIN.password)) || /[?&](password|passcode)=/.test(url))).toEqual([]);
});
