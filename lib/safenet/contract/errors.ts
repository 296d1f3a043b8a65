// The one error shape of the contract, {"error":{"code","message","details"?}} beside an HTTP
// status, and the error both processes throw for it. No zod here (errorBodySchema is in
// error-body.ts): client components import this file directly.

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** A SafeNet error: the simulator answers it in the contract's shape; the portal's client throws it. */
export class SafeNetError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return { error: { code, message, ...(details && { details }) } };
}

/** What is known of a SafeNet error; structural, so it also matches one that crossed a serialisation. */
export interface SafeNetErrorLike {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export function isSafeNetError(err: unknown): err is SafeNetErrorLike {
  if (typeof err !== "object" || err === null) return false;
  const e = err as Record<string, unknown>;
  return typeof e.status === "number" && typeof e.code === "string" && typeof e.message === "string";
}
