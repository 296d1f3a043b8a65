import { expect, test } from "./support/fixtures";
import { ADMIN, ADMIN_STATE } from "./support/stack";

// Every page, signed in or not, found or not, carries the security headers; the CSP's nonce is
// fresh per response and is the one Next stamped on the page's scripts.

const PAGES = [
  "/",
  "/login",
  "/login/otp",
  "/enroll",
  "/token",
  "/connect",
  "/mailbox",
  "/mobilepass",
  "/denied",
  "/admin",
  "/admin/mfa",
  "/admin/exclusions",
  "/admin/users",
  `/admin/users/${encodeURIComponent(ADMIN.upn)}`,
  "/admin/events",
  "/admin/policy",
  "/no-such-page",
];

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name, values]));
}

for (const signedIn of [true, false]) {
  test.describe(signedIn ? "signed in as an administrator" : "anonymous", () => {
    if (signedIn) test.use({ storageState: ADMIN_STATE });

    for (const path of PAGES) {
      test(`${path} carries the security headers`, async ({ request }) => {
        const response = await request.get(path, { maxRedirects: 0 });
        expect(response.status(), path).toBeLessThan(500);
        const h = response.headers();
        expect(h["x-content-type-options"]).toBe("nosniff");
        expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
        expect(h["permissions-policy"]).toContain("camera=()");
        expect(h["permissions-policy"]).toContain("clipboard-write=(self)");
        // Served over plain http and no trusted proxy says otherwise.
        expect(h["strict-transport-security"]).toBeUndefined();

        const csp = directives(h["content-security-policy"] ?? "");
        expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
        expect(csp.get("object-src")).toEqual(["'none'"]);
        const scripts = csp.get("script-src") ?? [];
        expect(scripts).not.toContain("'unsafe-inline'");
        expect(scripts).not.toContain("'unsafe-eval'");
        const nonce = scripts.find((s) => s.startsWith("'nonce-"))?.slice(7, -1);
        expect(nonce, "script-src has a nonce").toBeTruthy();

        if (response.status() === 200 || response.status() === 404) {
          const html = await response.text();
          const tags = html.match(/<script\b[^>]*>/g) ?? [];
          expect(tags.length).toBeGreaterThan(0);
          for (const tag of tags) expect(tag, "every script carries the nonce").toContain(`nonce="${nonce}"`);
        }
      });
    }
  });
}

test("the nonce is fresh for every response", async ({ request }) => {
  const a = (await request.get("/login")).headers()["content-security-policy"];
  const b = (await request.get("/login")).headers()["content-security-policy"];
  expect(a).not.toBe(b);
});

for (const path of ["/api/health", "/api/auth/session", "/api/mailbox/abcdefghijkl/attachments/a.pskc", "/api/admin/events.csv"]) {
  test(`the API answer ${path} is sandboxed and not sniffed`, async ({ request }) => {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.headers()["x-content-type-options"]).toBe("nosniff");
    const csp = directives(response.headers()["content-security-policy"] ?? "");
    expect(csp.has("sandbox")).toBe(true);
    expect(csp.get("default-src")).toEqual(["'none'"]);
  });
}
