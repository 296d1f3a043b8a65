import { eq } from "drizzle-orm";
import { afterFailure, afterSuccess, blockedFor, type ThrottleLimit, type ThrottleState } from "@/lib/auth/throttle";
import { getDb } from "../index";
import { signInThrottle } from "../schema";

export interface ThrottleKey {
  key: string;
  limit: ThrottleLimit;
}

function read(key: string): ThrottleState | undefined {
  const row = getDb().select().from(signInThrottle).where(eq(signInThrottle.key, key)).get();
  return row && { failures: row.failures, windowStart: row.windowStart, blockedUntil: row.blockedUntil };
}

function write(key: string, state: ThrottleState | undefined): void {
  if (!state) return;
  getDb().insert(signInThrottle).values({ key, ...state }).onConflictDoUpdate({ target: signInThrottle.key, set: state }).run();
}

/**
 * Counts one attempt against every key before anyone asks SafeNet, in one write transaction
 * (BEGIN IMMEDIATE takes SQLite's write lock, so parallel requests and other processes queue):
 * returns 0 when the attempt may go ahead, else the milliseconds to wait, counting nothing.
 */
export function reserveAttempt(keys: ThrottleKey[], now = Date.now()): number {
  return getDb().$client.transaction(() => {
    const states = keys.map((k) => read(k.key));
    const wait = Math.max(0, ...states.map((s) => blockedFor(s, now)));
    if (wait > 0) return wait;
    keys.forEach((k, i) => write(k.key, afterFailure(states[i], k.limit, now)));
    return 0;
  }).immediate();
}

/** A right password gives its attempt back: the account starts afresh, the address gets one back. */
export function attemptSucceeded(account: string, address: ThrottleKey): void {
  getDb().$client.transaction(() => {
    getDb().delete(signInThrottle).where(eq(signInThrottle.key, account)).run();
    write(address.key, afterSuccess(read(address.key), address.limit));
  }).immediate();
}
