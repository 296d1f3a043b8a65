import { afterFailure, afterSuccess, blockedFor, type ThrottleLimit, type ThrottleState } from "@/lib/auth/throttle";
import { sql } from "@/lib/runtime/sql";
import type { PortalDb } from "../index";

export interface ThrottleKey {
  key: string;
  limit: ThrottleLimit;
}

// Every read-modify-write of throttle rows holds, for its transaction, one named lock per key
// (taken in sorted order, so two transactions never wait on each other crosswise) and then the rows
// themselves FOR UPDATE. The named lock is what makes a key's FIRST attempts safe on PostgreSQL: a
// row that does not exist yet cannot be locked, and READ COMMITTED would let 40 parallel first
// attempts each read "no failures". Inserting placeholder rows first would do it too, but would
// leave rows (and an admin's "clear" to click) for attempts that were refused. The row lock makes
// writers that take no named lock (an administrator clearing the key) wait for the transaction.
// On SQLite both are no-ops: BEGIN IMMEDIATE already holds the database's one write lock.

async function lockKeys(tx: PortalDb, keys: string[]): Promise<void> {
  for (const k of [...new Set(keys)].sort()) await tx.lock(`portal:throttle:${k}`);
}

async function read(db: PortalDb, key: string, lock = false): Promise<ThrottleState | undefined> {
  return db.get<ThrottleState>(sql`
    SELECT failures, window_start AS "windowStart", blocked_until AS "blockedUntil"
    FROM sign_in_throttle WHERE key = ${key}${lock ? db.forUpdate : sql.empty}`);
}

async function write(tx: PortalDb, key: string, state: ThrottleState | undefined): Promise<void> {
  if (!state) return;
  await tx.run(sql`
    INSERT INTO sign_in_throttle (key, failures, window_start, blocked_until) VALUES (${key}, ${state.failures}, ${state.windowStart}, ${state.blockedUntil})
    ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, blocked_until = excluded.blocked_until`);
}

/**
 * Counts one attempt against every key before anyone asks SafeNet, in one transaction that holds
 * the keys' locks (so parallel requests, and other processes or instances, queue): resolves to 0
 * when the attempt may go ahead, else the milliseconds to wait, counting nothing.
 */
export async function reserveAttempt(db: PortalDb, keys: ThrottleKey[], now = Date.now()): Promise<number> {
  return db.transaction(async (tx) => {
    await lockKeys(
      tx,
      keys.map((k) => k.key),
    );
    const states: (ThrottleState | undefined)[] = [];
    for (const k of keys) states.push(await read(tx, k.key, true));
    const wait = Math.max(0, ...states.map((s) => blockedFor(s, now)));
    if (wait > 0) return wait;
    for (const [i, k] of keys.entries()) await write(tx, k.key, afterFailure(states[i], k.limit, now));
    return 0;
  });
}

/** A right password gives its attempt back: the account starts afresh, the address gets one back. */
export async function attemptSucceeded(db: PortalDb, account: string, address: ThrottleKey): Promise<void> {
  await db.transaction(async (tx) => {
    await lockKeys(tx, [account, address.key]);
    await tx.run(sql`DELETE FROM sign_in_throttle WHERE key = ${account}`);
    await write(tx, address.key, afterSuccess(await read(tx, address.key, true), address.limit));
  });
}

/** A key's throttle row, for the administrator's view of a user. */
export async function throttleState(db: PortalDb, key: string): Promise<ThrottleState | null> {
  return (await read(db, key)) ?? null;
}

/** An administrator lets the key try again at once; true when there was something to clear. */
export async function clearThrottle(db: PortalDb, key: string): Promise<boolean> {
  return (await db.run(sql`DELETE FROM sign_in_throttle WHERE key = ${key}`)) > 0;
}
