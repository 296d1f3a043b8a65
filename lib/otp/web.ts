import { generate } from "otplib";
import { timeStepAt } from "./steps";

// Browser-safe HOTP/TOTP: otplib's default plugins (noble hashes, scure base32) instead of node:crypto,
// which lib/otp/index.ts uses. Secrets are raw bytes.

export interface GenerateOtpParams {
  secret: Uint8Array;
  mode: "time" | "event";
  digits: number;
  /** Time-based only; default 30. */
  stepSeconds?: number;
  /** Event-based only: the counter to use. */
  counter?: number;
  /** Time-based only; default now. */
  nowSeconds?: number;
  /** Time-based only: RFC 6238's T0 (PSKC's Time), the moment step 0 starts; default 0. */
  t0Seconds?: number;
  /** Default SHA1, the only hash PSKC seed files and MobilePASS use; the others are for RFC 6238's vectors. */
  algorithm?: "SHA1" | "SHA256" | "SHA512";
}

const OTPLIB_ALGORITHM = { SHA1: "sha1", SHA256: "sha256", SHA512: "sha512" } as const;

/** The passcode a MobilePASS token shows: TOTP at `nowSeconds` or HOTP at `counter`. */
export async function generateOtp(p: GenerateOtpParams): Promise<string> {
  let counter: number;
  if (p.mode === "time") {
    const now = p.nowSeconds ?? Date.now() / 1000;
    // TOTP is HOTP over the time step, exactly as lib/otp computes it on the server.
    counter = timeStepAt(now - (p.t0Seconds ?? 0), p.stepSeconds ?? 30);
  } else {
    if (p.counter === undefined) throw new RangeError("An event-based passcode needs a counter.");
    counter = p.counter;
  }
  return generate({ strategy: "hotp", secret: p.secret, counter, digits: p.digits as 6 | 7 | 8, algorithm: OTPLIB_ALGORITHM[p.algorithm ?? "SHA1"] });
}

export { secondsLeftInStep as secondsLeft } from "./steps";
