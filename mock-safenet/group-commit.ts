import type Database from "better-sqlite3";

// Group commit: writes made in one event-loop turn share one BEGIN IMMEDIATE transaction, committed
// once at the end of the turn. Each unit of work is atomic on its own (a savepoint), and nothing is
// answered before the commit that holds its writes: `run` resolves after it, and HTTP answers and
// SMTP replies wait for `settled()`.

export interface GroupCommit {
  /** Runs `work` atomically inside the current batch; resolves with its result once it is durable. */
  run<T>(work: () => T): Promise<T>;
  /** Resolves when every write made so far is committed (at once when no batch is open). */
  settled(): Promise<void>;
}

export function makeGroupCommit(sqlite: Database.Database): GroupCommit {
  let waiting: { resolve: () => void; reject: (err: unknown) => void }[] | null = null;

  function flush() {
    const batch = waiting!;
    waiting = null;
    try {
      sqlite.exec("COMMIT");
    } catch (err) {
      if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
      for (const w of batch) w.reject(err);
      return;
    }
    for (const w of batch) w.resolve();
  }

  function join(): Promise<void> {
    return new Promise((resolve, reject) => waiting!.push({ resolve, reject }));
  }

  return {
    run<T>(work: () => T): Promise<T> {
      if (!waiting) {
        sqlite.exec("BEGIN IMMEDIATE");
        waiting = [];
        setImmediate(flush);
      }
      sqlite.exec("SAVEPOINT unit");
      let result: T;
      try {
        result = work();
        sqlite.exec("RELEASE unit");
      } catch (err) {
        sqlite.exec("ROLLBACK TO unit");
        sqlite.exec("RELEASE unit");
        return Promise.reject(err);
      }
      return join().then(() => result);
    },
    settled(): Promise<void> {
      return waiting ? join() : Promise.resolve();
    },
  };
}
