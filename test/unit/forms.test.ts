import { describe, expect, it } from "vitest";
import { z } from "zod";
import { anyPin, otpCode, passcode, PIN_MISMATCH, strongPin, tokenSerial, upn, withNewPin } from "../../lib/forms/fields";
import { echoed, fieldErrorsOf, formValues } from "../../lib/forms/parse";

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe("reading a submitted form", () => {
  it("reads anything but FormData as an empty form", () => {
    for (const input of [undefined, null, "pin=1234", ["pin", "1234"], { pin: "1234" }]) expect(formValues(input)).toEqual({});
  });

  it("keeps text fields and leaves out files and React's own fields", () => {
    const f = form({ email: "a@corp.local", $ACTION_ID_abc: "" });
    f.set("seed", new Blob(["x"]), "seed.xml");
    expect(formValues(f)).toEqual({ email: "a@corp.local" });
  });

  it("gives each field its first message", () => {
    const schema = z.object({ email: z.email("Enter an email address."), pin: z.string().length(4, "Four digits.").regex(/^\d+$/, "Digits.") });
    const parsed = schema.safeParse({ email: "x", pin: "ab" });
    expect(parsed.success || fieldErrorsOf(parsed.error)).toEqual({ email: "Enter an email address.", pin: "Four digits." });
  });
});

describe("what a failed form shows again", () => {
  const submitted = {
    email: "alice@corp.local",
    otpMode: "time",
    pin: "4089",
    pinConfirm: "4089",
    newPin2: "5120",
    passcode: "4089123456",
    otp1: "123456",
    activationKey: "K3Y",
    password: "Alice!2026",
    stepUpPasscode: "4089654321",
    // Secrets no name rule would spot: only the list decides.
    code: "654321",
    digits: "4089",
    seedHex: "3132333435363738393031323334353637383930",
    x: "Alice!2026",
  };

  it("is the listed fields and nothing else", () => {
    expect(echoed(submitted, ["email", "otpMode"])).toEqual({ email: "alice@corp.local", otpMode: "time" });
  });

  it("is nothing by default", () => {
    expect(echoed(submitted, [])).toEqual({});
  });

  it("never holds a secret's value, whatever its name, when it is not listed", () => {
    const shown = JSON.stringify(echoed(submitted, ["email", "otpMode", "missing"]));
    for (const secret of ["4089", "5120", "123456", "K3Y", "Alice!2026", "654321", "3132333435"]) expect(shown).not.toContain(secret);
  });
});

describe("the shared fields", () => {
  const first = (schema: z.ZodType, input: unknown) => {
    const parsed = schema.safeParse(input);
    return parsed.success ? null : parsed.error.issues[0].message;
  };

  it("reads a passcode without its spaces and says what it must be", () => {
    expect(passcode().parse("4089 123 456")).toBe("4089123456");
    expect(first(passcode(), "4089")).toBe("Enter your PIN followed by the one-time password, digits only.");
    expect(first(passcode("Enter your current PIN first."), undefined)).toBe("Enter your current PIN first.");
  });

  it("takes a code of 6 or 8 digits, nothing between", () => {
    expect(otpCode("first").parse(" 123456 ")).toBe("123456");
    expect(otpCode("next").parse("12345678")).toBe("12345678");
    expect(first(otpCode("next"), "1234567")).toBe("Enter the next code as MobilePASS shows it: 6 or 8 digits.");
    expect(first(otpCode("first"), undefined)).toBe("Enter the first code as MobilePASS shows it: 6 or 8 digits.");
  });

  it("names the hidden fields' problems in words, not zod's", () => {
    expect(first(upn, undefined)).toBe("The user is missing. Reload the page.");
    expect(first(tokenSerial, "../x")).toBe("The token is missing from the form. Reload the page and try again.");
    expect(tokenSerial.parse("MP-0001")).toBe("MP-0001");
  });

  it("checks a new PIN first, then that the second matches it", async () => {
    const names = { pin: "newPin", confirm: "newPinConfirm" } as const;
    const strong = withNewPin({}, names, strongPin(async () => ({ min: 4, max: 4 })));
    const errors = async (input: object) => {
      const parsed = await strong.safeParseAsync(input);
      return parsed.success ? {} : fieldErrorsOf(parsed.error);
    };
    expect(await errors({ newPin: "1234", newPinConfirm: "1234" })).toEqual({ newPin: expect.stringMatching(/counting up/) });
    expect(await errors({ newPin: "4089", newPinConfirm: "4098" })).toEqual({ newPinConfirm: PIN_MISMATCH });
    expect(await errors({ newPin: "4089", newPinConfirm: "4089" })).toEqual({});
    expect(await errors({})).toEqual({ newPin: "Enter a PIN of 4 digits." });
  });

  it("lets an administrator set any PIN of 4 to 8 digits", async () => {
    const reset = withNewPin({ serial: tokenSerial }, { pin: "pin", confirm: "pinConfirm" }, anyPin);
    expect(await reset.parseAsync({ serial: "MP1", pin: "5678", pinConfirm: "5678" })).toEqual({ serial: "MP1", pin: "5678", pinConfirm: "5678" });
    const bad = await reset.safeParseAsync({ serial: "", pin: "567", pinConfirm: "567" });
    expect(bad.success || fieldErrorsOf(bad.error)).toEqual({ serial: expect.stringMatching(/token is missing/), pin: "Enter a PIN of 4 to 8 digits." });
  });
});
