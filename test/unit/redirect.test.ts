import { describe, expect, it } from "vitest";
import { redirectCallback, safeRedirectPath } from "../../lib/auth/redirect";

const ORIGIN = "http://127.0.0.1:3000";

describe("safeRedirectPath: hostile targets go home", () => {
  it.each([
    ["backslash after the slash", "/\\evil.example"],
    ["two backslashes", "\\\\evil.example"],
    ["backslash then slash", "\\/evil.example"],
    ["a real tab between the slashes", "/\t/evil.example"],
    ["a real tab then the host", "/\tevil.example"],
    ["a newline between the slashes", "/\n/evil.example"],
    ["a carriage return between the slashes", "/\r/evil.example"],
    ["a NUL byte", "/ok\u0000"],
    ["a leading space before //", " //evil.example"],
    ["protocol-relative", "//evil.example"],
    ["protocol-relative with a path", "//evil.example/login"],
    ["three slashes", "///evil.example"],
    ["another origin, https", "https://evil.example"],
    ["another origin, http", "http://evil.example/"],
    ["the portal's host as a subdomain prefix", "http://127.0.0.1:3000.evil.example/"],
    ["user info that looks like the portal", "http://127.0.0.1:3000@evil.example/"],
    ["same host, other port", "http://127.0.0.1:3001/"],
    ["same host, other scheme", "https://127.0.0.1:3000/"],
    ["javascript:", "javascript:alert(1)"],
    ["JavaScript: in mixed case", "JaVaScRiPt:alert(1)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["same origin, but a path that is protocol-relative", "http://127.0.0.1:3000//evil.example"],
    ["empty", ""],
    ["garbage", "http://[::1"],
  ])("%s: %j → /", (_name, target) => {
    expect(safeRedirectPath(target, ORIGIN)).toBe("/");
  });

  it.each([undefined, null, 42, ["/admin"], { href: "/admin" }])("a non-string %j → /", (target) => {
    expect(safeRedirectPath(target, ORIGIN)).toBe("/");
  });
});

describe("safeRedirectPath: paths on the portal pass", () => {
  it.each([
    ["/", "/"],
    ["/ok?x=1#y", "/ok?x=1#y"],
    ["/admin/events", "/admin/events"],
    ["/login?callbackUrl=%2Fconnect", "/login?callbackUrl=%2Fconnect"],
    ["/%09/evil.example", "/%09/evil.example"], // encoded: a path segment on the portal, not a host
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["admin", "/admin"], // relative to the origin's root
    ["http://127.0.0.1:3000/token?tab=pin", "/token?tab=pin"],
    ["/a/../admin", "/admin"],
    ["http:evil.example", "/evil.example"], // same scheme, no slashes: a path on the portal
  ])("%j → %j", (target, path) => {
    expect(safeRedirectPath(target, ORIGIN)).toBe(path);
  });
});

describe("redirectCallback (next-auth)", () => {
  it.each([
    ["/enroll", `${ORIGIN}/enroll`],
    [`${ORIGIN}/admin?x=1`, `${ORIGIN}/admin?x=1`],
    ["https://evil.example/", `${ORIGIN}/`],
    ["/\\evil.example", `${ORIGIN}/`],
    ["//evil.example", `${ORIGIN}/`],
  ])("%j → %j", (url, expected) => {
    expect(redirectCallback({ url, baseUrl: ORIGIN })).toBe(expected);
  });

  it("keeps to the origin of a baseUrl with a path", () => {
    expect(redirectCallback({ url: "/login", baseUrl: `${ORIGIN}/api/auth` })).toBe(`${ORIGIN}/login`);
  });
});
