import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { EMPLOYEE_STATE, PORTAL_URL } from "./support/stack";

// Every admin server action and route handler refuses a plain employee and somebody with no
// valid session by itself, and every employee action refuses somebody with no valid session: the proxy is bypassed (a forged cookie gets past its redirect), and
// each action is invoked directly by its id from the build's server-reference manifest.

const distDir = process.env.NEXT_DIST_DIR || ".next";
const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", distDir, "server/server-reference-manifest.json"), "utf8")) as {
  node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
};

/** The page path an action's worker serves, with sample values for dynamic segments. */
const pagePath = (worker: string) =>
  "/" + worker.replace(/^app\//, "").replace(/\/page$/, "").replace(/\[upn\]/g, "alice%40corp.local").replace(/\[[^\]]+\]/g, "x");

const adminActions = Object.entries(manifest.node)
  .filter(([, a]) => a.filename.startsWith("app/admin/"))
  .map(([id, a]) => ({ id, name: `${a.filename}#${a.exportedName}`, page: pagePath(Object.keys(a.workers)[0]) }));

// Employee actions (enrollment, My token, the connection test) need a signed-in user.
const userActions = Object.entries(manifest.node)
  .filter(([, a]) => a.filename.startsWith("app/(portal)/"))
  .map(([id, a]) => ({ id, name: `${a.filename}#${a.exportedName}`, page: pagePath(Object.keys(a.workers)[0]).replace(/\/\([^)]+\)/g, "") }));

const ADMIN_ROUTES = ["/admin", "/admin/mfa", "/admin/exclusions", "/admin/users", "/admin/users/alice%40corp.local", "/admin/policy", "/admin/events"];
const ADMIN_HANDLERS = fs.existsSync(path.resolve(__dirname, "../app/api/admin"))
  ? fs
      .readdirSync(path.resolve(__dirname, "../app/api/admin"), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith("route.ts"))
      .map((f) => `/api/admin/${path.dirname(f)}`)
  : [];

async function invoke(ctx: APIRequestContext, action: { id: string; page: string }, cookie?: string) {
  return ctx.post(action.page, {
    headers: { "next-action": action.id, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component", ...(cookie && { cookie }) },
    data: "[]",
    maxRedirects: 0,
  });
}

/** A server action refused by requireAdmin() answers with a redirect to the sign-in or denied page. */
function refusalTarget(res: { status(): number; headers(): Record<string, string> }): string {
  return res.headers()["x-action-redirect"] ?? res.headers()["location"] ?? `(status ${res.status()}, no redirect)`;
}

test("the build has admin actions to check", () => {
  expect(adminActions.length).toBeGreaterThan(5);
});

test("the build has employee actions to check", () => {
  expect(userActions.length).toBeGreaterThan(3);
});

test.describe("as somebody without a valid session", () => {
  for (const action of [...adminActions, ...userActions]) {
    test(`refuses ${action.name}`, async ({ playwright }) => {
      const ctx = await playwright.request.newContext({ baseURL: PORTAL_URL });
      const res = await invoke(ctx, action, "next-auth.session-token=forged");
      expect(refusalTarget(res)).toMatch(/^\/login/);
      await ctx.dispose();
    });
  }
  for (const route of [...ADMIN_ROUTES, ...ADMIN_HANDLERS]) {
    test(`sends ${route} to sign-in`, async ({ playwright }) => {
      const ctx = await playwright.request.newContext({ baseURL: PORTAL_URL });
      const res = await ctx.get(route, { headers: { cookie: "next-auth.session-token=forged" }, maxRedirects: 0 });
      if (route.startsWith("/api/")) expect(res.status()).toBe(401);
      else expect(refusalTarget(res)).toMatch(/\/login/);
      await ctx.dispose();
    });
  }
});

test.describe("as a plain employee", () => {
  test.use({ storageState: EMPLOYEE_STATE });
  for (const action of adminActions) {
    test(`refuses ${action.name}`, async ({ request }) => {
      const res = await invoke(request, action);
      expect(refusalTarget(res)).toMatch(/^\/denied/);
    });
  }
  for (const route of [...ADMIN_ROUTES, ...ADMIN_HANDLERS]) {
    test(`refuses ${route}`, async ({ request }) => {
      const res = await request.get(route, { maxRedirects: 0 });
      if (route.startsWith("/api/")) expect(res.status()).toBe(403);
      else expect(refusalTarget(res)).toMatch(/\/denied/);
    });
  }
});
