import { chromium, type Browser, type BrowserContext, type Locator } from "@playwright/test";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_LIMIT } from "../../lib/auth/throttle";
import { TMS, type Simulator } from "../integration/harness";
import { activeToken, newUser, otpFor, type Provisioned } from "../integration/provision";
import { Client, database, ENABLED, newClient, twoPortals, twoSimulators, type Database, type Portal } from "./stack";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../e2e/support/browser";

// Two portals on one PostgreSQL database, each in front of its own simulator (the simulators share
// another database): the sign-in throttle, sessions, settings, invitations and the events timeline
// must behave as on one portal, whichever instance a request reaches.

let simDb: Database;
let portalDb: Database;
let simA: Simulator;
let simB: Simulator;
let A: Portal;
let B: Portal;
let browser: Browser | undefined;

/** How long a page may take to show what it loaded (a loaded 2-core machine). */
const POLL = { timeout: 30_000, interval: 200 };
const ADMIN = { upn: "bob@corp.local", password: "Bob!2026" };
const PASSWORD = "Test!Passw0rd";
let adminToken: Provisioned;
let adminCounter = 1;
const adminPasscode = () => "4089" + otpFor(adminToken, { counter: adminCounter++ });

/** A browser context signed in as the administrator on `portal` (password + PIN + OTP over HTTP). */
async function adminContext(portal: Portal): Promise<BrowserContext> {
  const client = newClient();
  await client.signIn(portal.base, ADMIN.upn, ADMIN.password, adminPasscode());
  return browserFor(portal, client);
}

/** A browser context carrying `client`'s cookies and address. */
async function browserFor(portal: Portal, client: Client): Promise<BrowserContext> {
  browser ??= await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ baseURL: portal.base, extraHTTPHeaders: { "x-forwarded-for": client.address } });
  const cookies = client.jar
    .header()
    .split("; ")
    .filter(Boolean)
    .map((pair) => ({ name: pair.slice(0, pair.indexOf("=")), value: pair.slice(pair.indexOf("=") + 1), url: portal.base }));
  await context.addCookies(cookies);
  return context;
}

