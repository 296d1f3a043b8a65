import { expect, test, type Page } from "./support/fixtures";
import Database from "better-sqlite3";
import path from "node:path";
import { ADMIN_STATE, E2E_DIR } from "./support/stack";

// An entry that changes nothing (already covered by another) or matches nobody (a user or group the
// directory does not know) is added only after "Add anyway", and the message says why.

test.use({ storageState: ADMIN_STATE });

type List = "Users and groups" | "Client IP addresses" | "Client MAC addresses";
const ADD_LABELS: Record<List, string> = {
  "Users and groups": "Add a user or group",
  "Client IP addresses": "Add a client IP address, range or network",
  "Client MAC addresses": "Add a client MAC address or pattern",
};
const list = (page: Page, name: List) => page.getByRole("region", { name, exact: true });

// Whatever this spec adds goes again: other specs share the rules.
test.afterAll(() => {
  const d = new Database(path.join(E2E_DIR, "portal.sqlite"), { fileMustExist: true });
  d.prepare("DELETE FROM exclusion_rules WHERE value IN ('10.77.0.0/16', '10.77.1.5', '00-77-??-??-??-??', '00-77-01-02-03-04', 'No Such Group')").run();
  d.close();
});

async function tryAdd(page: Page, name: List, typed: string) {
  const section = list(page, name);
  await section.getByLabel(ADD_LABELS[name]).fill(typed);
  await section.getByRole("button", { name: "Add", exact: true }).click();
  return section;
}

async function warnedThenAdded(page: Page, name: List, typed: string, why: RegExp) {
  const section = await tryAdd(page, name, typed);
  await expect(section.getByLabel(ADD_LABELS[name])).toHaveAccessibleDescription(why);
  await expect(section.getByRole("listitem").filter({ hasText: typed })).toHaveCount(0);
  await section.getByRole("checkbox", { name: "Add anyway" }).check();
  await section.getByRole("button", { name: "Add", exact: true }).click();
  await expect(section).toContainText(`Added ${typed} to the`);
}

test("an address or MAC another entry covers needs Add anyway, and the message names that entry", async ({ page }) => {
  await page.goto("/admin/exclusions");
  await expect(list(page, "Client IP addresses").getByRole("checkbox", { name: "Add anyway" })).toHaveCount(0);
  await tryAdd(page, "Client IP addresses", "10.77.0.0/16");
  await expect(list(page, "Client IP addresses")).toContainText("Added 10.77.0.0/16 to the");
  await warnedThenAdded(page, "Client IP addresses", "10.77.1.5", /10\.77\.1\.5 is already covered by 10\.77\.0\.0\/16 in this list/);

  await tryAdd(page, "Client MAC addresses", "00-77-??-??-??-??");
  await expect(list(page, "Client MAC addresses")).toContainText("Added 00-77-??-??-??-?? to the");
  await warnedThenAdded(page, "Client MAC addresses", "00-77-01-02-03-04", /already covered by 00-77-\?\?-\?\?-\?\?-\?\? in this list/);
});

test("a user or group the directory does not know needs Add anyway", async ({ page }) => {
  await page.goto("/admin/exclusions");
  const section = await tryAdd(page, "Users and groups", "nobody@corp.local");
  await expect(section.getByLabel(ADD_LABELS["Users and groups"])).toHaveAccessibleDescription(/The directory corp\.local has no user nobody@corp\.local/);
  await expect(section.getByRole("checkbox", { name: "Add anyway" })).toBeVisible();

  await warnedThenAdded(page, "Users and groups", "No Such Group", /The directory corp\.local has no group “No Such Group”/);
});
