import { expect, test, type Locator, type Page } from "./support/fixtures";
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { base32Decode, hotp } from "../lib/otp";
import { normalizeEntry, type ListKind } from "../lib/mfa/rules";
import { defaultMfaSettings, type MfaSettings } from "../lib/mfa/settings";
import { activeEventToken, ADMIN_STATE, createUser, E2E_DIR, EMPLOYEE, MEMBER, MEMBER_STATE, mailSubjects, nextPasscode, PIN, portalSql, SAFENET_URL, tms, type KnownToken } from "./support/stack";
import { expectNoSeriousViolations } from "./support/a11y";

// The Parallels Client logon played out on /connect, one test per outcome. Rules and settings are
// arranged in the portal database and put back after each test, since other specs share the stack.

test.use({ storageState: ADMIN_STATE });

const PASSWORD = "E2e!Passw0rd";
const db = () => new Database(path.join(E2E_DIR, "portal.sqlite"), { fileMustExist: true });
const added: number[] = [];
let savedMfa: { value: string } | undefined | null = null;

function addRule(kind: ListKind, text: string): number {
  const n = normalizeEntry(kind, text);
  if (!n.ok) throw new Error(n.error);
  const d = db();
  const { id } = d
    .prepare("INSERT INTO exclusion_rules (kind, value, label, created_at, created_by) VALUES (?, ?, ?, ?, 'e2e') RETURNING id")
    .get(kind, n.value.value, n.value.label, Date.now()) as { id: number };
  d.close();
  added.push(id);
  return id;
}

function setMfa(patch: Partial<MfaSettings>) {
  const d = db();
  const row = d.prepare("SELECT value FROM settings WHERE key = 'mfa'").get() as { value: string } | undefined;
  if (savedMfa === null) savedMfa = row;
  const next = { ...(row ? JSON.parse(row.value) : defaultMfaSettings(SAFENET_URL)), ...patch };
  d.prepare("INSERT INTO settings (key, value, updated_at, updated_by) VALUES ('mfa', ?, ?, 'e2e') ON CONFLICT(key) DO UPDATE SET value = excluded.value")
    .run(JSON.stringify(next), Date.now());
  d.close();
}

test.afterEach(() => {
  const d = db();
  for (const id of added.splice(0)) d.prepare("DELETE FROM exclusion_rules WHERE id = ?").run(id);
  if (savedMfa !== null) {
    if (savedMfa) d.prepare("UPDATE settings SET value = ? WHERE key = 'mfa'").run(savedMfa.value);
    else d.prepare("DELETE FROM settings WHERE key = 'mfa'").run();
    savedMfa = null;
  }
  d.close();
});

const noSeriousViolations = (page: Page) => expectNoSeriousViolations(page);

const step = (page: Page, n: 1 | 2 | 3) => page.getByRole("region", { name: `Step ${n} of 3: ${["Connection", "Decision", "OTP prompt"][n - 1]}` });

/** Fills the connection dialog and returns step 2 once it has focus. */
async function connect(page: Page, c: { user: string; password: string; ip?: string; mac?: string; gateway?: string }, axe = false) {
  await page.goto("/connect");
  const dialog = step(page, 1);
  const name = dialog.getByLabel("User name");
  // Someone who may test only themselves finds their name filled in and read-only.
  if (await name.isEditable()) await name.fill(c.user);
  else await expect(name).toHaveValue(c.user);
  await dialog.getByLabel("Password").fill(c.password);
  if (c.ip !== undefined) await dialog.getByLabel("Client IP address").fill(c.ip);
  if (c.mac !== undefined) await dialog.getByLabel("Client MAC address").fill(c.mac);
  if (c.gateway !== undefined) await dialog.getByLabel("Gateway IP address").fill(c.gateway);
  if (axe) await noSeriousViolations(page);
  await dialog.getByRole("button", { name: "Connect" }).click();
  const decision = step(page, 2);
  await expect(decision.getByRole("heading", { name: "Step 2 of 3: Decision" })).toBeFocused();
  return decision;
}

