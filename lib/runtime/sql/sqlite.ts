import Database from "better-sqlite3";
import { compile, sql, type Fragment } from "./fragment";
import type { Sql } from "./types";

// The SQLite side: better-sqlite3 is synchronous, so a transaction whose work awaits would let other
// requests' statements run inside it. Transactions therefore take turns (an async queue) and plain
// statements wait while one is open. Group commit (`batch`) keeps one BEGIN IMMEDIATE open for an
// event-loop turn, each unit of work a savepoint inside it, and resolves after the COMMIT.

interface Batch {
  done: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export function openSqlite(file: string, options: { mustExist?: boolean } = {}): Sql & { client: Database.Database } {
  const db = new Database(file, { fileMustExist: options.mustExist ?? false });
  // WAL with synchronous=NORMAL: every commit survives a crash of the process; one fsync per checkpoint.
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");

  const statements = new Map<string, Database.Statement>();
  const prepare = (q: Fragment) => {
    const { text, params } = compile(q, "sqlite");
    let stmt = statements.get(text);
    if (!stmt) {
      stmt = db.prepare(text);
      if (statements.size > 2000) statements.clear();
      statements.set(text, stmt);
    }
    return { stmt, params };
  };
  // The fixed transaction statements run on every unit of work (a validation runs SAVEPOINT and
  // RELEASE): prepared once, as better-sqlite3's own transaction() does, instead of parsed by exec()
  // each time. Nested savepoints keep exec(): their names are unique, so caching them would grow.
  const control = new Map<string, Database.Statement>();
  const runControl = (text: string) => {
    let stmt = control.get(text);
    if (!stmt) control.set(text, (stmt = db.prepare(text)));
    stmt.run();
  };
  const direct = {
    all<T>(q: Fragment): T[] {
      const { stmt, params } = prepare(q);
      if (!stmt.reader) {
        stmt.run(...params);
        return [];
      }
      return stmt.all(...params) as T[];
    },
    get<T>(q: Fragment): T | undefined {
      const { stmt, params } = prepare(q);
      if (!stmt.reader) {
        stmt.run(...params);
        return undefined;
      }
      return stmt.get(...params) as T | undefined;
    },
    run(q: Fragment): number {
      const { stmt, params } = prepare(q);
      if (stmt.reader) return stmt.all(...params).length;
      return stmt.run(...params).changes;
    },
  };

  // One exclusive section at a time: a transaction, or a statement that arrived while one ran.
  let tail: Promise<void> = Promise.resolve();
  let pending = 0;
  async function exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    const before = tail;
    let release!: () => void;
    tail = new Promise<void>((r) => (release = r));
    pending++;
    await before;
    try {
      return await fn();
    } finally {
      pending--;
      release();
    }
  }

  let batch: Batch | null = null;
  function flush(b: Batch): void {
    if (batch !== b) return;
    batch = null;
    try {
      runControl("COMMIT");
    } catch (err) {
      if (db.inTransaction) runControl("ROLLBACK");
      b.reject(err);
      return;
    }
    b.resolve();
  }
  function openBatch(): Batch {
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    done.catch(() => undefined); // every unit awaits it; this only keeps an unawaited copy quiet
    runControl("BEGIN IMMEDIATE");
    const b = { done, resolve, reject };
    setImmediate(() => void exclusive(() => flush(b)));
    return b;
  }

  let savepoints = 0;
  // The handle a transaction's work gets: same connection, no queue (it holds the turn).
  const inside: Sql = {
    dialect: "sqlite",
    all: async (q) => direct.all(q),
    get: async (q) => direct.get(q),
    run: async (q) => direct.run(q),
    async transaction(work) {
      const name = `sp${++savepoints}`;
      db.exec(`SAVEPOINT ${name}`);
      try {
        const result = await work(inside);
        db.exec(`RELEASE ${name}`);
        return result;
      } catch (err) {
        db.exec(`ROLLBACK TO ${name}`);
        db.exec(`RELEASE ${name}`);
        throw err;
      }
    },
    lock: async () => undefined,
    forUpdate: sql.empty,
    like: sql.raw("LIKE"),
    exec: async (text) => void db.exec(text),
    close: () => Promise.reject(new Error("close() inside a transaction")),
  };

  // Outside a transaction a statement runs at once, unless a transaction holds the turn.
  const busy = () => pending > 0;
  const outer: Sql & { client: Database.Database } = {
    dialect: "sqlite",
    client: db,
    async all(q) {
      return busy() ? exclusive(() => direct.all(q)) : direct.all(q);
    },
    async get(q) {
      return busy() ? exclusive(() => direct.get(q)) : direct.get(q);
    },
    async run(q) {
      const changes = busy() ? await exclusive(() => direct.run(q)) : direct.run(q);
      // A write that landed in an open group commit is answered once that commit is durable.
      if (batch) await batch.done;
      return changes;
    },
    async transaction(work, options = {}) {
      if (options.batch) {
        let joined!: Batch;
        const result = await exclusive(async () => {
          batch ??= openBatch();
          joined = batch;
          runControl("SAVEPOINT unit");
          try {
            const r = await work(inside);
            runControl("RELEASE unit");
            return r;
          } catch (err) {
            runControl("ROLLBACK TO unit");
            runControl("RELEASE unit");
            throw err;
          }
        });
        await joined.done;
        return result;
      }
      return exclusive(async () => {
        if (batch) flush(batch);
        runControl("BEGIN IMMEDIATE");
        try {
          const result = await work(inside);
          runControl("COMMIT");
          return result;
        } catch (err) {
          if (db.inTransaction) runControl("ROLLBACK");
          throw err;
        }
      });
    },
    lock: async () => undefined,
    forUpdate: sql.empty,
    like: sql.raw("LIKE"),
    async exec(text) {
      await exclusive(() => {
        if (batch) flush(batch);
        db.exec(text);
      });
    },
    async close() {
      await exclusive(() => {
        if (batch) flush(batch);
      });
      db.close();
    },
  };
  return outer;
}
