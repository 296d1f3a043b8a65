import { z } from "zod";
import { PASSCODE_HINT, readPasscode } from "@/lib/auth/passcode";
import { pinProblem, type PinLengths } from "@/lib/enroll/pin-rules";

// The fields several forms ask for, each with the sentence shown next to it. Pure. A field the
// form left out reads as "", so it gets its own sentence rather than zod's "expected string".

/** A code MobilePASS shows, without the PIN. */
export const otpCode = (which: "first" | "next") =>
  z
    .string()
    .trim()
    .regex(/^(?:[0-9]{6}|[0-9]{8})$/, `Enter the ${which} code as MobilePASS shows it: 6 or 8 digits.`)
    .prefault("");

/** A PIN followed by the one-time password, read as lib/auth/passcode.ts reads it (spaces dropped). */
export const passcode = (hint = PASSCODE_HINT) =>
  z
    .string()
    .transform((typed, ctx) => {
      const read = readPasscode(typed);
      if (read === null) ctx.addIssue({ code: "custom", message: hint });
      return read ?? "";
    })
    .prefault("");

/** The user a page is about, from its hidden field. */
export const upn = z
  .string()
  .trim()
  .min(1, "The user is missing. Reload the page.")
  .max(256, "The user is missing. Reload the page.")
  .prefault("");

/** The token a page is about, from its hidden field. */
export const tokenSerial = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, "The token is missing from the form. Reload the page and try again.")
  .prefault("");

export const PIN_MISMATCH = "The two PINs are not the same. Enter the new PIN twice.";

/** What is wrong with a new PIN, as a sentence, or null. */
export type PinCheck = (pin: string) => string | null | Promise<string | null>;

/** 4 to 8 digits, all SafeNet could accept: an administrator's reset leaves the rest of the policy to SafeNet. */
export const anyPin: PinCheck = (pin) => (/^[0-9]{4,8}$/.test(pin) ? null : "Enter a PIN of 4 to 8 digits.");

/** The policy's length and nothing easily guessed: what users may choose for themselves. */
export const strongPin =
  (lengths: () => Promise<PinLengths>): PinCheck =>
  async (pin) =>
    pinProblem(pin, await lengths());

const pinText = z.string().prefault("");

/** `shape` plus a new PIN typed twice: the first must pass `check`, then the second must match it. */
export function withNewPin<T extends z.ZodRawShape, P extends string, C extends string>(shape: T, names: { pin: P; confirm: C }, check: PinCheck) {
  const pair = { [names.pin]: pinText, [names.confirm]: pinText } as Record<P | C, typeof pinText>;
  return z.object({ ...shape, ...pair }).superRefine(async (form, ctx) => {
    const { [names.pin]: pin, [names.confirm]: confirm } = form as Record<string, unknown>;
    const problem = await check(String(pin));
    if (problem) ctx.addIssue({ code: "custom", path: [names.pin], message: problem });
    else if (confirm !== pin) ctx.addIssue({ code: "custom", path: [names.confirm], message: PIN_MISMATCH });
  });
}
