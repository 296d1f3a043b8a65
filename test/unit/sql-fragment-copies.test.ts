import { describe, expect, it, vi } from "vitest";

// Next bundles lib/runtime/sql once per layer (server components and SSR) while the process keeps
// one database handle: fragments made by one copy must compile in the other.

describe("sql fragments across two copies of the module", () => {
  it("splices the other copy's nested fragments and raw text instead of binding them as parameters", async () => {
    const a = await import("../../lib/runtime/sql/fragment");
    vi.resetModules();
    const b = await import("../../lib/runtime/sql/fragment");
    expect(b.Fragment).not.toBe(a.Fragment);
    const query = b.sql`SELECT ${b.sql.raw('"user"')} FROM events WHERE ${b.sql`kind = ${"token"}`} ${b.sql.empty}LIMIT ${5}`;
    expect(a.compile(query, "postgres")).toEqual({ text: 'SELECT "user" FROM events WHERE kind = $1 LIMIT $2', params: ["token", 5] });
    expect(a.compile(query, "sqlite")).toEqual({ text: 'SELECT "user" FROM events WHERE kind = ? LIMIT ?', params: ["token", 5] });
  });
});