const trace = (decision: Locator) => decision.getByRole("list", { name: "Checks, in order" });

async function expectExcluded(decision: Locator, ruleId: number, value: string, list: string, check: string) {
  await expect(decision).toContainText("Allowed without MFA");
  await expect(decision).toContainText(`Excluded by rule #${ruleId}: ${value} in the ${list} list.`);
  await expect(trace(decision)).toContainText(check);
  await expect(decision.getByRole("link", { name: `Show rule #${ruleId} under Exclusions` })).toHaveAttribute("href", `/admin/exclusions?q=${encodeURIComponent(value)}`);
}

/** A fresh user with an Active event token whose codes the test computes. */
async function tokenUser(prefix: string): Promise<KnownToken & { sam: string }> {
  const sam = `${prefix}${Date.now() % 1_000_000}`;
  const upn = await createUser(sam, [], PASSWORD);
  return { ...(await activeEventToken(upn)), sam };
}

const known = (sam: string) => JSON.parse(fs.readFileSync(path.join(E2E_DIR, `token-${sam}.json`), "utf8")) as KnownToken;

/** A 6-digit code that is nowhere near the token's window, so it is surely wrong. */
function wrongPasscode(sam: string): string {
  const t = known(sam);
  const secret = Buffer.from(t.secretHex, "hex");
  const near = new Set(Array.from({ length: 120 }, (_, i) => hotp(secret, t.counter + i)));
  for (let n = 0; ; n++) if (!near.has(String(n).padStart(6, "0"))) return PIN + String(n).padStart(6, "0");
}

/** From step 2 (an OTP prompt) into step 3, which takes focus. */
async function openPrompt(page: Page, decision: Locator) {
  await decision.getByRole("button", { name: "Continue to the OTP prompt" }).click();
  const prompt = step(page, 3);
  await expect(prompt.getByRole("heading", { name: "Step 3 of 3: OTP prompt" })).toBeFocused();
  return prompt;
}

async function send(prompt: Locator, passcode: string, label: "Passcode" | "Next passcode" = "Passcode") {
  await prompt.getByLabel(label, { exact: true }).fill(passcode);
  await prompt.getByRole("button", { name: label === "Passcode" ? "Send passcode" : "Send the next passcode" }).click();
  const answer = prompt.getByRole("status", { name: "SafeNet's answer" });
  await expect(answer).not.toContainText("Sending the passcode");
  await expect(answer).not.toBeEmpty();
  return answer;
}

test("a wrong domain password stops at the connection dialog with SafeNet's answer", async ({ page }) => {
  await page.goto("/connect");
  const dialog = step(page, 1);
  // The client as it is (the request's address), not an example that an exclusion rule might match.
  await expect(dialog.getByLabel("Client IP address")).toHaveValue("127.0.0.1");
  await expect(dialog.getByLabel("Client MAC address")).toHaveValue("");
  await expect(dialog.getByLabel("Gateway IP address")).toHaveValue("");
  await dialog.getByLabel("User name").fill("carol@corp.local");
  await dialog.getByLabel("Password").fill("not-her-password");
  await dialog.getByRole("button", { name: "Connect" }).click();
  await expect(dialog.getByRole("status")).toContainText("SafeNet refused the logon (401 invalid_credentials)");
  await expect(dialog.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByLabel("Password")).toHaveAccessibleDescription(/Not accepted: check the user name and password\./);
  await expect(dialog.getByLabel("Password")).toHaveValue("");
  await expect(dialog.getByLabel("User name")).toHaveValue("carol@corp.local");
  await expect(step(page, 2)).toHaveCount(0);
  await noSeriousViolations(page);
});

test("excluded by user name", async ({ page }) => {
  const id = addRule("users", "dave@corp.local");
  const decision = await connect(page, { user: "CORP\\dave", password: "Dave!2026" }, true);
  await expectExcluded(decision, id, "dave@corp.local", "users and groups", "User or group rule matches: yes. User dave@corp.local is listed by name");
  await noSeriousViolations(page);
});

