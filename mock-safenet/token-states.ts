import type { TokenState } from "../lib/safenet/contract";

// How a token's lock and suspension play out over time. Which operation each state allows, and the
// refusal sentence, are the contract's table (TOKEN_TRANSITIONS).

export interface LockFields {
  state: TokenState;
  failCount: number;
  lockedUntil: number | null;
}

/** A lock ends by itself once its time has passed; readers see the token as Active again. */
export function effective<T extends LockFields>(row: T, nowMs: number): T {
  if (row.state === "Locked" && row.lockedUntil !== null && row.lockedUntil <= nowMs) {
    return { ...row, state: "Active", failCount: 0, lockedUntil: null };
  }
  return row;
}

/** The state a token returns to when it leaves Suspended: Active once it has ever been activated. */
export function resumedState(activatedAt: number | null): TokenState {
  return activatedAt === null ? "Assigned" : "Active";
}

/** Fail count and lock after one more failure, under the policy's threshold and duration. */
export function afterFailure(
  row: LockFields,
  lockThreshold: number,
  lockDurationSeconds: number,
  nowMs: number,
): LockFields {
  const failCount = row.failCount + 1;
  if (lockThreshold > 0 && failCount >= lockThreshold && row.state === "Active") {
    return { state: "Locked", failCount, lockedUntil: nowMs + lockDurationSeconds * 1000 };
  }
  return { ...row, failCount };
}
