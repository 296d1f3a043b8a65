import { sql, type Fragment, type Sql } from "../lib/runtime/sql";
import type { tokens } from "./db/schema";
import { notFound } from "./errors";
import type { Keyring } from "./keys";
import { effective } from "./token-states";
import type { TokenCounters } from "../lib/otp/validation";
import type { Token, TokenState } from "../lib/safenet/contract";

// Reading tokens and turning rows into the contract's Token: no secret ever leaves through here.

export type TokenRow = typeof tokens.$inferSelect;
export type TokenWithUser = TokenRow & { upn: string | null };

// snake_case column of each TokenRow field: the select list, and the only columns `update` may set.
const COLUMNS: Record<keyof TokenRow, string> = {
  id: "id",
  serial: "serial",
  type: "type",
  otpMode: "otp_mode",
  otpLength: "otp_length",
  timeStepSeconds: "time_step_seconds",
  algorithm: "algorithm",
  state: "state",
  userId: "user_id",
  seedSealed: "seed_sealed",
  pinSalt: "pin_salt",
  pinHash: "pin_hash",
  counter: "counter",
  lastStep: "last_step",
  driftSteps: "drift_steps",
  failCount: "fail_count",
  lockedUntil: "locked_until",
  source: "source",
  createdAt: "created_at",
  activatedAt: "activated_at",
  lastUsedAt: "last_used_at",
};

function column(field: string): string {
  const name = COLUMNS[field as keyof TokenRow];
  if (!name) throw new Error(`tokens has no field ${field}`);
  return name;
}

/** Every token column as its TokenRow field, from the table aliased `t`. */
export const TOKEN_COLUMNS: Fragment = sql.raw(
  Object.entries(COLUMNS)
    .map(([field, column]) => `t.${column} AS "${field}"`)
    .join(", "),
);

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function viewToken(row: TokenWithUser, nowMs = Date.now()): Token {
  const r = effective(row, nowMs);
  return {
    serial: r.serial,
    type: r.type,
    otpMode: r.otpMode,
    otpLength: r.otpLength,
    state: r.state,
    user: r.upn,
    failCount: r.failCount,
    lockedUntil: iso(r.lockedUntil),
    createdAt: iso(r.createdAt)!,
    activatedAt: iso(r.activatedAt),
    lastUsedAt: iso(r.lastUsedAt),
  };
}

/** The counters the OTP arithmetic needs, with the seed opened for this one use. */
export function countersOf(row: TokenRow, keys: Keyring): TokenCounters {
  return {
    mode: row.otpMode,
    secret: keys.open(row.seedSealed, row.serial),
    digits: row.otpLength,
    algorithm: row.algorithm,
    stepSeconds: row.timeStepSeconds,
    counter: row.counter,
    lastStep: row.lastStep,
    driftSteps: row.driftSteps,
  };
}

/** A state filter that agrees with `effective`: a lock whose time has passed counts as Active. */
function stateIs(state: TokenState, nowMs: number): Fragment {
  if (state === "Active") return sql`(t.state = 'Active' OR (t.state = 'Locked' AND t.locked_until <= ${nowMs}))`;
  if (state === "Locked") return sql`(t.state = 'Locked' AND t.locked_until > ${nowMs})`;
  return sql`t.state = ${state}`;
}

// The owner's UPN as a scalar subquery rather than an outer join, so that `FOR UPDATE` may lock the token row.
const withUser = (where: Fragment, tail: Fragment = sql.empty) =>
  sql`SELECT ${TOKEN_COLUMNS}, (SELECT u.upn FROM users u WHERE u.id = t.user_id) AS upn FROM tokens t WHERE ${where}${tail}`;

export function makeTokenStore(db: Sql) {
  return {
    /** The token; `lock` (inside a transaction) holds its row until the transaction ends, on PostgreSQL. */
    async get(serial: string, options: { lock?: boolean } = {}): Promise<TokenWithUser> {
      const row = await db.get<TokenWithUser>(withUser(sql`t.serial = ${serial.toUpperCase()}`, options.lock ? db.forUpdate : sql.empty));
      if (!row) throw notFound(`The token "${serial}"`, { serial });
      return row;
    },

    async forUsers(userIds: number[]): Promise<Map<number, TokenWithUser[]>> {
      const out = new Map<number, TokenWithUser[]>(userIds.map((id) => [id, []]));
      if (userIds.length === 0) return out;
      for (const r of await db.all<TokenWithUser>(withUser(sql`t.user_id IN (${sql.join(userIds)})`, sql` ORDER BY t.id`))) {
        out.get(r.userId!)!.push(r);
      }
      return out;
    },

    async list(q: { userId?: number; state?: TokenState; limit: number; cursor?: number }) {
      const conds = [sql`1 = 1`];
      if (q.userId !== undefined) conds.push(sql`t.user_id = ${q.userId}`);
      if (q.state) conds.push(stateIs(q.state, Date.now()));
      if (q.cursor !== undefined) conds.push(sql`t.id > ${q.cursor}`);
      const rows = await db.all<TokenWithUser>(withUser(sql.join(conds, " AND "), sql` ORDER BY t.id LIMIT ${q.limit + 1}`));
      const page = rows.slice(0, q.limit);
      return { tokens: page, nextCursor: rows.length > q.limit ? String(page[page.length - 1].id) : null };
    },

    async insert(row: Omit<TokenRow, "id" | "counter" | "lastStep" | "driftSteps" | "failCount" | "lockedUntil" | "activatedAt" | "lastUsedAt">): Promise<void> {
      const fields = Object.entries(row).filter(([, value]) => value !== undefined);
      const columns = fields.map(([field]) => sql.raw(column(field)));
      await db.run(sql`INSERT INTO tokens (${sql.join(columns, ", ")}) VALUES (${sql.join(fields.map(([, value]) => value))})`);
    },

    async update(id: number, set: Partial<TokenRow>): Promise<void> {
      const fields = Object.entries(set).filter(([field, value]) => field !== "id" && value !== undefined);
      if (fields.length === 0) return;
      const assignments = fields.map(([field, value]) => sql`${sql.raw(column(field))} = ${value}`);
      await db.run(sql`UPDATE tokens SET ${sql.join(assignments, ", ")} WHERE id = ${id}`);
    },

    async remove(id: number): Promise<void> {
      await db.run(sql`DELETE FROM tokens WHERE id = ${id}`);
    },

    async exists(serial: string): Promise<boolean> {
      return !!(await db.get(sql`SELECT id FROM tokens WHERE serial = ${serial.toUpperCase()}`));
    },
  };
}

export type TokenStore = ReturnType<typeof makeTokenStore>;
