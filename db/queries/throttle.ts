import { eq } from "drizzle-orm";
import { afterFailure, afterSuccess, blockedFor, type ThrottleLimit, type ThrottleState } from "@/lib/auth/throttle";
import type { PortalDb } from "../index";
import { signInThrottle } from "../schema";

export interface ThrottleKey {
  key: string;
  limit: ThrottleLimit;
}

type Tx = Pick<PortalDb, "select" | "insert" | "delete">;

function read(tx: Tx, key: string): ThrottleState | undefined {
  const row = tx.select().from(signInThrottle).where(eq(signInThrottle.key, key)).get();
  return row && { failures: row.failures, windowStart: row.windowStart, blockedUntil: row.blockedUntil };
}

function write(tx: Tx, key: string, state: ThrottleState | undefined): void {
  if (!state) return;
  tx.insert(signInThrottle).values({ key, ...state }).onConflictDoUpdate({ target: signInThrottle.key, set: state }).run();
}

/**
 * Counts one attempt against every key before anyone asks SafeNet, in one write transaction
 * (BEGIN IMMEDIATE takes SQLite's write lock, so parallel requests and other processes queue):
 * resolves to 0 when the attempt may go ahead, else the milliseconds to wait, counting nothing.
 */
export async function reserveAttempt(db: PortalDb, keys: ThrottleKey[], now = Date.now()): Promise<number> {
  return db.transaction(
    (tx) => {
      const states = keys.map((k) => read(tx, k.key));
      const wait = Math.max(0, ...states.map((s) => blockedFor(s, now)));
      if (wait > 0) return wait;
      keys.forEach((k, i) => write(tx, k.key, afterFailure(states[i], k.limit, now)));
      return 0;
    },
    { behavior: "immediate" },
  );
}

/** A right password gives its attempt back: the account starts afresh, the address gets one back. */
export async function attemptSucceeded(db: PortalDb, account: string, address: ThrottleKey): Promise<void> {
  db.transaction(
    (tx) => {
      tx.delete(signInThrottle).where(eq(signInThrottle.key, account)).run();
      write(tx, address.key, afterSuccess(read(tx, address.key), address.limit));
    },
    { behavior: "immediate" },
  );
}

/** A key's throttle row, for the administrator's view of a user. */
export async function throttleState(db: PortalDb, key: string): Promise<ThrottleState | null> {
  return read(db, key) ?? null;
}

/** An administrator lets the key try again at once; true when there was something to clear. */
export async function clearThrottle(db: PortalDb, key: string): Promise<boolean> {
  return db.delete(signInThrottle).where(eq(signInThrottle.key, key)).run().changes > 0;
}