describe.skipIf(!ENABLED)("two portals on one database", () => {
  beforeAll(async () => {
    [simDb, portalDb] = await Promise.all([database("multi_sim"), database("multi_portal")]);
    [simA, simB] = await twoSimulators(simDb);
    [A, B] = await twoPortals(portalDb, simA, simB);
    // The demo administrator with a token whose codes the tests compute.
    adminToken = await activeToken(simA, ADMIN.upn, "event");
  });
  // A failed test shows what the servers said meanwhile (the portals log their errors, never secrets).
  let logged = { a: 0, b: 0 };
  afterEach((context) => {
    const fresh = { a: A?.output().length ?? 0, b: B?.output().length ?? 0 };
    if (context.task.result?.state === "fail") {
      console.log(`portal A said:\n${A?.output().slice(logged.a).slice(-4000)}\nportal B said:\n${B?.output().slice(logged.b).slice(-4000)}`);
    }
    logged = fresh;
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([A?.stop(), B?.stop()]);
    await Promise.all([simA?.stop(), simB?.stop()]);
    await Promise.all([simDb?.drop(), portalDb?.drop()]);
  });

  it(`lets at most ${ACCOUNT_LIMIT.maxFailures} of 40 wrong passwords sent over both portals at once reach SafeNet`, async () => {
    const upn = await newUser(simA);
    // A distributed guesser: every attempt from its own address, so only the account throttle stands in the way.
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) => new Client(`203.0.113.${i + 1}`).authForm(i % 2 ? B.base : A.base, "credentials", { username: upn, password: `Wrong!${i}` })),
    );
    expect(outcomes.every((url) => url.includes("error"))).toBe(true);
    const res = await simA.tms(`${TMS}/events?type=directory.authenticate&user=${encodeURIComponent(upn)}&limit=100`);
    const { events } = (await res.json()) as { events: { result: string }[] };
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThanOrEqual(ACCOUNT_LIMIT.maxFailures);
    // And the right password now waits too, on either portal.
    for (const portal of [A, B]) {
      const url = await newClient().authForm(portal.base, "credentials", { username: upn, password: PASSWORD });
      expect(url).toContain("error");
    }
  });

  it("ends a session made on portal A when its token is revoked through simulator B", async () => {
    const upn = await newUser(simA);
    const t = await activeToken(simA, upn, "event");
    const client = newClient();
    await client.signIn(A.base, upn, PASSWORD, "4089" + otpFor(t, { counter: 1 }));
    expect((await client.fetch(`${A.base}/token`)).status).toBe(200);

    const revoked = await simB.tms(`${TMS}/tokens/${t.serial}/revoke`, { method: "POST", json: {} });
    expect(revoked.status).toBe(200);
    const at = Date.now();
    let res: Response;
    for (;;) {
      res = await client.fetch(`${A.base}/token`);
      if (res.status !== 200 || Date.now() - at > 10_000 || (await sentToSignIn(res.clone()))) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(await sentToSignIn(res)).toBe(true);
    // SESSION_RECHECK_SECONDS is 2 here; a request or two of slack.
    expect(Date.now() - at).toBeLessThan(4_500);
    // Ended for good: portal B refuses the same session row too.
    expect(await sentToSignIn(await client.fetch(`${B.base}/token`))).toBe(true);
  });

  it("answers on portal A with the settings saved through portal B at once", async () => {
    const a = await adminContext(A);
    const b = await adminContext(B);
    try {
      const pageA = await a.newPage();
      const defaultRadio = (label: string) => pageA.getByRole("form", { name: "Default and lists" }).getByLabel(label);
      const ALL = "Require MFA for all connections, except those listed below";
      const NONE = "Require MFA for no connection, except those listed below";
      // A reads the settings first, so anything it kept in memory would now be stale.
      await pageA.goto("/admin/exclusions");
      await expect.poll(() => defaultRadio(ALL).isChecked(), POLL).toBe(true);

      const pageB = await b.newPage();
      const saveOnB = async (label: string) => {
        await pageB.goto("/admin/exclusions");
        const form = pageB.getByRole("form", { name: "Default and lists" });
        await form.getByLabel(label).check();
        await submitted(form, "Save default and lists", /Saved/);
        await pageB.goto("/admin/exclusions");
        expect(await form.getByLabel(label).isChecked(), "portal B shows what it saved").toBe(true);
      };
      await saveOnB(NONE);
      await pageA.goto("/admin/exclusions");
      expect(await defaultRadio(NONE).isChecked()).toBe(true);

      await saveOnB(ALL);
      await pageA.goto("/admin/exclusions");
      expect(await defaultRadio(ALL).isChecked()).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("uses an invitation made on portal A once through portal B, and refuses it the second time on A", async () => {
    const upn = await newUser(simA);
    const admin = await adminContext(A);
    try {
      const page = await admin.newPage();
      await page.goto(`/admin/users/${encodeURIComponent(upn)}`);
      const panel = page.getByRole("region", { name: "Assign a token" });
      await submitted(panel, "Assign a token and send the invitation", new RegExp(`An invitation went to ${upn.replace(".", "\\.")}`));
    } finally {
      await admin.close();
    }
    const link = await invitationPath(simA, upn);

    const accept = async (portal: Portal) => {
      const context = await browserFor(portal, newClient());
      try {
        const page = await context.newPage();
        // Signed in as the invited user first, so the link's page offers the invitation if it is still there.
        await page.goto("/login");
        await page.getByLabel("User name").fill(upn);
        await page.getByLabel("Password").fill(PASSWORD);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL((url) => !url.pathname.startsWith("/login"));
        await page.goto(link);
        const button = page.getByRole("button", { name: "Accept and set up my token" });
        if ((await button.count()) === 0) return (await page.getByRole("main").getByRole("alert").textContent()) ?? "";
        await button.click();
        await page.waitForURL(/\/enroll\?invited=1$/);
        return "accepted";
      } finally {
        await context.close();
      }
    };
    expect(await accept(B)).toBe("accepted");
    expect(await accept(A)).toContain("This invitation link was already used.");
  });

  it("pages the events timeline by the same cursor on both portals", async () => {
    const upn = await newUser(simA);
    const t = await activeToken(simA, upn, "event");
    for (let i = 1; i <= 6; i++) {
      const res = await (i % 2 ? simA : simB).validate({ username: upn, passcode: "4089" + otpFor(t, { counter: i }) });
      expect(((await res.json()) as { code: number }).code).toBe(1);
    }
    const admin = newClient();
    await admin.signIn(A.base, ADMIN.upn, ADMIN.password, adminPasscode());
    const adminB = newClient();
    await adminB.signIn(B.base, ADMIN.upn, ADMIN.password, adminPasscode());

    // Both portals copy the simulators' events in at the same moment: once each, whoever copies.
    const csv = async (client: Client, portal: Portal) => {
      const res = await client.fetch(`${portal.base}/api/admin/events.csv?user=${encodeURIComponent(upn)}`);
      expect(res.status).toBe(200);
      return (await res.text()).split("\r\n").filter(Boolean);
    };
    const [fromA, fromB] = await Promise.all([csv(admin, A), csv(adminB, B)]);
    expect(fromB).toEqual(fromA);
    const header = fromA[0].split(",");
    const remoteIds = fromA.slice(1).map((line) => line.split(",")[header.indexOf("remote_id")]).filter(Boolean);
    expect(remoteIds.length).toBeGreaterThanOrEqual(6);
    expect(new Set(remoteIds).size).toBe(remoteIds.length);

    // Page by page, each cursor answered by the other portal shows the same rows.
    // The events table's rows (the chart above it has a table too, whose first row starts "now").
    const rows = (html: string) => /id="events-caption"[\s\S]*?<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
    const older = (html: string) => /href="(\/admin\/events\?[^"]*cursor=[^"]*)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
    let href: string | undefined = `/admin/events?user=${encodeURIComponent(upn)}&limit=2`;
    let pages = 0;
    while (href) {
      const [a, b] = await Promise.all([admin.fetch(A.base + href), adminB.fetch(B.base + href)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      const [htmlA, htmlB] = [await a.text(), await b.text()];
      expect(rows(htmlA)).not.toBe("");
      expect(rows(htmlB)).toBe(rows(htmlA));
      expect(older(htmlB)).toBe(older(htmlA));
      href = older(pages % 2 ? htmlA : htmlB);
      pages++;
    }
    expect(pages).toBeGreaterThanOrEqual(3);
  });
});

/** Clicks a form's submit button and waits for the action's answer in the form's status line. */
async function submitted(form: Locator, button: string, answer: RegExp): Promise<void> {
  await form.getByRole("button", { name: button }).click();
  await expect.poll(async () => (await form.getByRole("status").allTextContents()).join(" "), POLL).toMatch(answer);
}

/** Whether a page answered by sending the browser to sign in: a redirect, or Next's in-page one when the page had begun streaming. */
async function sentToSignIn(res: Response): Promise<boolean> {
  if (res.status >= 300 && res.status < 400) return /\/login/.test(res.headers.get("location") ?? "");
  const body = await res.text();
  return /http-equiv="refresh"[^>]*\/login|NEXT_REDIRECT;[^;]*;\/login/.test(body);
}

/** The path of the newest invitation mailed to `upn` (the sink of simulator A, where portal A sends). */
async function invitationPath(sim: Simulator, upn: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await sim.tms(`/mailbox/messages?to=${encodeURIComponent(upn)}`);
    const { messages } = (await res.json()) as { messages: { subject: string; text: string }[] };
    const mail = messages.find((m) => /invited to set up your SafeNet token/.test(m.subject));
    const link = mail && /https?:\/\/\S+(\/invite\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
    if (link) return link;
    if (Date.now() > deadline) throw new Error(`No invitation mail for ${upn}: ${JSON.stringify(messages.map((m) => m.subject))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
