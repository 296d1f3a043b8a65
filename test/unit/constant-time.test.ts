import { describe, expect, it } from "vitest";
import { constantTimeEqual } from "../../lib/crypto/constant-time";

describe("constantTimeEqual", () => {
  const bytes = (...b: number[]) => Uint8Array.from(b);
  it.each<[string, string | Uint8Array, string | Uint8Array, boolean]>([
    ["equal strings", "e2e-tms-api-key-0123456789", "e2e-tms-api-key-0123456789", true],
    ["one character differs", "e2e-tms-api-key-0123456789", "e2e-tms-api-key-0123456788", false],
    ["a prefix", "e2e-tms-api-key", "e2e-tms-api-key-0123456789", false],
    ["a longer string", "4089123456", "40891234567", false],
    ["empty vs empty", "", "", true],
    ["empty vs something", "", "x", false],
    ["letter case counts", "AbC", "abc", false],
    ["equal bytes", bytes(1, 2, 3), bytes(1, 2, 3), true],
    ["bytes of other lengths", bytes(1, 2, 3), bytes(1, 2), false],
    ["Buffer and Uint8Array with the same bytes", Buffer.from([9, 8, 7]), bytes(9, 8, 7), true],
    ["a string and its UTF-8 bytes", "é", Buffer.from("é", "utf8"), true],
    ["a string and its Latin-1 bytes", "é", Buffer.from("é", "latin1"), false],
  ])("%s → %s", (_name, a, b, equal) => {
    expect(constantTimeEqual(a, b)).toBe(equal);
    expect(constantTimeEqual(b, a)).toBe(equal);
  });

  it("never throws on inputs of different lengths or on non-secrets, and refuses them", () => {
    expect(() => constantTimeEqual(Buffer.alloc(32), Buffer.alloc(5))).not.toThrow();
    expect(constantTimeEqual(undefined as unknown as string, undefined as unknown as string)).toBe(false);
    expect(constantTimeEqual(null as unknown as string, "")).toBe(false);
  });
});
