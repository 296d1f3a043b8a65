export type PskcErrorCode = "malformed" | "wrong_password" | "mac_mismatch" | "unsupported";

/** A PSKC file could not be read. `message` says what to fix; it never contains the secret or the password. */
export class PskcError extends Error {
  readonly code: PskcErrorCode;

  constructor(code: PskcErrorCode, message: string) {
    super(message);
    this.name = "PskcError";
    this.code = code;
  }
}

const sentence = (m: string) => m.charAt(0).toUpperCase() + m.slice(1);

export const malformed = (message: string) => new PskcError("malformed", sentence(message));
export const unsupported = (message: string) => new PskcError("unsupported", sentence(message));