test("excluded by group: carol is in MFA Exempt, tested with the keyboard alone", async ({ page }) => {
  const id = addRule("users", "MFA Exempt");
  await page.goto("/connect");
  await step(page, 1).getByLabel("User name").focus();
  await page.keyboard.type("carol");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Carol!2026");
  await page.keyboard.press("Enter");
  const decision = step(page, 2);
  await expect(decision.getByRole("heading", { name: "Step 2 of 3: Decision" })).toBeFocused();
  await expectExcluded(decision, id, "MFA Exempt", "users and groups", "User carol@corp.local is a member of the group MFA Exempt");
  // Back to the dialog: the name is kept, the password is not.
  await decision.getByRole("button", { name: "Test another connection" }).focus();
  await page.keyboard.press("Enter");
  await expect(step(page, 1).getByRole("heading", { name: "Step 1 of 3: Connection" })).toBeFocused();
  await expect(step(page, 1).getByLabel("User name")).toHaveValue("carol");
  await expect(step(page, 1).getByLabel("Password")).toHaveValue("");
});

test("excluded by an IPv4 range", async ({ page }) => {
  const id = addRule("clientIps", "10.20.30.1 - 10.20.30.50");
  const decision = await connect(page, { user: EMPLOYEE.upn, password: EMPLOYEE.password, ip: "10.20.30.40" });
  await expectExcluded(decision, id, "10.20.30.1-10.20.30.50", "client IP", "Client IP rule matches: yes. Client IP 10.20.30.40 is in 10.20.30.1-10.20.30.50");
});

test("excluded by an IPv6 CIDR block", async ({ page }) => {
  const id = addRule("clientIps", "2001:DB8::/32");
  const decision = await connect(page, { user: EMPLOYEE.upn, password: EMPLOYEE.password, ip: "2001:db8::5" });
  await expectExcluded(decision, id, "2001:db8::/32", "client IP", "Client IP 2001:db8::5 is in 2001:db8::/32");
});

test("excluded by a wildcard MAC pattern", async ({ page }) => {
  const id = addRule("macs", "00:14:22:01:??:??");
  const decision = await connect(page, { user: EMPLOYEE.upn, password: EMPLOYEE.password, mac: "00:14:22:01:aa:bb" });
  await expectExcluded(decision, id, "00-14-22-01-??-??", "client MAC", "Client MAC rule matches: yes. Client MAC 00-14-22-01-AA-BB matches 00-14-22-01-??-??");
});

test("excluded by gateway, which the dialog suggests but does not fill in", async ({ page }) => {
  const id = addRule("gateways", "192.0.2.10");
  await page.goto("/connect");
  await expect(step(page, 1).getByLabel("Gateway IP address")).toHaveValue("");
  await expect(page.locator("datalist#connect-gateways option[value='192.0.2.10']")).toHaveCount(1);
  const decision = await connect(page, { user: EMPLOYEE.upn, password: EMPLOYEE.password, gateway: "192.0.2.10" });
  await expectExcluded(decision, id, "192.0.2.10", "gateway", "Gateway rule matches: yes. Gateway 192.0.2.10 is 192.0.2.10");
});

test("mode 3: erin has no SafeNet account and is allowed", async ({ page }) => {
  setMfa({ mode: "account_only" });
  const decision = await connect(page, { user: "erin", password: "Erin!2026" });
  await expect(decision).toContainText("Allowed without MFA");
  await expect(decision).toContainText("No SafeNet account, in mode “Use only for users with a SafeNet account”.");
  await expect(trace(decision)).toContainText("User has a SafeNet account: no. erin@corp.local has no SafeNet account.");
});

