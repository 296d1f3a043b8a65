import { describe, expect, it } from "vitest";
import { median, quantile, round } from "../../bench/lib/quantile";

describe("quantile", () => {
  it("interpolates between the two nearest ranks", () => {
    expect(quantile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.95)).toBe(10.5);
  });
  it("does not depend on the order of the values and leaves them as they were", () => {
    const values = [30, 10, 20];
    expect(median(values)).toBe(20);
    expect(values).toEqual([30, 10, 20]);
  });
  it("gives the extremes at 0 and 1 and the one value of a single run", () => {
    expect(quantile([5, 1, 9], 0)).toBe(1);
    expect(quantile([5, 1, 9], 1)).toBe(9);
    expect(quantile([7], 0.95)).toBe(7);
  });
  it("refuses no values and quantiles outside 0…1", () => {
    expect(() => quantile([], 0.5)).toThrow();
    expect(() => quantile([1], 1.5)).toThrow();
  });
  it("rounds for the table", () => {
    expect(round(12.345)).toBe(12.3);
    expect(round(12.345, 0)).toBe(12);
  });
});
