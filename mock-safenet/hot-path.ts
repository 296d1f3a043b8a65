import { compile, Fragment, sql, type Dialect, type Sql } from "../lib/runtime/sql";
import { TOKEN_COLUMNS, type TokenRow } from "./token-store";

// The statements of one validation, as plain SQL on the transaction's handle: no query builder, no
// objects made per call, and each statement's text compiled once per dialect (SQLite also keeps the
// prepared statement).

export type CounterFields = Pick<TokenRow, "state" | "counter" | "lastStep" | "driftSteps" | "failCount" | "lockedUntil" | "lastUsedAt">;

export interface ResyncState {
  tokenId: number;
  matched: number;
  expiresAt: number;
}

export const repository = (db: Sql, name: string) =>
  db.get<{ id: number; name: string; netbiosName: string }>(
    sql`SELECT id, name, netbios_name AS "netbiosName" FROM repositories WHERE name = ${name.toLowerCase()}`,
  );

export const userByUpn = (db: Sql, repositoryId: number, upn: string) =>
  db.get<{ id: number; upn: string }>(sql`SELECT id, upn FROM users WHERE repository_id = ${repositoryId} AND upn = ${upn}`);

export const userBySam = (db: Sql, repositoryId: number, sam: string) =>
  db.get<{ id: number; upn: string }>(sql`SELECT id, upn FROM users WHERE repository_id = ${repositoryId} AND sam = ${sam}`);

// The column list and the lock clause spliced in once per dialect, so that the statement is a plain
// template with one parameter (compiled once) rather than fragments walked on every validation.
const userTokensText = new Map<Dialect, readonly string[]>();

/** The user's usable tokens, each row locked until the validation's transaction ends (PostgreSQL; SQLite holds its write lock). */
export function userTokens(db: Sql, userId: number): Promise<TokenRow[]> {
  let strings = userTokensText.get(db.dialect);
  if (!strings) {
    const columns = compile(TOKEN_COLUMNS, db.dialect).text;
    const lock = compile(db.forUpdate, db.dialect).text;
    strings = [`SELECT ${columns} FROM tokens t WHERE t.user_id = `, ` AND t.state NOT IN ('Lost', 'Inventory') ORDER BY t.id${lock}`];
    userTokensText.set(db.dialect, strings);
  }
  return db.all<TokenRow>(new Fragment(strings, [userId]));
}

/** Writes the token's counters and lock fields as `t` now holds them. */
export const saveCounters = (db: Sql, t: CounterFields & { id: number }) =>
  db.run(sql`UPDATE tokens SET state = ${t.state}, counter = ${t.counter}, last_step = ${t.lastStep}, drift_steps = ${t.driftSteps},
    fail_count = ${t.failCount}, locked_until = ${t.lockedUntil}, last_used_at = ${t.lastUsedAt} WHERE id = ${t.id}`);

/** A pending resynchronisation, removed as it is read: a state answers once, whichever instance asks. */
export const takeResync = (db: Sql, id: string) =>
  db.get<ResyncState>(sql`DELETE FROM resync_states WHERE id = ${id} RETURNING token_id AS "tokenId", matched, expires_at AS "expiresAt"`);

export const addResync = (db: Sql, id: string, tokenId: number, matched: number, expiresAt: number) =>
  db.run(sql`INSERT INTO resync_states (id, token_id, matched, expires_at) VALUES (${id}, ${tokenId}, ${matched}, ${expiresAt})`);
