import { expect, test, type Browser, type Page } from "./support/fixtures";
import { ADMIN_STATE } from "./support/stack";
import { expectNoSeriousViolations } from "./support/a11y";

// Exclusion rules and the Test a connection panel, seen by an administrator. Every entry this spec
// adds is removed again and the default put back, since other specs share the stack.

test.use({ storageState: ADMIN_STATE });

type List = "Users and groups" | "Client IP addresses" | "Client MAC addresses" | "Gateway IP addresses";
const ADD_LABELS: Record<List, string> = {
  "Users and groups": "Add a user or group",
  "Client IP addresses": "Add a client IP address, range or network",
  "Client MAC addresses": "Add a client MAC address or pattern",
  "Gateway IP addresses": "Add a gateway IP address, range or network",
};
/** Everything this spec may leave behind, as shown (normalised). */
const ADDED: [List, string][] = [
  ["Client IP addresses", "10.20.0.0/16"],
  ["Client IP addresses", "10.20.30.1-10.20.30.50"],
  ["Client IP addresses", "2001:db8::/32"],
  ["Client MAC addresses", "00-14-22-01-??-??"],
  ["Gateway IP addresses", "192.0.2.10"],
  ["Users and groups", "MFA Exempt"],
  ["Users and groups", "dave@corp.local"],
];
const OUTCOMES = { allow: "Allow without MFA", enroll: "Enroll a token (New Account Info)" };

const list = (page: Page, name: List) => page.getByRole("region", { name, exact: true });

async function add(page: Page, name: List, typed: string, shown: string) {
  const section = list(page, name);
  await section.getByLabel(ADD_LABELS[name]).fill(typed);
  await section.getByRole("button", { name: "Add", exact: true }).click();
  await expect(section).toContainText(`Added ${shown} to the`);
  await expect(section.getByRole("list")).toContainText(shown);
  await expect(section.getByLabel(ADD_LABELS[name])).toHaveValue("");
}

async function refused(page: Page, name: List, typed: string, why: RegExp) {
  const section = list(page, name);
  const field = section.getByLabel(ADD_LABELS[name]);
  await field.fill(typed);
  await section.getByRole("button", { name: "Add", exact: true }).click();
  await expect(field).toHaveAccessibleDescription(why);
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toHaveValue(typed);
}

async function remove(page: Page, name: List, value: string) {
  const section = list(page, name);
  await section.getByRole("button", { name: `Remove ${value}`, exact: true }).click();
  const confirm = section.getByRole("button", { name: `Confirm removal of ${value}` });
  await expect(confirm).toBeFocused();
  await confirm.click();
  await expect(section).toContainText(`Removed ${value} from the`);
  await expect(section.getByRole("button", { name: `Remove ${value}`, exact: true })).toHaveCount(0);
}

async function saveDefaults(page: Page, mode: "all" | "none" | null, lists: Partial<Record<"client IP", boolean>> = {}) {
  const form = page.getByRole("form", { name: "Default and lists" });
  if (mode === "all") await form.getByLabel("Require MFA for all connections, except those listed below").check();
  if (mode === "none") await form.getByLabel("Require MFA for no connection, except those listed below").check();
  for (const [name, on] of Object.entries(lists)) await form.getByLabel(`Use the ${name} list`).setChecked(on);
  await form.getByRole("button", { name: "Save default and lists" }).click();
  await expect(form.getByRole("status")).toContainText(/Saved|Nothing to save/);
}

/** Runs Test a connection and returns the Decision region once the new answer is shown. */
async function testConnection(page: Page, c: { user: string; ip?: string; mac?: string; gateway?: string }) {
  const panel = page.getByRole("region", { name: "Test a connection" });
  await panel.getByLabel("User", { exact: true }).fill(c.user);
  await panel.getByLabel("Client IP address").fill(c.ip ?? "");
  await panel.getByLabel("Client MAC address").fill(c.mac ?? "");
  await panel.getByLabel("Gateway IP address").fill(c.gateway ?? "");
  await panel.getByRole("button", { name: "Test connection" }).click();
  const decision = panel.getByRole("region", { name: "Decision" });
  await expect(decision).not.toContainText("Testing the connection");
  await expect(decision).toHaveAttribute("aria-busy", "false");
  return decision;
}

