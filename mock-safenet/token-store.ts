import { and, asc, eq, gt, inArray, lte, or, type SQL } from "drizzle-orm";
import type { SimDb } from "./db";
import { tokens, users } from "./db/schema";
import { notFound } from "./errors";
import type { Keyring } from "./keys";
import { effective } from "./token-states";
import type { TokenCounters } from "../lib/otp/validation";
import type { Token, TokenState } from "../lib/safenet/contract";

// Reading tokens and turning rows into the contract's Token: no secret ever leaves through here.

export type TokenRow = typeof tokens.$inferSelect;
export type TokenWithUser = TokenRow & { upn: string | null };

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
function stateIs(state: TokenState, nowMs: number): SQL {
  const expiredLock = and(eq(tokens.state, "Locked"), lte(tokens.lockedUntil, nowMs))!;
  if (state === "Active") return or(eq(tokens.state, "Active"), expiredLock)!;
  if (state === "Locked") return and(eq(tokens.state, "Locked"), gt(tokens.lockedUntil, nowMs))!;
  return eq(tokens.state, state);
}

export function makeTokenStore(db: SimDb) {
  const withUser = () =>
    db
      .select({ token: tokens, upn: users.upn })
      .from(tokens)
      .leftJoin(users, eq(users.id, tokens.userId));
  const flat = (r: { token: TokenRow; upn: string | null }): TokenWithUser => ({ ...r.token, upn: r.upn });

  return {
    get(serial: string): TokenWithUser {
      const row = withUser().where(eq(tokens.serial, serial.toUpperCase())).get();
      if (!row) throw notFound(`The token "${serial}"`, { serial });
      return flat(row);
    },

    forUsers(userIds: number[]): Map<number, TokenWithUser[]> {
      const out = new Map<number, TokenWithUser[]>(userIds.map((id) => [id, []]));
      if (userIds.length === 0) return out;
      for (const r of withUser().where(inArray(tokens.userId, userIds)).orderBy(asc(tokens.id)).all()) {
        out.get(r.token.userId!)!.push(flat(r));
      }
      return out;
    },

    list(q: { userId?: number; state?: TokenState; limit: number; cursor?: number }) {
      const conds: SQL[] = [];
      if (q.userId !== undefined) conds.push(eq(tokens.userId, q.userId));
      if (q.state) conds.push(stateIs(q.state, Date.now()));
      if (q.cursor !== undefined) conds.push(gt(tokens.id, q.cursor));
      const rows = withUser()
        .where(conds.length ? and(...conds) : undefined)
        .orderBy(asc(tokens.id))
        .limit(q.limit + 1)
        .all()
        .map(flat);
      const page = rows.slice(0, q.limit);
      return { tokens: page, nextCursor: rows.length > q.limit ? String(page[page.length - 1].id) : null };
    },

    update(id: number, set: Partial<TokenRow>): void {
      db.update(tokens).set(set).where(eq(tokens.id, id)).run();
    },

    remove(id: number): void {
      db.delete(tokens).where(eq(tokens.id, id)).run();
    },

    exists(serial: string): boolean {
      return !!db.select({ id: tokens.id }).from(tokens).where(eq(tokens.serial, serial.toUpperCase())).get();
    },
  };
}

export type TokenStore = ReturnType<typeof makeTokenStore>;
