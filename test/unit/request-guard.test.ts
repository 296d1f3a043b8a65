import { describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT, refuseActionBody, refuseHead } from "../../lib/runtime/request-guard";
import { unsafeAuthQuery } from "../../lib/auth/redirect";

const action = { host: "portal.example", origin: "http://portal.example", "next-action": "60abc", "content-type": "text/plain;charset=UTF-8", "content-length": "2" };

describe("requests refused before Next sees them", () => {
  it.each(["/%C0%AF", "/admin/users/%E0%A4%A", "/api/mailbox/%FF/attachments/a", "/%"])("an undecodable path %s is 400", (url) => {
    expect(refuseHead("GET", url, {})?.status).toBe(400);
  });

  it("lets ordinary pages and percent-encoded UTF-8 through", () => {
    expect(refuseHead("GET", "/admin/users/jos%C3%A9%40corp.local", {})).toBeNull();
    expect(refuseHead("POST", "/admin/mfa", action)).toBeNull();
  });

  it("refuses an action from another origin with 403, also a no-JS form post", () => {
    expect(refuseHead("POST", "/admin/mfa", { ...action, origin: "https://evil.example" })?.status).toBe(403);
    expect(refuseHead("POST", "/admin/mfa", { ...action, origin: "null" })?.status).toBe(403);
    const form = { host: "portal.example", origin: "https://evil.example", "content-type": "multipart/form-data; boundary=x", "content-length": "10" };
    expect(refuseHead("POST", "/admin/mfa", form)?.status).toBe(403);
  });

  it("accepts the origin a trusted proxy forwarded as the host", () => {
    expect(refuseHead("POST", "/admin/mfa", { ...action, host: "127.0.0.1:3000", "x-forwarded-host": "portal.example" })).toBeNull();
  });

  it("refuses an action body over the limit with 413 and one without a length with 411", () => {
    expect(refuseHead("POST", "/admin/mfa", { ...action, "content-length": String(ACTION_BODY_LIMIT + 1) })?.status).toBe(413);
    expect(refuseHead("POST", "/admin/mfa", { ...action, "content-length": undefined })?.status).toBe(411);
  });

  it("leaves route handlers (next-auth's own form posts) alone", () => {
    expect(refuseHead("POST", "/api/auth/callback/credentials", { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" })).toBeNull();
  });

  it.each([
    ["not JSON", "text/plain", "[{\"a\":"],
    ["JSON but not an argument list", "text/plain", "{\"a\":1}"],
    ["invalid UTF-8", "text/plain", Buffer.from([0x5b, 0xc0, 0xaf, 0x5d])],
    ["multipart without a boundary", "multipart/form-data", "x"],
    ["multipart that is not multipart", "multipart/form-data; boundary=xyz", "garbage--xyz"],
    ["multipart with a control character in a part header", "multipart/form-data; boundary=xyz", '--xyz\r\nContent-Disposition: form-data; name="a\u0000b"\r\n\r\nx\r\n--xyz--\r\n'],
    ["multipart with a part header that is not a header", "multipart/form-data; boundary=xyz", "--xyz\r\nnonsense\r\n\r\nx\r\n--xyz--\r\n"],
    ["a reference to a part that is not there", "text/plain", '["$F1"]'],
    ["a Map reference to a missing part", "application/json", '[{"a":["$Q1"]}]'],
    ["a promise reference to a missing part", "text/plain", '["$@1"]'],
    ["a bare chunk reference", "text/plain", '["$1"]'],
  ])("refuses a malformed action body (%s) with 400", (_name, type, body) => {
    expect(refuseActionBody({ "next-action": "60abc", "content-type": type }, Buffer.from(body))?.status).toBe(400);
  });

  it("accepts well-formed action bodies", () => {
    expect(refuseActionBody({ "next-action": "60abc", "content-type": "text/plain" }, Buffer.from('["$K1",{"a":"é"}]'))).toBeNull();
    const plain = '["$$F1 is a price","$undefined","$NaN","$-0","$n12","$D2026-11-30T00:00:00.000Z",["$Infinity"]]';
    expect(refuseActionBody({ "next-action": "60abc", "content-type": "text/plain" }, Buffer.from(plain))).toBeNull();
    const multipart = '--xyz\r\nContent-Disposition: form-data; name="1_pin"\r\n\r\n4089\r\n--xyz--\r\n';
    expect(refuseActionBody({ "next-action": "60abc", "content-type": "multipart/form-data; boundary=xyz" }, Buffer.from(multipart))).toBeNull();
  });
});

describe("next-auth's error parameter", () => {
  it.each(["a\r\nSet-Cookie: x=1", "€", "é", "\u0000"])("refuses %j", (error) => {
    expect(unsafeAuthQuery(new URLSearchParams({ error }))).toBe("error");
  });
  it("accepts next-auth's own codes and sentences", () => {
    expect(unsafeAuthQuery(new URLSearchParams({ error: "CredentialsSignin" }))).toBeNull();
    expect(unsafeAuthQuery(new URLSearchParams({ error: "Enter your user name and password." }))).toBeNull();
  });
});
