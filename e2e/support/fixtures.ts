import { expect, test as base, type BrowserContext, type Page } from "@playwright/test";
import { portalWrite } from "./stack";

// Every browser context a spec opens (the `page` fixture's and any from browser.newContext or
// browser.newPage) records Content-Security-Policy violations, from the DOM event and from the
// console, and the test fails if there was any: a header that breaks a page must not pass unseen.

const violations: string[] = [];
const watched = new WeakSet<BrowserContext>();
const livePages = new Set<Page>();

/**
 * The browser fires securitypolicyviolation as a queued task and reports it through a binding: a test
 * that ends right after `load` could be checked before its report arrives. A round trip to every open
 * page that first lets queued tasks run brings the reports in.
 */
async function collectPendingReports(): Promise<void> {
  await Promise.all(
    [...livePages].map((page) => page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50))).catch(() => undefined)),
  );
}

async function watch(context: BrowserContext): Promise<void> {
  if (watched.has(context)) return;
  watched.add(context);
  await context.exposeBinding("__reportCspViolation", (_source, text: string) => void violations.push(text));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __reportCspViolation?: (t: string) => void }).__reportCspViolation;
      report?.(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${e.documentURI}`);
    });
  });
  const listen = (page: Page) => {
    livePages.add(page);
    page.once("close", () => livePages.delete(page));
    page.on("console", (message) => {
      if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
    });
  };
  context.pages().forEach(listen);
  context.on("page", listen);
}

// Every spec's browser is 127.0.0.1, so the wrong passwords the attacker specs type add up on one
// address key (30 per 15 min) across the whole run; each test starts as a client of its own would.
// Specs that prove the address throttle count within one test.
// SQLite or PostgreSQL, whichever the e2e portal runs on (see portalSql in stack.ts).
function freshClientAddress(): Promise<void> {
  return portalWrite("DELETE FROM sign_in_throttle WHERE key = 'address:127.0.0.1'");
}

export const test = base.extend<{ cspViolations: string[]; freshAddress: void }>({
  freshAddress: [
    async ({}, use) => {
      await freshClientAddress();
      await use();
    },
    { auto: true },
  ],
  browser: [
    async ({ browser }, use) => {
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => {
        const context = await newContext(options);
        await watch(context);
        return context;
      };
      await use(browser);
    },
    { scope: "worker" },
  ],
  context: async ({ context }, use) => {
    await watch(context);
    await use(context);
  },
  // Depends on the context so that its check runs before the context (and its pages) close: the
  // reports still on their way are collected from open pages.
  cspViolations: [
    async ({ context }, use, testInfo) => {
      violations.length = 0;
      await use(violations);
      await collectPendingReports();
      if (violations.length) await testInfo.attach("csp-violations", { body: [...new Set(violations)].join("\n") });
      expect([...new Set(violations)], "Content-Security-Policy violations in the browser").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
export type { APIRequestContext, Browser, Locator, Page, TestInfo } from "@playwright/test";
