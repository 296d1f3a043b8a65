import type { PortalDb } from "../../db/index";
import { recountValidationHours } from "../../db/queries/timeline";
import { sql, type Fragment } from "../../lib/runtime/sql";

// The timeline's synthetic events at scale, straight into the portal's `events` table: a fixed-seed
// mix over `days` days up to `now` (70 % SafeNet validations of which 85 % succeed, 14 % fail, 1 %
// challenge; portal sign-ins, token, directory, decision and admin events; `users` users, skewed
// towards a few). bench/timeline.ts and bench/admin-pages.ts both fill their databases with it.

const DAY = 86_400_000;

export interface SyntheticEventsOptions {
  /** The newest event's time, ms. */
  now: number;
  days?: number;
  users?: number;
  /**
   * Added to each SafeNet row's remote_id. The portal ignores an ingested simulator event whose
   * (source, remote_id) is already stored, so a database a live simulator feeds needs room below it.
   */
  remoteIdBase?: number;
  /**
   * SQLite, an empty table: drop the table's indexes while filling and build them again after, each
   * from sorted keys at once instead of one B-tree insert per row and index (no gain measured at
   * 100 000 rows, where the indexes fit in SQLite's cache; meant for 1 000 000).
   */
  rebuildIndexes?: boolean;
}

/** A mulberry32 generator: consecutive draws are independent enough that users, kinds and results mix. */
function generator(seed: number) {
  return () => {
    let t = (seed = (seed + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Inserts `count` events, ids 1…count in time order, 500 per INSERT and 50 000 per transaction. Same seed, same rows. */
export async function fillSyntheticEvents(db: PortalDb, count: number, options: SyntheticEventsOptions): Promise<void> {
  const { now, days = 30, users = 2_000, remoteIdBase = 0 } = options;
  const start = now - days * DAY;
  const rand = generator(42);
  const pick = <T>(weighted: [T, number][]): T => {
    let r = rand();
    for (const [v, w] of weighted) if ((r -= w) < 0) return v;
    return weighted[weighted.length - 1][0];
  };
  const row = (...values: unknown[]) => sql`(${sql.join(values)})`;
  const make = (i: number): Fragment => {
    const at = start + Math.floor((i / count) * days * DAY + rand() * 1000);
    const user = `user${String(Math.floor(rand() * rand() * users)).padStart(5, "0")}@corp.local`;
    const kind = pick<string>([["validation", 0.7], ["sign-in", 0.12], ["token", 0.08], ["directory", 0.06], ["decision", 0.03], ["admin", 0.01]]);
    const ip = `10.0.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}`;
    if (kind === "validation") {
      const result = pick([["success", 0.85], ["failure", 0.14], ["challenge", 0.01]]);
      const code = result === "success" ? 1 : result === "failure" ? 0 : 5;
      const reason = result === "failure" ? pick([["wrong_otp", 0.6], ["wrong_pin", 0.3], ["locked", 0.1]]) : null;
      return row(i + 1, at, "safenet", remoteIdBase + i + 1, "auth", kind, null, user, "0123456789ABCDEF", result, code, reason, ip, null);
    }
    if (kind === "token" || kind === "directory") {
      const type = kind === "token" ? pick([["token.provisioned", 0.5], ["token.suspend", 0.2], ["token.unlock", 0.3]]) : "directory.authenticate";
      return row(i + 1, at, "safenet", remoteIdBase + i + 1, type, kind, null, user, null, "success", null, null, null, JSON.stringify({ otpMode: "event" }));
    }
    const result = pick([["success", 0.9], ["failure", 0.1]]);
    return row(i + 1, at, "portal", null, `${kind}.event`, kind, "admin@corp.local", user, null, result, null, null, ip, JSON.stringify({ note: "bench" }));
  };
  const indexes = options.rebuildIndexes ? await dropEventIndexes(db) : [];
  for (let from = 0; from < count; from += 50_000) {
    const to = Math.min(count, from + 50_000);
    await db.transaction(async (tx) => {
      for (let i = from; i < to; i += 500) {
        const rows = Array.from({ length: Math.min(500, to - i) }, (_, k) => make(i + k));
        await tx.run(sql`INSERT INTO events (id, at, source, remote_id, type, kind, actor, "user", serial, result, code, reason, client_ip, detail)
          VALUES ${sql.join(rows)}`);
      }
    });
  }
  for (const create of indexes) await db.exec(create);
  await recountValidationHours(db);
}

/** Drops the events table's own indexes (not the primary key's or a UNIQUE constraint's) and returns their CREATE statements. */
async function dropEventIndexes(db: PortalDb): Promise<string[]> {
  if (db.dialect !== "sqlite") throw new Error("rebuildIndexes is for SQLite");
  const rows = await db.all<{ name: string; sql: string }>(sql`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL`);
  for (const r of rows) await db.exec(`DROP INDEX "${r.name}"`);
  return rows.map((r) => r.sql);
}
