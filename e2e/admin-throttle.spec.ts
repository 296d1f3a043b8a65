import { expect, test } from "./support/fixtures";
import Database from "better-sqlite3";
import path from "node:path";
import { ADMIN, ADMIN_STATE, createUser, E2E_DIR } from "./support/stack";
import { fillCredentials } from "./support/ui";

// A user who mistyped their password five times is blocked for 15 minutes; the message tells them an
// administrator can clear it, and the user's page in the console does.

const PASSWORD = "Throttle!Passw0rd";

test("an administrator sees a user's sign-in throttle and clears it", async ({ page, browser }) => {
  const sam = `e2ethrottle${Date.now() % 1_000_000}`;
  const upn = await createUser(sam, [], PASSWORD);
  for (let i = 0; i < 5; i++) {
    await fillCredentials(page, sam, "wrong-password");
    await expect(page.locator("#login-error")).not.toBeEmpty();
  }
  await fillCredentials(page, sam, PASSWORD);
  await expect(page.locator("#login-error")).toContainText("or ask an administrator to clear the block");

  const admin = await browser.newPage({ storageState: ADMIN_STATE });
  await admin.goto(`/admin/users/${encodeURIComponent(upn)}`);
  const panel = admin.getByRole("region", { name: "Sign-in throttle" });
  await expect(panel).toContainText("5 failed sign-ins counted");
  await expect(panel).toContainText("Sign-in is blocked until");
  await panel.getByRole("button", { name: "Clear sign-in throttle" }).click();
  await expect(panel.getByRole("status")).toHaveText(`Cleared: ${upn} may sign in again at once.`);
  await expect(panel).toContainText(`No failed sign-ins counted for ${upn}.`);

  const d = new Database(path.join(E2E_DIR, "portal.sqlite"), { readonly: true, fileMustExist: true });
  const event = d.prepare("SELECT actor, detail FROM events WHERE type = 'admin.throttle-cleared' AND user = ?").get(upn) as { actor: string; detail: string };
  d.close();
  expect(event.actor).toBe(ADMIN.upn);
  expect(JSON.parse(event.detail)).toEqual({ failures: 5, wasBlocked: true });

  // Nothing left to clear says so.
  await panel.getByRole("button", { name: "Clear sign-in throttle" }).click();
  await expect(panel.getByRole("status")).toHaveText(`${upn} has no failed sign-ins to clear.`);
  await admin.close();

  await fillCredentials(page, sam, PASSWORD);
  await expect(page.locator("#login-error")).toBeEmpty();
  await expect(page).not.toHaveURL(/\/login(\?|$)/);
});
