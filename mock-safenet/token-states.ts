// The token life cycle of the contract: which operation each state allows, and what it leads to.

export type TokenState = "Inventory" | "Assigned" | "Active" | "Suspended" | "Locked" | "Lost";

export type TokenOperation = "activate" | "suspend" | "reactivate" | "unlock" | "revoke" | "resync" | "pin" | "reissue";

const ALLOWED: Record<TokenOperation, TokenState[]> = {
  activate: ["Assigned"],
  suspend: ["Assigned", "Active", "Locked"],
  reactivate: ["Suspended"],
  unlock: ["Locked"],
  revoke: ["Assigned", "Active", "Suspended", "Locked"],
  resync: ["Active", "Locked", "Suspended"],
  pin: ["Assigned", "Active", "Suspended", "Locked"],
  reissue: ["Assigned", "Active", "Suspended", "Locked"],
};

const WHY_NOT: Record<TokenOperation, string> = {
  activate: "Only an Assigned token can be activated.",
  suspend: "Only an Assigned, Active or Locked token can be suspended.",
  reactivate: "Only a Suspended token can be reactivated.",
  unlock: "Only a Locked token can be unlocked.",
  revoke: "Only an Assigned, Active, Suspended or Locked token can be revoked.",
  resync: "Only an Active, Locked or Suspended token can be resynchronised.",
  pin: "The PIN of an Inventory or Lost token cannot be set.",
  reissue: "An Inventory or Lost token cannot be reissued; provision a new token instead.",
};

export function allows(op: TokenOperation, state: TokenState): boolean {
  return ALLOWED[op].includes(state);
}

export function refusal(op: TokenOperation, state: TokenState): string {
  return `This token is ${state}. ${WHY_NOT[op]}`;
}

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
