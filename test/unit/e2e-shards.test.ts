import { describe, expect, it } from "vitest";
import { shardCount } from "../../scripts/e2e";

describe("scripts/e2e.ts shard count", () => {
  it("runs the whole suite in two shards and a chosen spec in one unless told", () => {
    expect(shardCount(undefined, false)).toBe(2);
    expect(shardCount("", false)).toBe(2);
    expect(shardCount(undefined, true)).toBe(1);
    expect(shardCount("3", true)).toBe(3);
    expect(shardCount("1", false)).toBe(1);
  });

  it("refuses a count that is not a whole number from 1 to 8, naming the value", () => {
    for (const bad of ["0", "9", "two", "1.5", "-1"]) expect(shardCount(bad, false)).toBe(`E2E_SHARDS must be a whole number from 1 to 8, not "${bad}".`);
  });
});
