import { expect, test, type Page } from "./support/fixtures";
import { ATTR, CODE } from "../lib/radius/packet";
import { ask, text } from "../test/integration/support/radius-client";
import { ADMIN, ADMIN_STATE, E2E, portalSql, tms } from "./support/stack";
import { expectNoSeriousViolations } from "./support/a11y";

// Auth nodes seen by an administrator: the simulator's first-start node, adding one (its secret
// shown once, and working: a RADIUS request from the node's address is answered under it), removing
// it (then its address is dropped), and the step-up both need. Every node this spec adds is removed.

test.use({ storageState: ADMIN_STATE });

const NODE_ADDRESS = "127.0.0.9";
let names: string[] = [];

const stepUpAt = (at: number) => portalSql("UPDATE portal_sessions SET step_up_at = ? WHERE upn = ? AND ended_at IS NULL", [at, ADMIN.upn]);

test.beforeEach(() => {
  // The administrator confirmed with PIN + OTP a moment ago, unless a test says otherwise.
  stepUpAt(Date.now());
});
test.afterEach(async () => {
  const { authNodes } = await tms<{ authNodes: { id: string; name: string }[] }>("/authnodes");
  for (const n of authNodes.filter((n) => names.includes(n.name))) await tms(`/authnodes/${n.id}`, { method: "DELETE" });
  names = [];
});

const nodeName = (prefix: string) => {
  const name = `${prefix}-${Date.now() % 1_000_000}`;
  names.push(name);
  return name;
};

async function fillAdd(page: Page, n: { name: string; address: string; secret?: string; requireMa?: boolean }) {
  await page.getByLabel("Name", { exact: true }).fill(n.name);
  await page.getByLabel("Address", { exact: true }).fill(n.address);
  if (n.secret !== undefined) await page.getByLabel("Shared secret (optional)").fill(n.secret);
  if (n.requireMa === false) await page.getByLabel("Message-Authenticator required").uncheck();
  await page.getByRole("button", { name: "Add node" }).click();
}

test("the list shows the first-start node; a node is added with its secret shown once, works, and is removed", async ({ page }) => {
  await page.goto("/admin/auth-nodes");
  const list = page.getByRole("list", { name: "Auth nodes" });
  await expect(list.getByRole("listitem").filter({ hasText: "localhost" })).toContainText("127.0.0.1");
  await expect(list.getByRole("listitem").filter({ hasText: "localhost" })).toContainText("Message-Authenticator required");
  await expect(page.getByLabel("Message-Authenticator required")).toBeChecked();
  await expectNoSeriousViolations(page);

  const name = nodeName("e2e-vpn");
  await fillAdd(page, { name, address: NODE_ADDRESS });
  const once = page.getByRole("region", { name: `Shared secret of ${name}` });
  await expect(once).toContainText("it will not be shown again");
  const secret = (await once.getByLabel(`Shared secret of ${name}`).textContent()) ?? "";
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await expect(once.getByRole("button", { name: "Copy the secret" })).toBeVisible();
  await expect(list.getByRole("listitem").filter({ hasText: name })).toContainText(NODE_ADDRESS);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("");
  await expectNoSeriousViolations(page);

  // The shown secret is the node's: SafeNet answers a request from its address signed with it.
  const answered = await ask(E2E.radiusPort, { username: "nobody@corp.local", password: "4089000000", secret, from: NODE_ADDRESS, waitMs: 2000 });
  expect(answered.response?.code).toBe(CODE.accessReject);
  expect(text(answered.response, ATTR.replyMessage)).toBe("SafeNet authentication failed.");

  // Gone after a reload, and nowhere in the page.
  await page.reload();
  await expect(list.getByRole("listitem").filter({ hasText: name })).toBeVisible();
  await expect(page.getByRole("region", { name: `Shared secret of ${name}` })).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);

  // The portal's event names the node, never its secret.
  const events = portalSql<{ detail: string }>("SELECT detail FROM events WHERE type = 'settings.authnode.add' AND actor = ? ORDER BY id DESC LIMIT 1", [ADMIN.upn]);
  expect(events[0].detail).toContain(name);
  expect(events[0].detail).not.toContain(secret);

  // Removed after a confirmation; its address is dropped from then on.
  await list.getByRole("button", { name: `Remove ${name}` }).click();
  const confirm = list.getByRole("button", { name: `Confirm removal of ${name}` });
  await expect(confirm).toBeFocused();
  await expect(confirm).toHaveClass(/danger/);
  await confirm.click();
  await expect(page.getByRole("status").filter({ hasText: `Removed the auth node ${name}` })).toBeVisible();
  await expect(list.getByRole("listitem").filter({ hasText: name })).toHaveCount(0);
  const dropped = await ask(E2E.radiusPort, { username: "nobody@corp.local", password: "4089000000", secret, from: NODE_ADDRESS, waitMs: 1000 });
  expect(dropped.response).toBeNull();
});

test("a refused add shows the sentence next to the field and never echoes the typed secret", async ({ page }) => {
  await page.goto("/admin/auth-nodes");
  const typed = "typed-secret-never-echoed-0123";
  await fillAdd(page, { name: nodeName("e2e-bad"), address: "10.0.0.1/8", secret: typed });
  await expect(page.getByLabel("Address", { exact: true })).toHaveAccessibleDescription(/has host bits set; did you mean 10\.0\.0\.0\/8\?/);
  await expect(page.getByLabel("Address", { exact: true })).toHaveValue("10.0.0.1/8");
  await expect(page.getByLabel("Shared secret (optional)")).toHaveValue("");
  expect(await page.content()).not.toContain(typed);

  // A taken name: the field says so.
  await fillAdd(page, { name: "localhost", address: "192.0.2.1", secret: typed });
  await expect(page.getByLabel("Name", { exact: true })).toHaveAccessibleDescription(/exists already/);
  expect(await page.content()).not.toContain(typed);
  await expectNoSeriousViolations(page);
});

test("attacker: without a PIN + OTP from the last five minutes, no node is added or removed", async ({ page }) => {
  stepUpAt(Date.now() - 6 * 60_000);
  await page.goto("/admin/auth-nodes");
  const name = nodeName("e2e-sudo");
  await fillAdd(page, { name, address: NODE_ADDRESS });
  await expect(page.getByLabel("Your PIN + one-time password")).toHaveAccessibleDescription(/Adding an auth node needs your PIN and one-time password from the last five minutes/);
  await expect(page.getByRole("region", { name: `Shared secret of ${name}` })).toHaveCount(0);
  const { authNodes } = await tms<{ authNodes: { name: string }[] }>("/authnodes");
  expect(authNodes.map((n) => n.name)).not.toContain(name);

  // A wrong passcode does not count either.
  await page.getByLabel("Your PIN + one-time password").fill("4089000000");
  await fillAdd(page, { name, address: NODE_ADDRESS });
  await expect(page.getByLabel("Your PIN + one-time password")).toHaveAccessibleDescription(/SafeNet authentication failed\./);

  // Removing the first-start node is refused the same way.
  const list = page.getByRole("list", { name: "Auth nodes" });
  await list.getByRole("button", { name: "Remove localhost" }).click();
  await list.getByRole("button", { name: "Confirm removal of localhost" }).click();
  await expect(page.getByLabel("Your PIN + one-time password to remove localhost")).toHaveAccessibleDescription(/Removing an auth node needs your PIN/);
  const after = await tms<{ authNodes: { name: string }[] }>("/authnodes");
  expect(after.authNodes.map((n) => n.name)).toContain("localhost");
});
