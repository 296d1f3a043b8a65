import { describe, expect, it } from "vitest";
import { interpolatedQuantile, max, median, min, percentile, percentileOfSorted, summarise } from "../../bench/lib/stats";

describe("bench stats", () => {
  it("takes the middle value of an odd count and the mean of the two middle ones of an even count", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it("does not reorder the caller's values", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it("gives min and max, and refuses to summarise nothing", () => {
    expect(min([3, -1, 2])).toBe(-1);
    expect(max([3, -1, 2])).toBe(3);
    expect(() => median([])).toThrow(/no values/);
    expect(summarise([9, 1, 5])).toEqual({ median: 5, min: 1, max: 9, runs: 3 });
  });

  it("uses the nearest rank: always a measured value, never interpolated", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 51)).toBe(30);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 1000], 95)).toBe(1000);
    expect(() => percentile(values, 101)).toThrow(/outside/);
  });

  it("agrees between the sorted-input and the general percentile", () => {
    const values = [5, 3, 9, 1, 7, 2, 8];
    const sorted = Float64Array.from(values).sort();
    for (const p of [1, 25, 50, 90, 99, 100]) expect(percentileOfSorted(sorted, p)).toBe(percentile(values, p));
    expect(percentileOfSorted([], 50)).toBe(0);
  });

  it("interpolates between the nearest ranks when asked to (few samples a run)", () => {
    expect(interpolatedQuantile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(interpolatedQuantile([10, 20, 30, 40], 0.5)).toBe(median([10, 20, 30, 40]));
    expect(interpolatedQuantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.95)).toBe(10.5);
    expect(interpolatedQuantile([7], 0.95)).toBe(7);
    expect(() => interpolatedQuantile([1], 1.5)).toThrow(/outside/);
  });
});
