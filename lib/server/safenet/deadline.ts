import "server-only";
import { headers } from "next/headers";

// One time budget for all the SafeNet calls of one portal request (page, server action or route
// handler), so that a page making two calls still answers within 5 s when SafeNet hangs. Outside a
// request (scripts, tests) each call gets the whole budget.

/** SafeNet waiting allowed per request: under the 5 s every answer must keep, with room for the page's own work. */
export const REQUEST_BUDGET_MS = 4_000;

// Keyed by the request's headers object, which Next creates once per request: the entry goes with it.
const deadlines = new WeakMap<object, number>();

async function requestKey(): Promise<object | null> {
  try {
    return await headers();
  } catch {
    return null; // no request in scope
  }
}

/** Milliseconds this call may wait for SafeNet: what is left of the request's budget (0 once it is spent). */
export async function remainingBudget(now = Date.now()): Promise<number> {
  const key = await requestKey();
  if (!key) return REQUEST_BUDGET_MS;
  let deadline = deadlines.get(key);
  if (deadline === undefined) {
    deadline = now + REQUEST_BUDGET_MS;
    deadlines.set(key, deadline);
  }
  return Math.max(0, deadline - now);
}
