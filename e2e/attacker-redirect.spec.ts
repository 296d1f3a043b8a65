import { request } from "@playwright/test";
import { expect, test, type Page } from "./support/fixtures";
import { createUser, PORTAL_URL } from "./support/stack";

// The attacker's link: /login?callbackUrl=<somewhere else>. Whatever the variant, after signing in
// the browser must still be on the portal, and never have tried to load another origin.

const PORTAL = new URL(PORTAL_URL);
const HOSTILE = [
  "/\\evil.example",
  "/\t/evil.example",
  "/\tevil.example",
  "/\n/evil.example",
  "/%09/evil.example",
  "//evil.example",
  "///evil.example",
  "\\\\evil.example",
  "\\/evil.example",
  "https://evil.example",
  "http://evil.example/",
  `${PORTAL_URL}.evil.example/`,
  `http://${PORTAL.host}@evil.example/`,
  `${PORTAL_URL}//evil.example`,
  "javascript:alert(1)",
];

const PASSWORD = "Redirect!Passw0rd";
let upn = "";

test.beforeAll(async () => {
  // No token: the password is all this user has, as in a phishing link sent to anyone.
  upn = await createUser(`redirect${Date.now() % 1_000_000}`, [], PASSWORD);
});

/** Every top-level navigation the page attempts off the portal, recorded and blocked. */
async function guardOrigin(page: Page): Promise<string[]> {
  const offsite: string[] = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (!url.startsWith("http") || new URL(url).origin === PORTAL.origin) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  page.on("dialog", (dialog) => {
    offsite.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return offsite;
}

for (const target of HOSTILE) {
  test(`signing in from callbackUrl=${JSON.stringify(target)} stays on the portal`, async ({ page }) => {
    const offsite = await guardOrigin(page);
    const login = `/login?callbackUrl=${encodeURIComponent(target)}`;
    await page.goto(login);
    await page.getByLabel("User name").fill(upn);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).not.toHaveURL(/\/login(\?|$)/);
    await page.waitForLoadState("load");
    expect(new URL(page.url()).origin).toBe(PORTAL.origin);

    // Signed in already: the login page redirects on the server, with the same rule.
    await page.goto(login);
    await page.waitForLoadState("load");
    expect(new URL(page.url()).origin).toBe(PORTAL.origin);
    expect(offsite).toEqual([]);
  });
}

test("next-auth's own callbackUrl answers only with portal addresses", async () => {
  const ctx = await request.newContext({ baseURL: PORTAL_URL });
  try {
    for (const target of HOSTILE) {
      const csrfToken = ((await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
      const res = await ctx.post("/api/auth/callback/credentials", {
        form: { csrfToken, username: upn, password: PASSWORD, callbackUrl: target, json: "true" },
      });
      const { url } = (await res.json()) as { url: string };
      expect(new URL(url).origin, `${JSON.stringify(target)} → ${url}`).toBe(PORTAL.origin);
    }
  } finally {
    await ctx.dispose();
  }
});
