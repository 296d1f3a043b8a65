import { describe, expect, it } from "vitest";
import { percentile, roundRobin, tenth, utcMinute } from "../../bench/lib/admin-stats";

describe("percentile", () => {
  it("interpolates between the closest ranks as numpy's default does", () => {
    const v = [5, 1, 4, 2, 3];
    expect(percentile(v, 50)).toBe(3);
    expect(percentile(v, 0)).toBe(1);
    expect(percentile(v, 100)).toBe(5);
    expect(percentile(v, 95)).toBeCloseTo(4.8);
    expect(percentile([10, 20], 50)).toBe(15);
  });
  it("does not reorder the caller's values", () => {
    const v = [3, 1, 2];
    percentile(v, 50);
    expect(v).toEqual([3, 1, 2]);
  });
  it("refuses an empty run and a percentile outside 0–100", () => {
    expect(() => percentile([], 50)).toThrow(/no values/);
    expect(() => percentile([1], 101)).toThrow(/outside/);
  });
  it("a slow tail moves p95, not p50", () => {
    const v = [...Array(28).fill(10), 400, 500];
    expect(percentile(v, 50)).toBe(10);
    expect(percentile(v, 95)).toBeGreaterThan(150);
  });
});

describe("roundRobin", () => {
  it("sends each name once per round and rotates who goes first", () => {
    expect(roundRobin(["a", "b", "c"], 3)).toEqual(["a", "b", "c", "b", "c", "a", "c", "a", "b"]);
  });
  it("gives every name the same number of turns", () => {
    const order = roundRobin(["a", "b", "c", "d"], 30);
    for (const n of ["a", "b", "c", "d"]) expect(order.filter((x) => x === n)).toHaveLength(30);
  });
});

describe("utcMinute", () => {
  it("writes the datetime-local value the events filters read as UTC", () => {
    expect(utcMinute(Date.UTC(2026, 11, 1, 23, 5, 59))).toBe("2026-12-01T23:05");
  });
});

describe("tenth", () => {
  it("rounds to one decimal", () => {
    expect(tenth(12.345)).toBe(12.3);
    expect(tenth(0.05)).toBe(0.1);
  });
});
