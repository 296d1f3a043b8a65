import { eq } from "drizzle-orm";
import type { ThrottleState } from "@/lib/auth/throttle";
import { getDb } from "../index";
import { signInThrottle } from "../schema";

export function getThrottle(key: string): ThrottleState | undefined {
  const row = getDb().select().from(signInThrottle).where(eq(signInThrottle.key, key)).get();
  return row && { failures: row.failures, windowStart: row.windowStart, blockedUntil: row.blockedUntil };
}

export function putThrottle(key: string, state: ThrottleState): void {
  getDb()
    .insert(signInThrottle)
    .values({ key, ...state })
    .onConflictDoUpdate({ target: signInThrottle.key, set: state })
    .run();
}

export function clearThrottle(key: string): void {
  getDb().delete(signInThrottle).where(eq(signInThrottle.key, key)).run();
}
