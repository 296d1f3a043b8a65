import type { Dialect, Fragment } from "./fragment";

/**
 * A connection to the portal's or the simulator's database, SQLite or PostgreSQL. Every call is
 * async; the data-access layer above writes one SQL text for both (see fragment.ts).
 */
export interface Sql {
  readonly dialect: Dialect;
  /** Every row. Column aliases keep their case only when quoted: `otp_mode AS "otpMode"`. */
  all<T = Record<string, unknown>>(query: Fragment): Promise<T[]>;
  /** The first row, or undefined. */
  get<T = Record<string, unknown>>(query: Fragment): Promise<T | undefined>;
  /** Runs a statement; resolves to the number of rows it changed. */
  run(query: Fragment): Promise<number>;
  /**
   * Runs `work` in one transaction, committed when it resolves and rolled back when it throws.
   * SQLite: BEGIN IMMEDIATE (the database's one write lock, so writers queue, in this process and
   * others). PostgreSQL: READ COMMITTED; take row locks with `forUpdate` or a named lock with
   * `lock`, and the transaction is retried (up to 5 times) on a serialization failure or deadlock —
   * so `work` must not have effects outside the database. Inside `work` use `tx`, never the outer handle.
   * `batch: true` lets SQLite share one commit among the transactions of one event-loop turn (group
   * commit; each still atomic on its own); the promise resolves only once its writes are durable.
   */
  transaction<T>(work: (tx: Sql) => Promise<T>, options?: { batch?: boolean }): Promise<T>;
  /** Held until the transaction ends, by every instance on the same database (no-op on SQLite, whose write lock already serialises). */
  lock(name: string): Promise<void>;
  /** ` FOR UPDATE` after a SELECT inside a transaction on PostgreSQL; nothing on SQLite. */
  readonly forUpdate: Fragment;
  /** Case-insensitive LIKE: `LIKE` on SQLite (ASCII case-insensitive), `ILIKE` on PostgreSQL. */
  readonly like: Fragment;
  /** Runs several statements separated by `;`, no parameters (schema set-up, tests). */
  exec(text: string): Promise<void>;
  close(): Promise<void>;
}

export type SqlTarget = { dialect: "sqlite"; file: string; mustExist?: boolean } | { dialect: "postgres"; url: string; poolSize?: number };

/** postgres:// or postgresql:// */
export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//i.test(url.trim());
}

/** A URL without its password, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable database URL)";
  }
}
