// Sign-in throttling, pure: attempts counted per key in a window, each before SafeNet is asked; past
// the limit the key is blocked for a while. A right password gives its attempt back. The same rule
// applies to an account (any spelling of its name) and to a client address.

export interface ThrottleState {
  failures: number;
  windowStart: number;
  blockedUntil: number | null;
}

export interface ThrottleLimit {
  maxFailures: number;
  windowMs: number;
  blockMs: number;
}

export const ACCOUNT_LIMIT: ThrottleLimit = { maxFailures: 5, windowMs: 15 * 60_000, blockMs: 15 * 60_000 };
export const ADDRESS_LIMIT: ThrottleLimit = { maxFailures: 30, windowMs: 15 * 60_000, blockMs: 15 * 60_000 };

/** `alice`, `CORP\alice` and `alice@corp.local` are one account. */
export function accountKey(username: string): string {
  const name = username.trim().toLowerCase();
  const afterSlash = name.includes("\\") ? name.slice(name.lastIndexOf("\\") + 1) : name;
  return `account:${afterSlash.split("@")[0]}`;
}

export function addressKey(ip: string): string {
  return `address:${ip.trim().toLowerCase()}`;
}

/** Milliseconds until the key may try again, or 0. */
export function blockedFor(state: ThrottleState | undefined, now: number): number {
  return state?.blockedUntil && state.blockedUntil > now ? state.blockedUntil - now : 0;
}

export function afterFailure(state: ThrottleState | undefined, limit: ThrottleLimit, now: number): ThrottleState {
  const fresh = !state || now - state.windowStart > limit.windowMs;
  const failures = fresh ? 1 : state.failures + 1;
  const windowStart = fresh ? now : state.windowStart;
  return { failures, windowStart, blockedUntil: failures >= limit.maxFailures ? now + limit.blockMs : null };
}

/** A right password: its attempt did not fail after all. */
export function afterSuccess(state: ThrottleState | undefined, limit: ThrottleLimit): ThrottleState | undefined {
  if (!state) return undefined;
  const failures = Math.max(0, state.failures - 1);
  return { ...state, failures, blockedUntil: failures >= limit.maxFailures ? state.blockedUntil : null };
}

export function waitSentence(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  return `Too many failed sign-ins. Wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again, or ask an administrator to clear the block on your user page in the admin console.`;
}
