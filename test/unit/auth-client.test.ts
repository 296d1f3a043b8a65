import { describe, expect, it } from "vitest";
import { csrfTokenCache, errorOf } from "../../lib/auth/auth-client";

describe("csrfTokenCache", () => {
  it("asks the portal once for the page's token, however often the form needs it", async () => {
    let asked = 0;
    const token = csrfTokenCache(async () => `t${++asked}`);
    expect(await Promise.all([token(), token()])).toEqual(["t1", "t1"]);
    expect(await token()).toBe("t1");
    expect(asked).toBe(1);
  });
  it("asks again after a failed fetch instead of keeping the failure", async () => {
    let asked = 0;
    const token = csrfTokenCache(async () => {
      if (++asked === 1) throw new Error("offline");
      return "t2";
    });
    await expect(token()).rejects.toThrow("offline");
    expect(await token()).toBe("t2");
  });
});

describe("errorOf", () => {
  it("reads next-auth's error from the callback's redirect URL, relative or absolute", () => {
    expect(errorOf("http://127.0.0.1:3000/api/auth/error?error=CredentialsSignin", "http://127.0.0.1:3000")).toBe("CredentialsSignin");
    expect(errorOf("/login?error=Too%20many%20failed%20sign-ins.", "http://x")).toBe("Too many failed sign-ins.");
  });
  it("finds no error in a success URL or none at all", () => {
    expect(errorOf("http://127.0.0.1:3000/", "http://127.0.0.1:3000")).toBeNull();
    expect(errorOf(undefined, "http://x")).toBeNull();
  });
});
