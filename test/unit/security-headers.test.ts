import { describe, expect, it } from "vitest";
import { API_CSP, securityHeaders } from "../../lib/http/security-headers";

const scriptSrc = (csp: string) => csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src ")) ?? "";

describe("security headers", () => {
  it("pages: nonce-based scripts, no inline or eval, no framing", () => {
    const h = securityHeaders({ nonce: "abc", https: false });
    expect(scriptSrc(h["Content-Security-Policy"])).toBe("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(h["Content-Security-Policy"]).toContain("frame-ancestors 'none'");
    expect(h["X-Content-Type-Options"]).toBe("nosniff");
    expect(h["Permissions-Policy"]).toContain("clipboard-write=(self)");
    expect(h["Strict-Transport-Security"]).toBeUndefined();
  });

  it("adds HSTS only over https", () => {
    expect(securityHeaders({ nonce: "n", https: true })["Strict-Transport-Security"]).toMatch(/^max-age=\d{7,}/);
  });

  it("allows eval only for next dev", () => {
    expect(scriptSrc(securityHeaders({ nonce: "n", https: false, dev: true })["Content-Security-Policy"])).toContain("'unsafe-eval'");
  });

  it("sandboxes route handlers' answers", () => {
    expect(securityHeaders({ nonce: "n", https: false, api: true })["Content-Security-Policy"]).toBe(API_CSP);
  });
});
