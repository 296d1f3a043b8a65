import { sql, type Sql } from "../lib/runtime/sql";
import { TOKEN_COLUMNS, type TokenRow } from "./token-store";

// The statements of one validation, as plain SQL on the transaction's handle: no query builder, and
// each template compiles once per dialect (SQLite also keeps the prepared statement).

export type CounterFields = Pick<TokenRow, "state" | "counter" | "lastStep" | "driftSteps" | "failCount" | "lockedUntil" | "lastUsedAt">;

export interface ResyncState {
  tokenId: number;
  matched: number;
  expiresAt: number;
}

export function makeHotPath(db: Sql) {
  return {
    repository: (name: string) =>
      db.get<{ id: number; name: string; netbiosName: string }>(
        sql`SELECT id, name, netbios_name AS "netbiosName" FROM repositories WHERE name = ${name.toLowerCase()}`,
      ),
    userByUpn: (repositoryId: number, upn: string) =>
      db.get<{ id: number; upn: string }>(sql`SELECT id, upn FROM users WHERE repository_id = ${repositoryId} AND upn = ${upn}`),
    userBySam: (repositoryId: number, sam: string) =>
      db.get<{ id: number; upn: string }>(sql`SELECT id, upn FROM users WHERE repository_id = ${repositoryId} AND sam = ${sam}`),
    /** The user's usable tokens, each row locked until the validation's transaction ends (PostgreSQL; SQLite holds its write lock). */
    userTokens: (userId: number) =>
      db.all<TokenRow>(sql`SELECT ${TOKEN_COLUMNS} FROM tokens t WHERE t.user_id = ${userId} AND t.state NOT IN ('Lost', 'Inventory') ORDER BY t.id${db.forUpdate}`),
    /** Writes the token's counters and lock fields as `t` now holds them. */
    saveCounters: (t: CounterFields & { id: number }) =>
      db.run(sql`UPDATE tokens SET state = ${t.state}, counter = ${t.counter}, last_step = ${t.lastStep}, drift_steps = ${t.driftSteps},
        fail_count = ${t.failCount}, locked_until = ${t.lockedUntil}, last_used_at = ${t.lastUsedAt} WHERE id = ${t.id}`),
    /** A pending resynchronisation, removed as it is read: a state answers once, whichever instance asks. */
    takeResync: (id: string) =>
      db.get<ResyncState>(sql`DELETE FROM resync_states WHERE id = ${id} RETURNING token_id AS "tokenId", matched, expires_at AS "expiresAt"`),
    addResync: (id: string, tokenId: number, matched: number, expiresAt: number) =>
      db.run(sql`INSERT INTO resync_states (id, token_id, matched, expires_at) VALUES (${id}, ${tokenId}, ${matched}, ${expiresAt})`),
  };
}

export type HotPath = ReturnType<typeof makeHotPath>;
