import { pinLengthText } from "../enroll/pin-rules";
import type { Policy } from "../safenet/contract";

// The OTP prompt's words: SafeNet's answers as the client shows them, what each failure reason
// means for the person at the keyboard, and what the policy expects them to type.

export interface OtpAnswer {
  code: number;
  result: string;
  message: string;
  reason?: string;
  serial?: string;
}

/** "1 AUTH_SUCCESS — SafeNet authentication OK." */
export function answerLine(a: OtpAnswer): string {
  return `${a.code} ${a.result} — ${a.message}`;
}

const REASONS: Record<string, string> = {
  wrong_pin: "The PIN part of the passcode is not right. Enter your PIN again, followed by the current code.",
  wrong_otp: "The one-time password is not right or not current. Enter your PIN followed by the code MobilePASS shows now.",
  replayed: "This one-time password was already used, and SafeNet accepts each code once only. Wait for the next code.",
  locked: "The token is locked after too many wrong passcodes. It unlocks by itself after a while, or an administrator can unlock it.",
  suspended: "The token is suspended. Ask an administrator to reactivate it.",
  not_active: "The token is not active yet. Activate it with the key from the activation email first.",
  no_token: "This user has no token. Enroll one, or ask an administrator to assign one.",
  unknown_user: "SafeNet does not know this user. Check the user name.",
};

/** What the answer means and what to do next. */
export function answerExplanation(a: OtpAnswer, resync = false): string {
  if (a.code === 1) {
    return resync
      ? "The token is resynchronised and the logon is complete: the client would open the session now."
      : "The logon is complete: the client would open the session now.";
  }
  if (a.code === 5) {
    return "The code is beyond the token's look-ahead window, so SafeNet asks for proof: enter your PIN followed by the next code to resynchronise the token.";
  }
  return REASONS[a.reason ?? ""] ?? "SafeNet refused the passcode. Try again, or ask an administrator for help.";
}

/** Reasons after which another passcode may succeed (a lock or suspension needs an administrator). */
export function mayRetry(a: OtpAnswer): boolean {
  return a.code === 5 || (a.code === 0 && ["wrong_pin", "wrong_otp", "replayed"].includes(a.reason ?? ""));
}

/** Reasons that count towards a lock, after which the remaining attempts are shown. */
export function countsTowardsLock(a: OtpAnswer): boolean {
  return a.code === 0 && (a.reason === "wrong_pin" || a.reason === "wrong_otp");
}

export type PasscodePolicy = Pick<Policy, "pinMode" | "pinPosition" | "pinMinLength" | "pinMaxLength" | "otpLength">;

/** What to type, from the policy: where the PIN goes and how long each part is. */
export function passcodeHint(p: PasscodePolicy): string {
  const otp = `the ${p.otpLength}-digit one-time password`;
  if (p.pinMode === "token") return `Enter ${otp} alone: with this policy the PIN stays in MobilePASS.`;
  const pin = `your PIN (${pinLengthText({ min: p.pinMinLength, max: p.pinMaxLength })})`;
  return p.pinPosition === "prefix"
    ? `Enter ${pin} followed by ${otp}, with nothing in between.`
    : `Enter ${otp} followed by ${pin}, with nothing in between.`;
}

/** Why `passcode` cannot be right under the policy, or null; spares the user a wasted attempt. */
export function passcodeProblem(passcode: string, p: PasscodePolicy): string | null {
  if (passcode === "") return "Enter the passcode. " + passcodeHint(p);
  if (!/^[0-9]+$/.test(passcode)) return "The passcode holds digits only. " + passcodeHint(p);
  const min = p.pinMode === "token" ? p.otpLength : p.pinMinLength + p.otpLength;
  const max = p.pinMode === "token" ? p.otpLength : p.pinMaxLength + p.otpLength;
  if (passcode.length < min || passcode.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    return `The passcode should have ${want} digits; this one has ${passcode.length}. ${passcodeHint(p)}`;
  }
  return null;
}
