import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isSecretField, parseForm } from "../../lib/forms";

describe("form parsing", () => {
  it.each([
    ["pin", true],
    ["newPin", true],
    ["pinConfirm", true],
    ["otp1", true],
    ["otp2", true],
    ["passcode", true],
    ["password", true],
    ["activationKey", true],
    ["otpServiceUrl", false],
    ["pinMode", false],
    ["pinMinLength", false],
    ["otpLength", false],
    ["tmsUrl", false],
    ["username", false],
    ["email", false],
  ])("treats %s as secret: %s", (name, secret) => {
    expect(isSecretField(name)).toBe(secret);
  });

  it("returns each field's first error and the input without secrets", () => {
    const form = new FormData();
    form.set("email", "not-an-email");
    form.set("pin", "12");
    form.set("otpServiceUrl", "http://x");
    const result = parseForm(z.object({ email: z.email("Enter an email address."), pin: z.string().length(4, "Four digits."), otpServiceUrl: z.string() }), form);
    expect(result.ok).toBe(false);
    if (result.ok || result.state.status !== "error") return;
    expect(result.state.fieldErrors).toEqual({ email: "Enter an email address.", pin: "Four digits." });
    expect(result.state.values).toEqual({ email: "not-an-email", otpServiceUrl: "http://x" });
  });
});
