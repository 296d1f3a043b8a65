import { isSafeNetError } from "./contract/errors";
import { allows as stateAllows, isTokenState, refusal, type TokenOperation, type TokenState } from "./contract/states";
import { SEND_NEW_ACTIVATION } from "../enroll/status";

// What an administrator may do to a token in each state (the contract's TOKEN_TRANSITIONS, plus
// delete, which any state allows), and the sentences the console shows around it. Pure: safe in client components.

export { isSafeNetError, type SafeNetErrorLike } from "./contract/errors";

export type TokenAction = Exclude<TokenOperation, "activate"> | "delete";

export interface TokenActionText {
  /** The button that opens the confirmation step. */
  label: string;
  /** The button that carries the action out. */
  confirmLabel: string;
  /** Shown on the confirm button while the action runs. */
  busyLabel: string;
  /** The confirmation question, naming the token and its user. */
  confirm: (serial: string, upn: string) => string;
  /** The outcome once SafeNet has agreed. */
  done: (serial: string, upn: string) => string;
}

export const TOKEN_ACTIONS: Record<TokenAction, TokenActionText> = {
  suspend: {
    label: "Suspend",
    confirmLabel: "Confirm suspend",
    busyLabel: "Suspending…",
    confirm: (s, u) => `Suspend token ${s} of ${u}? It cannot be used to sign in until it is reactivated.`,
    done: (s) => `Token ${s} is suspended. Reactivate it to let it sign in again.`,
  },
  reactivate: {
    label: "Reactivate",
    confirmLabel: "Confirm reactivate",
    busyLabel: "Reactivating…",
    confirm: (s, u) => `Reactivate token ${s} of ${u}? It can be used to sign in again.`,
    done: (s) => `Token ${s} is reactivated.`,
  },
  unlock: {
    label: "Unlock",
    confirmLabel: "Confirm unlock",
    busyLabel: "Unlocking…",
    confirm: (s, u) => `Unlock token ${s} of ${u} now? Its failure count goes back to zero.`,
    done: (s) => `Token ${s} is unlocked and its failure count is zero.`,
  },
  revoke: {
    label: "Revoke (lost)",
    confirmLabel: "Confirm revoke",
    busyLabel: "Revoking…",
    confirm: (s, u) =>
      `Mark token ${s} of ${u} as lost? It stops working for good and ${u}'s portal sessions end at once. This cannot be undone.`,
    done: (s, u) => `Token ${s} is revoked (Lost) and ${u}'s portal sessions have ended.`,
  },
  resync: {
    label: "Resync",
    confirmLabel: "Confirm resync",
    busyLabel: "Resynchronising…",
    confirm: (s, u) => `Resynchronise token ${s} of ${u}: enter two codes that MobilePASS showed one after the other.`,
    done: (s) => `Token ${s} is resynchronised: its next code will be accepted.`,
  },
  pin: {
    label: "Reset PIN",
    confirmLabel: "Confirm PIN reset",
    busyLabel: "Resetting PIN…",
    confirm: (s, u) => `Set a new PIN for token ${s} of ${u}? The old PIN stops working and ${u}'s portal sessions end at once.`,
    done: (s, u) => `The PIN of token ${s} is reset and ${u}'s portal sessions have ended. Tell ${u} the new PIN in person.`,
  },
  reissue: {
    label: SEND_NEW_ACTIVATION,
    confirmLabel: "Confirm sending a new activation",
    busyLabel: "Sending a new activation…",
    confirm: (s, u) =>
      `${SEND_NEW_ACTIVATION} for token ${s} of ${u}? SafeNet creates a new seed and activation key, the old seed stops working, and the token waits for activation again.`,
    done: (s, u) =>
      `A new activation was sent for token ${s}: it is Assigned until ${u} activates it, and the old seed no longer works. ` +
      `You never see the new key; ${u}'s email says what to do next: sign in to New Account Info and choose “${SEND_NEW_ACTIVATION}”, which mails the activation details.`,
  },
  delete: {
    label: "Delete",
    confirmLabel: "Confirm delete",
    busyLabel: "Deleting…",
    confirm: (s, u) => `Delete token ${s} of ${u}? SafeNet forgets it entirely and ${u}'s portal sessions end at once. This cannot be undone.`,
    done: (s, u) => `Token ${s} is deleted and ${u}'s portal sessions have ended.`,
  },
};

/** Actions that must end the user's portal sessions once they succeed. */
// A token taken away or re-keyed ends the owner's sessions at once; any other state change ends
// them at the sessions' next look at SafeNet.
export const ENDS_SESSIONS: ReadonlySet<TokenAction> = new Set<TokenAction>(["suspend", "revoke", "pin", "reissue", "delete"]);

export function allows(action: TokenAction, state: TokenState): boolean {
  return action === "delete" || stateAllows(action, state);
}

/** The actions a token in `state` offers, in the order the console shows them. */
export function allowedActions(state: TokenState): TokenAction[] {
  return (Object.keys(TOKEN_ACTIONS) as TokenAction[]).filter((a) => allows(a, state));
}

/** The simulator's own refusal sentence for a transition the state does not allow. */
export function refusalSentence(action: TokenAction, state: TokenState): string {
  return action === "delete" ? `This token is ${state}.` : refusal(action, state);
}

/** A sentence for people, saying what went wrong and what to do next. */
export function errorSentence(err: unknown, action?: TokenAction): string {
  if (!isSafeNetError(err)) return "The portal could not finish this. Try again; if it keeps failing, check the portal's log.";
  const { status, code, message, details } = err;
  if (status === 422 || code === "invalid_state") {
    if (message) return message;
    const state = details?.state;
    return action && isTokenState(state) ? refusalSentence(action, state) : "The token's state does not allow this. Reload the page to see its current state.";
  }
  if (status === 404) return "SafeNet no longer knows this token or user. Reload the page to see what is there now.";
  if (status === 401) return "SafeNet refused the portal's TMS API key. Check SAFENET_TMS_API_KEY on the portal and the simulator.";
  if (status === 429) return "SafeNet is busy and asked the portal to slow down. Wait a moment and try again.";
  // A bad_answer names the endpoint and what to check already.
  if (status === 400 || status === 409 || status === 503 || code === "bad_answer") return message;
  return `SafeNet could not do this (HTTP ${status}): ${message} Try again in a moment.`;
}
