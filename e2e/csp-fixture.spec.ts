import { test } from "./support/fixtures";

// The shared fixture must be able to fail: a page whose CSP does not match its scripts' nonce
// reports violations, and the fixture turns them into a failed test (expected here).

test("a CSP violation in the browser fails the test", async ({ page }) => {
  test.fail(true, "the fixture must fail a test whose page violates its CSP");
  await page.route("**/login", async (route) => {
    const response = await route.fetch();
    const headers = response.headers();
    headers["content-security-policy"] = headers["content-security-policy"].replace(/'nonce-[^']+'/, "'nonce-not-the-pages'");
    await route.fulfill({ response, headers });
  });
  await page.goto("/login");
  await page.waitForLoadState("load");
});
