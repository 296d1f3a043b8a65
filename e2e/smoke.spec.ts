import { expect, test } from "./support/fixtures";
import { SAFENET_URL } from "./support/stack";

const safenetHealth = `${SAFENET_URL}/health`;

test("the SafeNet simulator answers its health check", async ({ request }) => {
  const response = await request.get(safenetHealth);
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok", service: "safenet-simulator" });
});

test("the portal answers its health check with a migrated database", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok", service: "portal", database: "ok" });
});

test("the home page names the product and shows the configured SafeNet services are up", async ({ page, request }) => {
  const { version } = (await (await request.get(safenetHealth)).json()) as { version: string };

  await page.goto("/");

  await expect(page.getByRole("banner")).toContainText("SafeNet Login portal");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("main")).toContainText(`OTP service: up, version ${version}`);
  await expect(page.getByRole("main")).toContainText(`TMS Web API: up, version ${version}`);
});

test("the skip link moves focus to the main content", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to main content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("main")).toBeFocused();
});

test("the home page does not scroll sideways at 375 px, long service URLs included", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto("/");
  await expect(page.getByRole("main")).toContainText("TMS Web API: up");
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
});
