import { eq } from "drizzle-orm";
import type { SimDb } from "./db";
import { policy } from "./db/schema";
import { brokenRelations, DEFAULT_POLICY, type Policy } from "../lib/safenet/contract";

// SafeNet's authentication policy as the simulator keeps it; its fields, limits and defaults are the contract's.

/** The relations between fields the PUT breaks, as `details` of its 400 (a later rule overrides an earlier one). */
export function policyProblems(p: Policy): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const r of brokenRelations(p)) problems[r.field] = `must ${r.rule === "greater" ? "be greater than" : "not be greater than"} ${r.than}`;
  return problems;
}

export function makePolicyStore(db: SimDb) {
  const read = db.select({ value: policy.value }).from(policy).where(eq(policy.id, 1)).prepare();
  return {
    get(): Policy {
      const row = read.get();
      return row ? { ...DEFAULT_POLICY, ...(row.value as Partial<Policy>) } : DEFAULT_POLICY;
    },
    put(next: Policy): void {
      db.insert(policy)
        .values({ id: 1, value: next, updatedAt: Date.now() })
        .onConflictDoUpdate({ target: policy.id, set: { value: next, updatedAt: Date.now() } })
        .run();
    },
  };
}

export type PolicyStore = ReturnType<typeof makePolicyStore>;
