import { describe, expect, it } from "vitest";
import { SESSION_COOKIE_NAMES, sessionCookieName } from "../../lib/auth/session-cookie-names";

describe("the session cookie's name", () => {
  it("follows next-auth: __Secure- prefixed under an https NEXTAUTH_URL", () => {
    expect(sessionCookieName("https://portal.corp.example")).toBe("__Secure-next-auth.session-token");
    expect(sessionCookieName("http://127.0.0.1:3000")).toBe("next-auth.session-token");
  });

  it("lets the proxy recognise both spellings", () => {
    expect([...SESSION_COOKIE_NAMES]).toEqual([sessionCookieName("http://x"), sessionCookieName("https://x")]);
  });
});
