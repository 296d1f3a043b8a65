// What a typed PIN + one-time password must look like before anyone asks SafeNet: digits only,
// spaces ignored, 6 to 24 long. Pure, so the forms and the server share one rule.

export const PASSCODE_HINT = "Enter your PIN followed by the one-time password, digits only.";

/** The passcode without spaces, or null when it cannot be one. */
export function readPasscode(input: unknown): string | null {
  if (typeof input !== "string") return null;
  const passcode = input.replace(/\s+/g, "");
  return /^[0-9]{6,24}$/.test(passcode) ? passcode : null;
}

/** How the sign-in's OTP step tells the form that SafeNet asks for the next code (outer window): the prefix, then the state. */
export const OUTER_WINDOW_PREFIX = "OUTER_WINDOW_AUTH|";
