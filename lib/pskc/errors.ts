export type PskcErrorCode = "malformed" | "wrong_password" | "mac_mismatch" | "unsupported" | "over_limit";

/** Which of a reader's caps (`PskcLimits`) a file went over. */
export type PskcLimitName = "maxChars" | "maxPackages" | "maxIterations";

/** A PSKC file could not be read. `message` says what to fix; it never contains the secret or the password. */
export class PskcError extends Error {
  readonly code: PskcErrorCode;
  /** Set when `code` is "over_limit": the cap and its value. */
  readonly limit?: { name: PskcLimitName; max: number };

  constructor(code: PskcErrorCode, message: string, limit?: { name: PskcLimitName; max: number }) {
    super(message);
    this.name = "PskcError";
    this.code = code;
    if (limit) this.limit = limit;
  }
}

const sentence = (m: string) => m.charAt(0).toUpperCase() + m.slice(1);

export const malformed = (message: string) => new PskcError("malformed", sentence(message));
export const unsupported = (message: string) => new PskcError("unsupported", sentence(message));
export const overLimit = (name: PskcLimitName, max: number, message: string) => new PskcError("over_limit", sentence(message), { name, max });
