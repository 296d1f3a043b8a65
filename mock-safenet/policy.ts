import { eq } from "drizzle-orm";
import { z } from "zod";
import type { SimDb } from "./db";
import { policy } from "./db/schema";

// SafeNet's authentication policy: the defaults of the contract and the limits it allows.

export const policySchema = z
  .object({
    lockThreshold: z.number().int().min(0).max(100),
    lockDurationSeconds: z.number().int().min(1).max(30 * 86400),
    pinMode: z.enum(["server", "token"]),
    pinPosition: z.enum(["prefix", "suffix"]),
    pinMinLength: z.number().int().min(4).max(8),
    pinMaxLength: z.number().int().min(4).max(8),
    otpLength: z.union([z.literal(6), z.literal(8)]),
    timeStepSeconds: z.union([z.literal(30), z.literal(60)]),
    timeDriftSteps: z.number().int().min(0).max(10),
    lookAheadWindow: z.number().int().min(1).max(100),
    outerWindow: z.number().int().min(1).max(1000),
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;

export const DEFAULT_POLICY: Policy = {
  lockThreshold: 3,
  lockDurationSeconds: 600,
  pinMode: "server",
  pinPosition: "prefix",
  pinMinLength: 4,
  pinMaxLength: 4,
  otpLength: 6,
  timeStepSeconds: 30,
  timeDriftSteps: 1,
  lookAheadWindow: 10,
  outerWindow: 100,
};

/** Checks the relations between fields that a per-field schema cannot see. */
export function policyProblems(p: Policy): Record<string, string> {
  const problems: Record<string, string> = {};
  if (p.pinMinLength > p.pinMaxLength) problems.pinMinLength = "must not be greater than pinMaxLength";
  if (p.outerWindow <= p.lookAheadWindow) problems.outerWindow = "must be greater than lookAheadWindow";
  if (p.outerWindow <= p.timeDriftSteps) problems.outerWindow = "must be greater than timeDriftSteps";
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
