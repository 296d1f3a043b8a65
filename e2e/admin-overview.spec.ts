import { expect, test } from "./support/fixtures";
import { expectNoSeriousViolations } from "./support/a11y";
import { ADMIN_STATE, createUser, tms, tokenInState } from "./support/stack";

// The admin home is an overview drawn from SafeNet's repository summary and the portal's events,
// with the tokens locked now and an Unlock button for each.

test.use({ storageState: ADMIN_STATE });

interface Summary {
  users: number;
  accounts: number;
  usersWithActiveToken: number;
  tokensByState: Record<string, number>;
}

const summary = () => tms<Summary>("/repositories/corp.local/summary");

test("the figures are SafeNet's: users, accounts, enrollment and tokens by state", async ({ page }) => {
  await createUser(`overview${Date.now().toString(36)}`);
  await page.goto("/admin");
  await expect(page.getByRole("heading", { level: 1, name: "Admin console" })).toBeVisible();
  const s = await summary();
  const tiles = page.getByRole("list", { name: "Users and tokens" }).getByRole("listitem");
  await expect(tiles.filter({ hasText: "users in corp.local" })).toContainText(s.users.toLocaleString("en"));
  await expect(tiles.filter({ hasText: "SafeNet accounts" })).toContainText(s.accounts.toLocaleString("en"));
  await expect(tiles.filter({ hasText: "enrolled" })).toContainText(`${s.usersWithActiveToken} of ${s.users} users have an Active token`);
  const progress = page.getByRole("progressbar");
  await expect(progress).toHaveAttribute("value", String(s.usersWithActiveToken));
  await expect(progress).toHaveAttribute("max", String(s.users));
  const states = page.getByRole("table", { name: "Tokens by state" });
  for (const [state, n] of Object.entries(s.tokensByState)) {
    await expect(states.locator(`td[data-label="${state}"]`)).toHaveText(n.toLocaleString("en"));
  }
  await expect(page.getByRole("heading", { name: "The last 24 hours" })).toBeVisible();
  await expect(page.getByRole("img", { name: /^Bar chart: \d+ successful and \d+ failed validations/ })).toBeVisible();
  await expectNoSeriousViolations(page);
});

test("a locked token is listed with an Unlock button that unlocks it", async ({ page }) => {
  const upn = await createUser(`locked${Date.now().toString(36)}`);
  const token = await tokenInState(upn, "Locked");
  await page.goto("/admin");
  const locked = page.getByRole("table", { name: "Locked tokens" });
  const row = locked.getByRole("row").filter({ hasText: token!.serial });
  await expect(row).toContainText(upn);
  await row.getByRole("button", { name: `Unlock token ${token!.serial} of ${upn}` }).click();
  await expect(page.getByRole("status").filter({ hasText: "unlocked" })).toHaveText(
    `Token ${token!.serial} is unlocked and its failure count is zero. ${upn} was told by email.`,
  );
  // The list follows at once: the row goes, the answer stays.
  await expect(page.getByRole("row").filter({ hasText: token!.serial })).toHaveCount(0);
  expect((await tms<{ state: string }>(`/tokens/${token!.serial}`)).state).toBe("Active");
});
