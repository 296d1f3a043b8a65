import { expect, test, type Page } from "./support/fixtures";
import fs from "node:fs";
import { ADMIN_STATE, AGENT_KEY, EMPLOYEE_STATE, SAFENET_URL, activeEventToken, createUser, nextPasscode } from "./support/stack";
import { expectNoSeriousViolations } from "./support/a11y";

// The events timeline: the simulator's validations copied in next to the portal's own events,
// filtered, paged, charted and exported.

test.use({ storageState: ADMIN_STATE });

let upn: string;

async function validate(username: string, passcode: string) {
  const res = await fetch(`${SAFENET_URL}/TokenValidator/TokenValidator.asmx`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-agent-key": AGENT_KEY },
    body: JSON.stringify({ username, passcode, clientIp: "192.0.2.44" }),
  });
  return (await res.json()) as { code: number; reason?: string };
}

test.beforeAll(async () => {
  upn = await createUser(`events${Date.now().toString(36)}`);
  await activeEventToken(upn);
  expect((await validate(upn, nextPasscode(upn))).code).toBe(1);
  // A PIN other than the token's, so the failure is certain whatever the code.
  expect(await validate(upn, "1111123456")).toMatchObject({ code: 0, reason: "wrong_pin" });
  expect((await validate(upn, nextPasscode(upn))).code).toBe(1);
});

const table = (page: Page) => page.getByRole("table", { name: /newest first/ });
const column = async (page: Page, name: string) => {
  const headers = await table(page).getByRole("columnheader").allTextContents();
  const i = headers.indexOf(name);
  expect(i, `column ${name}`).toBeGreaterThanOrEqual(0);
  return table(page).locator("tbody tr").locator(`td:nth-child(${i + 1})`).allTextContents();
};

test("SafeNet validations appear on the timeline with their result, and the user filter narrows the list", async ({ page }) => {
  await page.goto("/admin/events");
  await expect(page.getByRole("heading", { level: 1, name: "Events" })).toBeVisible();
  await expect(page.getByText("Times are in UTC")).toBeVisible();
  const everyone = new Set(await column(page, "User"));
  expect(everyone.size).toBeGreaterThan(1);

  await page.getByLabel("User").fill(upn);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/user=/);
  await expect(page.getByLabel("User")).toHaveValue(upn);

  const users = await column(page, "User");
  expect(new Set(users)).toEqual(new Set([upn]));
  const rows = table(page).locator("tbody tr");
  const auth = rows.filter({ has: page.getByRole("cell", { name: "auth", exact: true }) });
  await expect(auth).toHaveCount(3);
  await expect(auth.filter({ hasText: "success" })).toHaveCount(2);
  await expect(auth.filter({ hasText: "failure" })).toContainText("0 / wrong_pin");
  await expect(auth.first()).toContainText("192.0.2.44");
  await expect(rows.filter({ hasText: "token.activate" })).toHaveCount(1);
});

test("result = failure shows only failures", async ({ page }) => {
  await page.goto(`/admin/events?user=${encodeURIComponent(upn)}`);
  await page.getByLabel("Result").selectOption("failure");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/result=failure/);
  expect(new Set(await column(page, "Result"))).toEqual(new Set(["failure"]));
  await expect(table(page).locator("tbody tr")).toHaveCount(1);
  await expect(table(page)).toContainText("wrong_pin");
});

test("a range that ends before it starts shows an error next to To", async ({ page }) => {
  await page.goto("/admin/events");
  await page.getByLabel("From (UTC)").fill("2026-11-28T15:00");
  await page.getByLabel("To (UTC)").fill("2026-11-28T14:00");
  await page.getByRole("button", { name: "Apply filters" }).click();
  const to = page.getByLabel("To (UTC)");
  await expect(to).toHaveAttribute("aria-invalid", "true");
  await expect(to).toHaveAccessibleDescription(/before its start/);
  await expect(page.getByLabel("From (UTC)")).toHaveValue("2026-11-28T15:00");
  await expect(table(page)).toHaveCount(0);

  await page.goto("/admin/events?from=not-a-date");
  await expect(page.getByLabel("From (UTC)")).toHaveAccessibleDescription(/Enter a date and time in UTC/);
});

test("Older events pages through the list by cursor", async ({ page }) => {
  await page.goto(`/admin/events?user=${encodeURIComponent(upn)}`);
  const all = await column(page, "Time (UTC)");
  expect(all.length).toBeGreaterThan(3);

  await page.goto(`/admin/events?user=${encodeURIComponent(upn)}&limit=2`);
  const seen: string[] = [];
  for (;;) {
    const times = await column(page, "Time (UTC)");
    expect(times.length).toBeLessThanOrEqual(2);
    seen.push(...times);
    const older = page.getByRole("link", { name: "Older events" });
    if ((await older.count()) === 0) break;
    const href = (await older.getAttribute("href"))!;
    expect(href).toContain("cursor=");
    await older.click();
    await page.waitForURL((url) => url.pathname + url.search === href);
    await expect(page.getByRole("link", { name: "Newest events" })).toBeVisible();
  }
  expect(seen).toEqual(all);
});

test("the chart counts the user's validations, with its caption and numbers", async ({ page }) => {
  await page.goto(`/admin/events?user=${encodeURIComponent(upn)}`);
  const figure = page.getByRole("figure");
  await expect(figure).toContainText(`Authentications of ${upn}`);
  await expect(figure.getByRole("img")).toHaveAccessibleName(/2 successful and 1 failed validations/);
  await expect(figure.getByText("Successful (2)")).toBeVisible();
  await expect(figure.getByText("Failed (1)")).toBeVisible();
  await figure.getByText(/The numbers per/).click();
  await expect(figure.getByRole("table", { name: /Validations per 1 hour/ })).toBeVisible();
});

test("Export CSV downloads the filtered rows with a header", async ({ page }) => {
  await page.goto(`/admin/events?user=${encodeURIComponent(upn)}&result=failure`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^events-\d{8}T\d{6}Z\.csv$/);
  const lines = fs.readFileSync((await download.path())!, "utf8").split("\r\n").filter(Boolean);
  expect(lines[0]).toBe("time_utc,source,kind,type,actor,user,serial,result,code,reason,client_ip,detail,id,remote_id");
  expect(lines).toHaveLength(2);
  const cells = lines[1].split(",");
  expect(cells.slice(1, 4)).toEqual(["safenet", "validation", "auth"]);
  expect(cells[5]).toBe(upn);
  expect(cells[7]).toBe("failure");
  expect(cells[9]).toBe("wrong_pin");
});

test("the export refuses anyone but a signed-in administrator", async ({ browser }) => {
  const employee = await browser.newContext({ storageState: EMPLOYEE_STATE });
  expect((await employee.request.get("/api/admin/events.csv")).status()).toBe(403);
  await employee.close();
  const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  expect((await anonymous.request.get("/api/admin/events.csv")).status()).toBe(401);
  await anonymous.close();
});

test("the events page has no serious accessibility violations, with and without filter errors", async ({ page }) => {
  for (const query of [`user=${encodeURIComponent(upn)}`, "from=2026-11-28T15:00&to=2026-11-28T14:00"]) {
    await page.goto(`/admin/events?${query}`);
    const numbers = page.getByText(/The numbers per/);
    if (await numbers.count()) await numbers.click();
    await expectNoSeriousViolations(page);
  }
});
