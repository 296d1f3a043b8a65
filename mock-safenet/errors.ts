import { SafeNetError } from "../lib/safenet/contract";

// The simulator's usual errors, in the contract's shape (SafeNetError: status, code, message, details).

export { SafeNetError };

export const notFound = (what: string, details?: Record<string, unknown>) =>
  new SafeNetError(404, "not_found", `${what} was not found.`, details);

export const badInput = (message: string, details: Record<string, unknown>) =>
  new SafeNetError(400, "invalid_input", message, details);

export const wrongState = (message: string, details?: Record<string, unknown>) =>
  new SafeNetError(422, "invalid_state", message, details);
