import { describe, expect, it } from "vitest";
import { nulField } from "../../mock-safenet/http/app";
import { contains, startsWith } from "../../mock-safenet/like";

// Text a user typed, on its way into the simulator's SQL: LIKE patterns that take it literally, and
// the NUL character PostgreSQL cannot store, found wherever it hides in a request.

describe("LIKE patterns", () => {
  it("escape %, _ and the escape character, and add the wildcard only where asked", () => {
    expect(startsWith("alice")).toBe("alice%");
    expect(startsWith("a_b%c\\d")).toBe("a\\_b\\%c\\\\d%");
    expect(contains(",first_last@x.com,")).toBe("%,first\\_last@x.com,%");
    expect(contains("%")).toBe("%\\%%");
    expect(startsWith("")).toBe("%");
  });
});

describe("nulField", () => {
  it("names where a NUL is, however deep", () => {
    expect(nulField({ path: { upn: "a\0b" }, query: {}, body: undefined })).toBe("path.upn");
    expect(nulField({ path: {}, query: { to: ["x", "y\0"] }, body: null })).toBe("query.to.1");
    expect(nulField({ body: { a: { b: [{ c: "\0" }] } } })).toBe("body.a.b.0.c");
  });

  it("finds nothing in clean requests, numbers, booleans and other control characters", () => {
    expect(nulField({ path: { upn: "alice@corp.local" }, query: { limit: "5" }, body: { n: 0, t: true, s: "\u0001\u001f\u007f", z: null } })).toBeNull();
    const deep = JSON.parse("[".repeat(3000) + '"x"' + "]".repeat(3000));
    expect(nulField({ body: deep })).toBeNull();
  });
});
