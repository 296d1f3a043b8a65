import { describe, expect, it } from "vitest";
import { readPasscode } from "../../lib/auth/passcode";

describe("a typed PIN + one-time password", () => {
  it.each([
    ["4089 123 456", "4089123456"],
    ["123456", "123456"],
    [" 4089123456 ", "4089123456"],
    ["1".repeat(24), "1".repeat(24)],
  ])("%j reads as %j", (typed, passcode) => {
    expect(readPasscode(typed)).toBe(passcode);
  });

  it.each([["12345"], ["1".repeat(25)], ["4089abc123"], ["４０８９１２３４５６"], [""], [undefined], [123456]])("refuses %j", (typed) => {
    expect(readPasscode(typed)).toBeNull();
  });
});
