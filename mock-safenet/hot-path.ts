import type Database from "better-sqlite3";
import type { TokenRow } from "./token-store";

// Hand-written prepared statements for the validation hot path. Drizzle's query builder costs tens
// of microseconds per call in building and mapping; these run on the same connection and schema.

const TOKEN_COLUMNS = `id, serial, type, otp_mode AS otpMode, otp_length AS otpLength, time_step_seconds AS timeStepSeconds,
  algorithm, state, user_id AS userId, seed_sealed AS seedSealed, pin_salt AS pinSalt, pin_hash AS pinHash, counter,
  last_step AS lastStep, drift_steps AS driftSteps, fail_count AS failCount, locked_until AS lockedUntil, source,
  created_at AS createdAt, activated_at AS activatedAt, last_used_at AS lastUsedAt`;

export type CounterFields = Pick<TokenRow, "state" | "counter" | "lastStep" | "driftSteps" | "failCount" | "lockedUntil" | "lastUsedAt">;

export interface ResyncState {
  tokenId: number;
  matched: number;
  expiresAt: number;
}

export function makeHotPath(sqlite: Database.Database) {
  const repository = sqlite.prepare<[string], { id: number; name: string; netbiosName: string }>(
    "SELECT id, name, netbios_name AS netbiosName FROM repositories WHERE name = ?",
  );
  const userByUpn = sqlite.prepare<[number, string], { id: number; upn: string }>("SELECT id, upn FROM users WHERE repository_id = ? AND upn = ?");
  const userBySam = sqlite.prepare<[number, string], { id: number; upn: string }>("SELECT id, upn FROM users WHERE repository_id = ? AND sam = ?");
  const userTokens = sqlite.prepare<[number], TokenRow>(
    `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE user_id = ? AND state NOT IN ('Lost', 'Inventory') ORDER BY id`,
  );
  const saveCounters = sqlite.prepare(
    `UPDATE tokens SET state = @state, counter = @counter, last_step = @lastStep, drift_steps = @driftSteps,
     fail_count = @failCount, locked_until = @lockedUntil, last_used_at = @lastUsedAt WHERE id = @id`,
  );
  const takeResync = sqlite.prepare<[string], ResyncState>(
    "DELETE FROM resync_states WHERE id = ? RETURNING token_id AS tokenId, matched, expires_at AS expiresAt",
  );
  const addResync = sqlite.prepare("INSERT INTO resync_states (id, token_id, matched, expires_at) VALUES (?, ?, ?, ?)");

  return {
    repository: (name: string) => repository.get(name.toLowerCase()),
    userByUpn: (repositoryId: number, upn: string) => userByUpn.get(repositoryId, upn),
    userBySam: (repositoryId: number, sam: string) => userBySam.get(repositoryId, sam),
    userTokens: (userId: number) => userTokens.all(userId),
    /** Writes the token's counters and lock fields as `t` now holds them. */
    saveCounters: (t: CounterFields & { id: number }) =>
      saveCounters.run({
        id: t.id,
        state: t.state,
        counter: t.counter,
        lastStep: t.lastStep,
        driftSteps: t.driftSteps,
        failCount: t.failCount,
        lockedUntil: t.lockedUntil,
        lastUsedAt: t.lastUsedAt,
      }),
    /** A pending resynchronisation, removed as it is read: a state answers once. */
    takeResync: (id: string) => takeResync.get(id),
    addResync: (id: string, tokenId: number, matched: number, expiresAt: number) => addResync.run(id, tokenId, matched, expiresAt),
  };
}

export type HotPath = ReturnType<typeof makeHotPath>;
