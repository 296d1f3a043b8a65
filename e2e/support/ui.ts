import type { Page } from "@playwright/test";

// The portal's sign-in form, filled as a person would.
export async function fillCredentials(page: Page, username: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("User name").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
