import { sql, type Sql } from "../lib/runtime/sql";
import { brokenRelations, DEFAULT_POLICY, type Policy } from "../lib/safenet/contract";

// SafeNet's authentication policy as the simulator keeps it; its fields, limits and defaults are the contract's.
// Read from the database on every use (one primary-key row): a change through any instance holds at once on all.

/** The relations between fields the PUT breaks, as `details` of its 400 (a later rule overrides an earlier one). */
export function policyProblems(p: Policy): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const r of brokenRelations(p)) problems[r.field] = `must ${r.rule === "greater" ? "be greater than" : "not be greater than"} ${r.than}`;
  return problems;
}

export async function readPolicy(db: Sql): Promise<Policy> {
  const row = await db.get<{ value: string }>(sql`SELECT value FROM policy WHERE id = 1`);
  return row ? { ...DEFAULT_POLICY, ...(JSON.parse(row.value) as Partial<Policy>) } : DEFAULT_POLICY;
}

export function makePolicyStore(db: Sql) {
  return {
    get: () => readPolicy(db),
    async put(next: Policy): Promise<void> {
      await db.run(sql`INSERT INTO policy (id, value, updated_at) VALUES (1, ${JSON.stringify(next)}, ${Date.now()})
        ON CONFLICT (id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
    },
  };
}

export type PolicyStore = ReturnType<typeof makePolicyStore>;
