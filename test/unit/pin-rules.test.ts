import { describe, expect, it } from "vitest";
import { pinLengthText, pinProblem } from "@/lib/enroll/pin-rules";
import { signInIsRecent, REAUTH_AFTER_MS } from "@/lib/server/auth/session-refresh";

describe("pinProblem", () => {
  it("accepts PINs that follow no pattern", () => {
    for (const pin of ["4089", "7315", "5820", "9046", "3071"]) expect(pinProblem(pin)).toBeNull();
  });

  it("refuses one digit repeated", () => {
    for (const pin of ["0000", "1111", "9999"]) expect(pinProblem(pin)).toMatch(/one digit repeated/);
  });

  it("refuses digits counting up or down", () => {
    for (const pin of ["1234", "0123", "3456", "6789"]) expect(pinProblem(pin)).toMatch(/counting up/);
    for (const pin of ["4321", "9876", "3210"]) expect(pinProblem(pin)).toMatch(/counting down/);
  });

  it("refuses repeated pairs and blocks", () => {
    for (const pin of ["1212", "1313", "4545", "0909"]) expect(pinProblem(pin)).toMatch(/repeats/);
    expect(pinProblem("123123", { min: 4, max: 8 })).toMatch(/repeats 123/);
  });

  it("refuses the most common PINs, keypad columns among them", () => {
    for (const pin of ["1004", "2000", "1122", "2580", "1984"]) expect(pinProblem(pin)).toMatch(/most common PINs/);
    expect(pinProblem("6969")).not.toBeNull();
  });

  it("follows the policy's lengths and digits-only rule, each refusal a sentence", () => {
    expect(pinProblem("408")).toBe("The PIN must be 4 digits long, as the SafeNet policy asks; yours has 3.");
    expect(pinProblem("40891")).toMatch(/4 digits long/);
    expect(pinProblem("40891", { min: 4, max: 6 })).toBeNull();
    expect(pinProblem("40a9")).toMatch(/digits only/);
    expect(pinProblem("")).toBe("Enter a PIN of 4 digits.");
    for (const pin of ["0000", "1234", "1212", "2580"]) expect(pinProblem(pin)).toMatch(/^[A-Z0-9].*\.$/);
  });

  it("names the lengths as the hint says them", () => {
    expect(pinLengthText({ min: 4, max: 4 })).toBe("4 digits");
    expect(pinLengthText({ min: 4, max: 8 })).toBe("4 to 8 digits");
  });
});

describe("signInIsRecent (enrolling needs a sign-in under 20 minutes old)", () => {
  const now = 1_800_000_000_000;
  it("is true just before 20 minutes and false from then on", () => {
    expect(signInIsRecent(now - REAUTH_AFTER_MS + 1000, now)).toBe(true);
    expect(signInIsRecent(now - REAUTH_AFTER_MS, now)).toBe(false);
    expect(signInIsRecent(0, now)).toBe(false);
  });
});
