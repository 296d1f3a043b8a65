import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "./support/fixtures";
import { ADMIN_STATE, EMPLOYEE_STATE, MEMBER, MEMBER_STATE, activeEventToken, createUser } from "./support/stack";
import { fillCredentials } from "./support/ui";

// Every page of the portal, at a phone's width and at a laptop's: nothing may scroll sideways —
// neither the page itself nor a box inside it (a table wider than its column). The list of pages is
// checked against app/**/page.tsx, so a new page without a layout check fails here.

type Who = "anonymous" | "otp_pending" | "enroll_only" | "member" | "admin";
const STATE: Record<Who, string | undefined> = {
  anonymous: undefined,
  otp_pending: undefined,
  enroll_only: EMPLOYEE_STATE,
  member: MEMBER_STATE,
  admin: ADMIN_STATE,
};

/** route (as app/ spells it, route groups left out) → the URL visited and who visits it. */
const PAGES: { route: string; url: string; who: Who }[] = [
  { route: "/", url: "/", who: "anonymous" },
  { route: "/", url: "/", who: "admin" },
  { route: "/login", url: "/login", who: "anonymous" },
  { route: "/login/otp", url: "/login/otp", who: "otp_pending" },
  { route: "/mobilepass", url: "/mobilepass", who: "anonymous" },
  { route: "/enroll", url: "/enroll", who: "enroll_only" },
  { route: "/mailbox", url: "/mailbox", who: "enroll_only" },
  { route: "/token", url: "/token", who: "member" },
  { route: "/connect", url: "/connect", who: "member" },
  { route: "/denied", url: "/denied", who: "member" },
  { route: "/admin", url: "/admin", who: "admin" },
  { route: "/admin/mfa", url: "/admin/mfa", who: "admin" },
  { route: "/admin/policy", url: "/admin/policy", who: "admin" },
  { route: "/admin/exclusions", url: "/admin/exclusions", who: "admin" },
  { route: "/admin/users", url: "/admin/users", who: "admin" },
  { route: "/admin/users/[upn]", url: `/admin/users/${encodeURIComponent(MEMBER.upn)}`, who: "admin" },
  { route: "/admin/events", url: "/admin/events", who: "admin" },
  { route: "/admin/invitations", url: "/admin/invitations", who: "admin" },
  { route: "/admin/auth-nodes", url: "/admin/auth-nodes", who: "admin" },
  { route: "/admin/repositories", url: "/admin/repositories", who: "admin" },
  // An unknown link renders the page that says what to do instead: the longest text it shows.
  { route: "/invite/[token]", url: "/invite/no-such-invitation-link-0123456789abcdef", who: "anonymous" },
];

const WIDTHS = [375, 1280];

function appRoutes(dir = path.resolve(__dirname, "../app"), prefix = ""): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isFile()) return entry.name === "page.tsx" ? [prefix || "/"] : [];
    if (!entry.isDirectory() || entry.name.startsWith("_") || entry.name === "api") return [];
    const segment = /^\(.*\)$/.test(entry.name) ? "" : `/${entry.name}`;
    return appRoutes(path.join(dir, entry.name), prefix + segment);
  });
}

test("the layout check visits every page of app/", () => {
  const listed = new Set(PAGES.map((p) => p.route));
  expect(appRoutes().filter((r) => !listed.has(r)), "pages with no layout check").toEqual([]);
});

/** What scrolls sideways: the page (naming its widest element past the edge) and any box inside it. */
async function sidewaysScrolling(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const describe = (el: Element) => {
      const id = el.id ? `#${el.id}` : "";
      const cls = typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
      const text = (el.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 40);
      return `<${el.tagName.toLowerCase()}${id}${cls}> “${text}”`;
    };
    const doc = document.documentElement;
    const all = Array.from(document.body.querySelectorAll("*"));
    const found: string[] = [];
    if (doc.scrollWidth > doc.clientWidth) {
      let widest: Element | null = null;
      let width = 0;
      // What sticks out of a box that clips or scrolls does not widen the page: skip it.
      const clipped = (el: Element) => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
          if (getComputedStyle(up).overflowX !== "visible") return true;
        }
        return false;
      };
      for (const el of all) {
        const r = el.getBoundingClientRect();
        if (r.right > doc.clientWidth + 0.5 && r.width > width && !clipped(el)) [widest, width] = [el, r.width];
      }
      found.push(
        `the page is ${doc.scrollWidth}px wide in a ${doc.clientWidth}px window; widest element past the edge: ${widest ? describe(widest) : "?"} (${Math.round(width)}px)`,
      );
    }
    for (const el of all) {
      if (/^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)) continue;
      if (!/auto|scroll/.test(getComputedStyle(el).overflowX)) continue;
      if (el.scrollWidth > el.clientWidth + 1) found.push(`${describe(el)} scrolls sideways: ${el.scrollWidth}px of content in a ${el.clientWidth}px box`);
    }
    return found;
  });
}

let otpUser: string;

test.describe("no page scrolls sideways", () => {
  test.beforeAll(async () => {
    otpUser = await createUser(`layout${Date.now().toString(36)}`);
    await activeEventToken(otpUser);
  });

  for (const p of PAGES) {
    test.describe(`${p.url} as ${p.who}`, () => {
      test.use({ storageState: STATE[p.who] ?? { cookies: [], origins: [] } });
      for (const width of WIDTHS) {
        test(`at ${width}px`, async ({ page }) => {
          await page.setViewportSize({ width, height: 800 });
          if (p.who === "otp_pending") {
            await fillCredentials(page, otpUser, "E2e!Passw0rd");
            await expect(page).toHaveURL(/\/login\/otp/);
          }
          await page.goto(p.url);
          await expect(page).toHaveURL(new RegExp(`${p.url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\?|$)`));
          await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
          expect(await sidewaysScrolling(page), `${p.url} (${p.who}) at ${width}px`).toEqual([]);
        });
      }
    });
  }
});

test.describe("the header at a phone's width", () => {
  test.use({ viewport: { width: 375, height: 800 } });

  test("folds the account links behind a Menu button that the keyboard opens and Escape closes, and Sign out is in it", async ({ page }) => {
    // A user of its own: signing out ends the session on the server, so no shared session is used.
    const upn = await createUser(`menu${Date.now().toString(36)}`);
    await fillCredentials(page, upn, "E2e!Passw0rd");
    await expect(page).not.toHaveURL(/\/login/);
    const nav = page.getByRole("navigation", { name: "Account" });
    const menu = nav.getByRole("button", { name: "Menu" });
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(menu).toHaveAttribute("aria-controls", "account-menu");
    await expect(nav.getByRole("button", { name: "Sign out" })).toBeHidden();

    await menu.focus();
    await page.keyboard.press("Enter");
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    await expect(page.locator("#account-menu")).toBeVisible();
    await expect(nav.getByRole("link", { name: "Demo mailbox" })).toBeVisible();
    expect(await sidewaysScrolling(page)).toEqual([]);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Escape");
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(menu).toBeFocused();

    await menu.click();
    await nav.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
  });
});