test("mode 1: a user without a token is denied", async ({ page }) => {
  setMfa({ mode: "mandatory" });
  const upn = await createUser(`deny${Date.now() % 1_000_000}`, [], PASSWORD);
  const decision = await connect(page, { user: upn, password: PASSWORD });
  await expect(decision).toContainText("Denied");
  await expect(decision).toContainText(`Logon refused: ${upn} has no token; ask an administrator to assign one.`);
  await expect(trace(decision)).toContainText("User has an Active token: no.");
  await expect(decision.getByRole("button", { name: /OTP prompt/ })).toHaveCount(0);
});

test("a right passcode logs on, and the run is in the timeline without secrets", async ({ page }) => {
  const t = await tokenUser("connok");
  const decision = await connect(page, { user: t.upn, password: PASSWORD, ip: "198.51.100.7", mac: "00-14-22-01-23-45" });
  await expect(trace(decision)).toContainText(`User has an Active token: yes. Token ${t.serial} is Active`);
  const prompt = await openPrompt(page, decision);
  await expect(prompt).toContainText("Enter your PIN (4 digits) followed by the 6-digit one-time password");
  await noSeriousViolations(page);
  const passcode = nextPasscode(t.upn);
  const answer = await send(prompt, passcode);
  await expect(answer).toContainText("1 AUTH_SUCCESS — SafeNet authentication OK.");
  await expect(prompt.getByRole("heading", { name: "Logon complete" })).toBeFocused();
  await noSeriousViolations(page);

  const d = db();
  const rows = d.prepare("SELECT type, actor, result, reason, client_ip AS ip, serial, detail FROM events WHERE user = ? AND type LIKE 'connect.%' ORDER BY id").all(t.upn);
  d.close();
  expect(rows).toMatchObject([
    { type: "connect.decision", actor: "bob@corp.local", result: "info", reason: "otp", ip: "198.51.100.7" },
    { type: "connect.otp", actor: "bob@corp.local", result: "success", ip: "198.51.100.7", serial: t.serial },
  ]);
  expect(JSON.parse((rows[0] as { detail: string }).detail)).toMatchObject({ outcome: "require_otp", rule: null, clientMac: "00-14-22-01-23-45" });
  expect(JSON.stringify(rows)).not.toContain(passcode);
  expect(JSON.stringify(rows)).not.toContain(PASSWORD);
});

test("a wrong passcode shows the attempts left before the lock", async ({ page }) => {
  const t = await tokenUser("connwrong");
  const { lockThreshold } = await tms<{ lockThreshold: number }>("/policy");
  const prompt = await openPrompt(page, await connect(page, { user: t.upn, password: PASSWORD }));
  const answer = await send(prompt, wrongPasscode(t.sam));
  await expect(answer).toContainText("0 AUTH_FAILURE — SafeNet authentication failed.");
  await expect(answer).toContainText(`${lockThreshold - 1} attempts left before token ${t.serial} locks`);
  await expect(prompt.getByLabel("Passcode", { exact: true })).toBeFocused();
});

test("a replayed passcode is refused", async ({ page }) => {
  const t = await tokenUser("connreplay");
  const passcode = nextPasscode(t.upn);
  await expect(await send(await openPrompt(page, await connect(page, { user: t.upn, password: PASSWORD })), passcode)).toContainText("1 AUTH_SUCCESS");
  const answer = await send(await openPrompt(page, await connect(page, { user: t.upn, password: PASSWORD })), passcode);
  await expect(answer).toContainText("0 AUTH_FAILURE — SafeNet authentication failed.");
  await expect(answer).toContainText("already used");
});

test("three wrong passcodes lock the token, and then the right one is refused", async ({ page }) => {
  const t = await tokenUser("connlock");
  const policy = await tms<{ lockThreshold: number }>("/policy");
  expect(policy.lockThreshold).toBe(3);
  const prompt = await openPrompt(page, await connect(page, { user: t.upn, password: PASSWORD }));
  for (const left of ["2 attempts left", "1 attempt left", "No attempts left"]) {
    await expect(await send(prompt, wrongPasscode(t.sam))).toContainText(left);
  }
  await expect(prompt).toContainText(`token ${t.serial} is locked`);
  const answer = await send(prompt, nextPasscode(t.upn));
  await expect(answer).toContainText("0 AUTH_FAILURE — User's token is locked.");
  // The failure that locked the token mailed its owner, once.
  await expect
    .poll(async () => (await mailSubjects(t.upn)).filter((subject) => subject.includes("is locked")).length)
    .toBe(1);
});

