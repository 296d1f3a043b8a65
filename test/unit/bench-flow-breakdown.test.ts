import { describe, expect, it } from "vitest";
import { breakDown, requestKind, unionLength, type TimedRequest } from "../../bench/lib/flow-breakdown";

const req = (over: Partial<TimedRequest>): TimedRequest => ({ method: "GET", path: "/", type: "fetch", rsc: false, action: false, start: 0, end: 0, ...over });

describe("requestKind", () => {
  it("names server actions, documents, RSC fetches, chunks and auth calls apart", () => {
    expect(requestKind(req({ method: "POST", path: "/enroll", action: true }))).toBe("server action POST /enroll");
    expect(requestKind(req({ type: "document", path: "/login/otp?callbackUrl=%2F" }))).toBe("document GET /login/otp");
    expect(requestKind(req({ path: "/?_rsc=abc", rsc: true }))).toBe("RSC GET /");
    expect(requestKind(req({ type: "script", path: "/_next/static/chunks/a.js" }))).toBe("JS chunks");
    expect(requestKind(req({ method: "POST", path: "/api/auth/callback/credentials" }))).toBe("POST /api/auth/callback/credentials");
  });
});

describe("unionLength", () => {
  it("counts overlapping requests once and gaps not at all", () => {
    expect(unionLength([{ start: 0, end: 10 }, { start: 5, end: 15 }, { start: 20, end: 25 }])).toBe(20);
    expect(unionLength([])).toBe(0);
  });
});

describe("breakDown", () => {
  it("spans each kind of request, counts overlapping requests once and leaves the rest to the browser", () => {
    const requests = [
      req({ method: "POST", path: "/api/auth/callback/credentials", start: 110, end: 400 }),
      req({ type: "document", path: "/login/otp", start: 420, end: 500 }),
      req({ type: "script", path: "/a.js", start: 510, end: 540 }),
      req({ type: "script", path: "/b.js", start: 520, end: 560 }),
    ];
    const b = breakDown(requests, 500);
    expect(b.total).toBe(500);
    expect(b.spans).toEqual({ "POST /api/auth/callback/credentials": 290, "document GET /login/otp": 80, "JS chunks": 50 });
    expect(b.network).toBe(290 + 80 + 50);
    expect(b.browser).toBe(500 - 420);
  });
  it("never gives the network more time than the flow took", () => {
    expect(breakDown([req({ start: 0, end: 900 })], 600).browser).toBe(0);
  });
});
