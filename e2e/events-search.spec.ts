import { expect, test, type Page } from "./support/fixtures";
import { httpSignIn } from "./support/http-session";
import { ADMIN_STATE, createUser } from "./support/stack";

// A failed sign-in typed as `CORP\name` or `name` is filed under the UPN, and every search accepts
// those spellings: the Events user filter and the Users search find the person by any of them.

test.use({ storageState: ADMIN_STATE });

let upn: string;
let sam: string;

test.beforeAll(async () => {
  upn = await createUser(`search${Date.now().toString(36)}`);
  sam = upn.split("@")[0];
  for (const username of [`CORP\\${sam}`, sam]) {
    const attempt = await httpSignIn(username, "Not-the-password1");
    expect(attempt.error).not.toBeNull();
    await attempt.ctx.dispose();
  }
});

const table = (page: Page) => page.getByRole("table", { name: /newest first/ });

async function filterEvents(page: Page, user: string) {
  await page.goto("/admin/events");
  await page.getByLabel("User").fill(user);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/user=/);
}

test("failed sign-ins typed as CORP\\name and name are found under the UPN, by the portal and by SafeNet", async ({ page }) => {
  await filterEvents(page, upn);
  const rows = table(page).locator("tbody tr");
  const portal = rows.filter({ hasText: "sign-in.password" });
  await expect(portal).toHaveCount(2);
  await expect(portal.first()).toContainText("failure");
  await expect(portal.first()).toContainText(`username: ${sam}`);
  await expect(portal.last()).toContainText(`username: corp\\${sam}`);
  await expect(rows.filter({ hasText: "directory.authenticate" })).toHaveCount(2);
});

for (const spelling of ["CORP\\", ""]) {
  test(`the events user filter reads ${spelling || "a bare "}name as the UPN`, async ({ page }) => {
    await filterEvents(page, `${spelling}${sam}`);
    await expect(table(page)).toHaveAccessibleName(`Events of ${upn}, newest first`);
    await expect(table(page).locator("tbody tr").filter({ hasText: "sign-in.password" })).toHaveCount(2);
  });
}

test("the Users search finds CORP\\name", async ({ page }) => {
  await page.goto("/admin/users");
  await page.getByLabel("Search users").fill(`CORP\\${sam}`);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("1 user on this page.")).toBeVisible();
  await expect(page.getByRole("link", { name: upn })).toBeVisible();
});