test("an event token past its look-ahead answers code 5, then the next passcode resynchronises it", async ({ page }) => {
  const t = await tokenUser("connresync");
  const { counter, secretHex } = known(t.sam);
  const code = (c: number) => PIN + hotp(Buffer.from(secretHex, "hex"), c);
  const prompt = await openPrompt(page, await connect(page, { user: t.upn, password: PASSWORD }));
  const answer = await send(prompt, code(counter + 30));
  await expect(answer).toContainText("5 OUTER_WINDOW_AUTH — Please re-authenticate, using the next response.");
  await expect(prompt.locator("input[type=hidden][name=state]")).toHaveValue(/^[A-Za-z0-9_-]+$/);
  await expect(prompt.getByLabel("Next passcode", { exact: true })).toBeFocused();
  await noSeriousViolations(page);
  const next = await send(prompt, code(counter + 31), "Next passcode");
  await expect(next).toContainText("1 AUTH_SUCCESS — SafeNet authentication OK.");
  await expect(next).toContainText("resynchronised");
});

test.describe("the OTP step over RADIUS", () => {
  const overRadius = (prompt: Locator) => prompt.getByRole("radio", { name: "RADIUS" }).check();

  test("gives the same answers as over HTTP: accept, then the used code refused on both paths", async ({ page }) => {
    const t = await tokenUser("connradius");
    const passcode = nextPasscode(t.upn);
    const prompt = await openPrompt(page, await connect(page, { user: t.upn, password: PASSWORD, ip: "198.51.100.8" }));
    await expect(prompt.getByRole("radio", { name: "OTP service (HTTP)" })).toBeChecked();
    await overRadius(prompt);
    await expect(prompt).toContainText("It goes to SafeNet's RADIUS service with the client IP 198.51.100.8");
    await noSeriousViolations(page);
    const answer = await send(prompt, passcode);
    await expect(answer).toContainText("Access-Accept — SafeNet authentication OK. (over HTTP: 1 AUTH_SUCCESS)");
    await expect(answer).toContainText("The logon is complete");
    await expect(prompt.getByRole("heading", { name: "Logon complete" })).toBeFocused();

    // Single use across both paths: the same code over HTTP, then over RADIUS again.
    const http = await send(await openPrompt(page, await connect(page, { user: t.upn, password: PASSWORD })), passcode);
    await expect(http).toContainText("0 AUTH_FAILURE — SafeNet authentication failed.");
    const again = await openPrompt(page, await connect(page, { user: t.upn, password: PASSWORD }));
    await overRadius(again);
    await expect(await send(again, passcode)).toContainText("Access-Reject — SafeNet authentication failed. (over HTTP: 0 AUTH_FAILURE)");

    // The portal's timeline says which path; SafeNet recorded the test's client IP and the portal as the NAS.
    const rows = portalSql<{ detail: string }>("SELECT detail FROM events WHERE \"user\" = ? AND type = 'connect.otp' ORDER BY id", [t.upn]);
    expect(rows.map((r) => JSON.parse(r.detail).via ?? "http")).toEqual(["radius", "http", "radius"]);
    const sim = await tms<{ events: { type: string; clientIp: string; detail: { radius?: { nasIdentifier?: string } } | null }[] }>(`/events?user=${encodeURIComponent(t.upn)}&type=auth`);
    expect(sim.events.at(-3)).toMatchObject({ clientIp: "198.51.100.8", detail: { radius: { nasIdentifier: "safenet-login-portal" } } });
    expect(JSON.stringify(rows) + JSON.stringify(sim)).not.toContain(passcode);
  });

  test("an outer-window code is an Access-Challenge; the next passcode goes back over RADIUS with its State", async ({ page }) => {
    const t = await tokenUser("connradresync");
    const { counter, secretHex } = known(t.sam);
    const code = (c: number) => PIN + hotp(Buffer.from(secretHex, "hex"), c);
    const prompt = await openPrompt(page, await connect(page, { user: t.upn, password: PASSWORD }));
    await overRadius(prompt);
    // After an answer the choice stays (React resets the form after its action).
    await expect(await send(prompt, wrongPasscode(t.sam))).toContainText("Access-Reject — SafeNet authentication failed.");
    await expect(prompt.getByRole("radio", { name: "RADIUS" })).toBeChecked();
    const answer = await send(prompt, code(counter + 30));
    await expect(answer).toContainText("Access-Challenge — Please re-authenticate, using the next response. (over HTTP: 5 OUTER_WINDOW_AUTH)");
    // The path is held: the state belongs to RADIUS.
    await expect(prompt.getByRole("radio", { name: "RADIUS" })).toBeDisabled();
    await expect(prompt.getByRole("radio", { name: "RADIUS" })).toBeChecked();
    await expect(prompt.getByLabel("Next passcode", { exact: true })).toBeFocused();
    await noSeriousViolations(page);
    const next = await send(prompt, code(counter + 31), "Next passcode");
    await expect(next).toContainText("Access-Accept — SafeNet authentication OK.");
    await expect(next).toContainText("resynchronised");
  });
});

