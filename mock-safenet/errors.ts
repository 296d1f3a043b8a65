// The contract's error shape: {"error":{"code","message","details"}} with the HTTP status beside it.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const notFound = (what: string, details?: Record<string, unknown>) =>
  new ApiError(404, "not_found", `${what} was not found.`, details);

export const badInput = (message: string, details: Record<string, unknown>) =>
  new ApiError(400, "invalid_input", message, details);

export const wrongState = (message: string, details?: Record<string, unknown>) =>
  new ApiError(422, "invalid_state", message, details);
