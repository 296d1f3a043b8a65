import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "./support/fixtures";
import { httpSignIn } from "./support/http-session";
import { createUser, EMPLOYEE_STATE, MEMBER_STATE, PORTAL_URL, tokenInState, type ArrangedState } from "./support/stack";

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

const ADMIN_ROUTES = ["/admin", "/admin/mfa", "/admin/exclusions", "/admin/users", "/admin/users/alice%40corp.local", "/admin/policy", "/admin/events", "/admin/auth-nodes", "/admin/repositories"];
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

test.describe("as a plain employee signed in with PIN + OTP", () => {
  test.use({ storageState: MEMBER_STATE });
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

// A password-only session (a user with no usable token) may use New Account Info, its mailbox and
// sign-out; everything else sends it back to New Account Info.
const enrollActions = userActions.filter((a) => a.name.startsWith("app/(portal)/enroll/"));
const notForPasswordOnly = [...adminActions, ...userActions.filter((a) => !enrollActions.includes(a))];

test.describe("as a password-only session", () => {
  test.use({ storageState: EMPLOYEE_STATE });
  for (const action of notForPasswordOnly) {
    test(`refuses ${action.name}`, async ({ request }) => {
      const res = await invoke(request, action);
      expect(refusalTarget(res)).toMatch(/^\/enroll/);
    });
  }
  for (const route of [...ADMIN_ROUTES, "/token", "/connect"]) {
    test(`sends ${route} to New Account Info`, async ({ request }) => {
      const res = await request.get(route, { maxRedirects: 0 });
      expect(refusalTarget(res)).toMatch(/\/enroll$/);
    });
  }
  for (const route of ADMIN_HANDLERS) {
    test(`refuses ${route}`, async ({ request }) => {
      expect((await request.get(route, { maxRedirects: 0 })).status()).toBe(403);
    });
  }
});

// What a right password alone opens, for a user whose tokens are in each state SafeNet knows.
const EXPECTED: Record<ArrangedState, { session: "none" | "pending" | "enroll"; refusal: string }> = {
  none: { session: "enroll", refusal: "/enroll" },
  Assigned: { session: "enroll", refusal: "/enroll" },
  Lost: { session: "enroll", refusal: "/enroll" },
  Active: { session: "pending", refusal: "/login/otp" },
  Locked: { session: "none", refusal: "/login" },
  Suspended: { session: "none", refusal: "/login" },
};

test.describe("with the password alone, for every token state", () => {
  for (const [state, expected] of Object.entries(EXPECTED) as [ArrangedState, (typeof EXPECTED)[ArrangedState]][]) {
    test(`a user whose token is ${state} gets ${expected.session === "none" ? "no session" : `a ${expected.session} session`} that every other action refuses`, async () => {
      const password = "States!Passw0rd";
      const upn = await createUser(`e2eauth${state.toLowerCase()}${Date.now() % 1_000_000}`, [], password);
      await tokenInState(upn, state);
      const { ctx, session } = await httpSignIn(upn, password);
      expect(session.user?.mfa ?? "none").toBe(expected.session);
      const refused = expected.session === "enroll" ? notForPasswordOnly : [...adminActions, ...userActions];
      for (const action of refused) {
        expect(refusalTarget(await invoke(ctx, action)), action.name).toMatch(new RegExp(`^${expected.refusal}`));
      }
      for (const route of ["/token", "/connect", "/admin", "/admin/users"]) {
        const target = new URL(refusalTarget(await ctx.get(route, { maxRedirects: 0 })), PORTAL_URL);
        expect(target.pathname, route).toBe(expected.refusal);
      }
      await ctx.dispose();
    });
  }
});