test.describe("as an employee", () => {
  test.use({ storageState: MEMBER_STATE });

  test("only her own logon can be tested, and the action refuses another name", async ({ page }) => {
    await page.goto("/connect");
    const dialog = step(page, 1);
    await expect(dialog.getByLabel("User name")).toHaveValue(MEMBER.upn);
    await expect(dialog.getByLabel("User name")).toHaveAttribute("readonly", "");
    // A forged form: the server must refuse it by itself.
    await dialog.getByLabel("User name").evaluate((el: HTMLInputElement) => {
      el.readOnly = false;
      el.value = "bob";
    });
    await dialog.getByLabel("Password").fill("Bob!2026");
    await dialog.getByRole("button", { name: "Connect" }).click();
    await expect(dialog.getByLabel("User name")).toHaveAccessibleDescription(/You can test only your own logon \(e2emember@corp\.local\)/);
    await expect(step(page, 2)).toHaveCount(0);
  });
});

test.describe("a new user in mode 2", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("is sent to New Account Info, activates, goes on with the next passcode and then logs on", async ({ page }) => {
    setMfa({ mode: "create_token", tokenType: "event" });
    const upn = await createUser(`connenroll${Date.now() % 1_000_000}`, [], PASSWORD);
    await page.goto("/login?callbackUrl=%2Fconnect");
    await page.getByLabel("User name").fill(upn);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    // The password alone opens New Account Info and nothing else, not even the connection test.
    await page.waitForURL(/\/enroll$/);
    await page.getByLabel("OTP PIN", { exact: true }).fill(PIN);
    await page.getByLabel("OTP PIN again").fill(PIN);
    await page.getByRole("button", { name: "Issue my token" }).click();
    const key = (await page.getByTestId("manual-key").textContent()) ?? "";
    const secret = base32Decode(key);
    await page.getByLabel("Passcode (PIN + one-time password)").fill(PIN + hotp(secret, 0));
    await page.getByRole("button", { name: "Activate token" }).click();
    await expect(page.getByRole("heading", { name: "Step 3 of 3: Your token is active" })).toBeFocused();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(/\/login\/otp/);
    await page.getByLabel("Passcode (PIN + one-time password)").fill(PIN + hotp(secret, 1));
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(/\/token$/);
    const decision = await connect(page, { user: upn, password: PASSWORD });
    await expect(decision).toContainText("OTP");
    const prompt = await openPrompt(page, decision);
    const answer = await send(prompt, PIN + hotp(secret, 2));
    await expect(answer).toContainText("1 AUTH_SUCCESS — SafeNet authentication OK.");
  });
});
