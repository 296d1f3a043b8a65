// A token's OTP modes and its life cycle: the states, which operation each state allows, and the
// sentence SafeNet answers (422) when it does not. The simulator enforces this table; the portal
// offers buttons from it. Plain data, no zod: client components and the database schema import it directly.

export const OTP_MODES = ["time", "event"] as const;
export type OtpMode = (typeof OTP_MODES)[number];

export const TOKEN_STATES = ["Inventory", "Assigned", "Active", "Suspended", "Locked", "Lost"] as const;
export type TokenState = (typeof TOKEN_STATES)[number];

export const TOKEN_OPERATIONS = ["activate", "suspend", "reactivate", "unlock", "revoke", "resync", "pin", "reissue"] as const;
export type TokenOperation = (typeof TOKEN_OPERATIONS)[number];

export interface Transition {
  /** The states the operation is allowed from; any other answers 422 `invalid_state`. */
  from: readonly TokenState[];
  /** Why any other state refuses, after "This token is <state>.". */
  whyNot: string;
}

export const TOKEN_TRANSITIONS: Readonly<Record<TokenOperation, Transition>> = {
  activate: { from: ["Assigned"], whyNot: "Only an Assigned token can be activated." },
  suspend: { from: ["Assigned", "Active", "Locked"], whyNot: "Only an Assigned, Active or Locked token can be suspended." },
  reactivate: { from: ["Suspended"], whyNot: "Only a Suspended token can be reactivated." },
  unlock: { from: ["Locked"], whyNot: "Only a Locked token can be unlocked." },
  revoke: { from: ["Assigned", "Active", "Suspended", "Locked"], whyNot: "Only an Assigned, Active, Suspended or Locked token can be revoked." },
  resync: { from: ["Active", "Locked", "Suspended"], whyNot: "Only an Active, Locked or Suspended token can be resynchronised." },
  pin: { from: ["Assigned", "Active", "Suspended", "Locked"], whyNot: "The PIN of an Inventory or Lost token cannot be set." },
  reissue: { from: ["Assigned", "Active", "Suspended", "Locked"], whyNot: "An Inventory or Lost token cannot be reissued; provision a new token instead." },
};

export function allows(op: TokenOperation, state: TokenState): boolean {
  return TOKEN_TRANSITIONS[op].from.includes(state);
}

/** SafeNet's refusal sentence for `op` on a token in `state` (the 422 message). */
export function refusal(op: TokenOperation, state: TokenState): string {
  return `This token is ${state}. ${TOKEN_TRANSITIONS[op].whyNot}`;
}

export const isTokenState = (v: unknown): v is TokenState => (TOKEN_STATES as readonly unknown[]).includes(v);