async function cleanUp(browser: Browser) {
  const context = await browser.newContext({ storageState: ADMIN_STATE });
  const page = await context.newPage();
  await page.goto("/admin/exclusions");
  for (const [name, value] of ADDED) {
    if (await list(page, name).getByRole("button", { name: `Remove ${value}`, exact: true }).count()) await remove(page, name, value);
  }
  await saveDefaults(page, "all", { "client IP": true });
  await context.close();
}

test.afterAll(async ({ browser }) => cleanUp(browser));

test("each kind of exclusion changes what Test a connection answers", async ({ page }) => {
  await page.goto("/admin/exclusions");
  await expect(page.getByRole("heading", { level: 1, name: "Exclusions" })).toBeVisible();

  await test.step("without rules, alice (no token) from 10.20.30.40 is sent to enroll", async () => {
    const decision = await testConnection(page, { user: "alice@corp.local", ip: "10.20.30.40" });
    await expect(decision).toContainText(OUTCOMES.enroll);
    await expect(decision).toContainText("Provider SafeNet; mode “Create token for Domain Authenticated Users”");
    await expect(decision.getByRole("list")).toContainText("Client IP rule matches: no. Client IP 10.20.30.40 is in no client IP rule.");
  });

  await test.step("a CIDR block excludes her, and the shown answer says it is out of date", async () => {
    await add(page, "Client IP addresses", "10.20.0.0/16", "10.20.0.0/16");
    await expect(page.getByRole("region", { name: "Decision" })).toContainText("The rules or settings changed after this test");
    const decision = await testConnection(page, { user: "CORP\\alice", ip: "10.20.30.40" });
    await expect(decision).toContainText(OUTCOMES.allow);
    await expect(decision).toContainText("Excluded from MFA by 10.20.0.0/16 in the Client IP addresses list.");
    await expect(decision.getByRole("list")).toContainText("Client IP rule matches: yes. Client IP 10.20.30.40 is in 10.20.0.0/16");
    await expect(decision).not.toContainText("changed after this test");
  });

  await test.step("switching the client IP list off sends her to enroll again", async () => {
    await saveDefaults(page, null, { "client IP": false });
    await expect(list(page, "Client IP addresses")).toContainText("This list is switched off");
    const decision = await testConnection(page, { user: "alice", ip: "10.20.30.40" });
    await expect(decision).toContainText(OUTCOMES.enroll);
    await expect(decision.getByRole("list")).toContainText("The client IP list is switched off.");
    await saveDefaults(page, null, { "client IP": true });
  });

  await test.step("a range decides once the block is removed", async () => {
    const section = list(page, "Client IP addresses");
    const removeButton = section.getByRole("button", { name: "Remove 10.20.0.0/16", exact: true });
    await removeButton.focus();
    await page.keyboard.press("Enter");
    await expect(section.getByRole("button", { name: "Confirm removal of 10.20.0.0/16" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(removeButton).toBeFocused();
    await remove(page, "Client IP addresses", "10.20.0.0/16");
    await add(page, "Client IP addresses", "10.20.30.1 - 10.20.30.50", "10.20.30.1-10.20.30.50");
    const decision = await testConnection(page, { user: "alice@corp.local", ip: "10.20.30.40" });
    await expect(decision).toContainText(OUTCOMES.allow);
    await expect(decision).toContainText("Excluded from MFA by 10.20.30.1-10.20.30.50 in the Client IP addresses list.");
  });

  await test.step("an IPv6 block, typed in upper case, is shown normalised and matches", async () => {
    await add(page, "Client IP addresses", "2001:DB8:0::/32", "2001:db8::/32");
    const decision = await testConnection(page, { user: "alice@corp.local", ip: "2001:db8::5" });
    await expect(decision).toContainText(OUTCOMES.allow);
    await expect(decision).toContainText("Excluded from MFA by 2001:db8::/32 in the Client IP addresses list.");
  });

  await test.step("a wildcard MAC pattern matches a client MAC in colon notation", async () => {
    await add(page, "Client MAC addresses", "00:14:22:01:??:??", "00-14-22-01-??-??");
    const decision = await testConnection(page, { user: "alice@corp.local", ip: "192.0.2.99", mac: "00:14:22:01:aa:bb" });
    await expect(decision).toContainText(OUTCOMES.allow);
    await expect(decision).toContainText("Excluded from MFA by 00-14-22-01-??-?? in the Client MAC addresses list.");
    await expect(decision.getByRole("list")).toContainText("Client MAC 00-14-22-01-AA-BB matches 00-14-22-01-??-??");
  });

  await test.step("a gateway address matches", async () => {
    await add(page, "Gateway IP addresses", "192.0.2.10", "192.0.2.10");
    const decision = await testConnection(page, { user: "alice@corp.local", ip: "198.51.100.7", gateway: "192.0.2.10" });
    await expect(decision).toContainText(OUTCOMES.allow);
    await expect(decision).toContainText("Excluded from MFA by 192.0.2.10 in the Gateway IP addresses list.");
  });

  await test.step("a group excludes its members, and a UPN its user", async () => {
    let decision = await testConnection(page, { user: "carol@corp.local", ip: "198.51.100.7" });
    await expect(decision).toContainText(OUTCOMES.enroll);
    await add(page, "Users and groups", "MFA Exempt", "MFA Exempt");
    decision = await testConnection(page, { user: "carol@corp.local", ip: "198.51.100.7" });
    await expect(decision).toContainText(OUTCOMES.allow);
    await expect(decision).toContainText("member of the group MFA Exempt");

    await add(page, "Users and groups", "Dave@Corp.Local", "dave@corp.local");
    decision = await testConnection(page, { user: "dave@corp.local", ip: "198.51.100.7" });
    await expect(decision).toContainText(OUTCOMES.allow);
    await expect(decision).toContainText("Excluded from MFA by dave@corp.local in the Users and groups list.");
  });

  await test.step("with MFA for no connection by default, a listed connection needs MFA and others do not", async () => {
    await saveDefaults(page, "none");
    let decision = await testConnection(page, { user: "alice@corp.local", ip: "198.51.100.7" });
    await expect(decision).toContainText(OUTCOMES.allow);
    await expect(decision).toContainText("No rule matched, and by default MFA applies to no connection.");
    decision = await testConnection(page, { user: "alice@corp.local", ip: "10.20.30.40" });
    await expect(decision).toContainText(OUTCOMES.enroll);
    await expect(decision).toContainText("MFA applies because of 10.20.30.1-10.20.30.50 in the Client IP addresses list.");
    await saveDefaults(page, "all");
  });

  await test.step("invalid and duplicate entries are refused with the reason next to the field", async () => {
    await refused(page, "Client IP addresses", "10.0.0.300", /has the octet 300; each IPv4 octet is a number from 0 to 255/);
    await refused(page, "Client IP addresses", "10.0.0.5/24", /10\.0\.0\.5\/24 has host bits set; did you mean 10\.0\.0\.0\/24\?/);
    await refused(page, "Client MAC addresses", "00-14-22-01-2?-00", /partly wild byte "2\?"/);
    await refused(page, "Client IP addresses", "10.20.30.1-10.20.30.50", /10\.20\.30\.1-10\.20\.30\.50 is already in the client IP list\.$/);
    await refused(page, "Users and groups", "mfa exempt", /mfa exempt is already in the users and groups list\.$/);
  });

  await test.step("an unknown user or a malformed address is named next to its field", async () => {
    const panel = page.getByRole("region", { name: "Test a connection" });
    await testConnection(page, { user: "nobody@corp.local" });
    await expect(panel.getByLabel("User", { exact: true })).toHaveAccessibleDescription(/SafeNet knows no user "nobody@corp\.local"/);
    await expect(panel.getByLabel("User", { exact: true })).toHaveValue("nobody@corp.local");
    await testConnection(page, { user: "alice@corp.local", ip: "10.0.0.300" });
    await expect(panel.getByLabel("Client IP address")).toHaveAccessibleDescription(/has the octet 300/);
    await expect(panel.getByLabel("Client IP address")).toHaveValue("10.0.0.300");
  });

  await test.step("the page with a decision shown has no serious or critical accessibility problems", async () => {
    const decision = await testConnection(page, { user: "carol@corp.local", ip: "198.51.100.7" });
    await expect(decision).toContainText(OUTCOMES.allow);
    await expectNoSeriousViolations(page);
  });

  await test.step("removing everything and restoring the default leaves the lists as they were", async () => {
    for (const [name, value] of ADDED.slice(1)) await remove(page, name, value);
    const decision = await testConnection(page, { user: "alice@corp.local", ip: "10.20.30.40" });
    await expect(decision).toContainText(OUTCOMES.enroll);
  });
});
