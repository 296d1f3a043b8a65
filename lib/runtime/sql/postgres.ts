import pg from "pg";
import { compile, sql, type Fragment } from "./fragment";
import { redactUrl, type Sql } from "./types";

// The PostgreSQL side: a pool of connections; a transaction holds one connection for its work.
// Counts and epoch-millisecond columns are int8, which node-postgres hands back as strings; they
// are read as numbers here (every value we store fits in 2^53).

const INT8 = 20;
const NUMERIC = 1700;

const toNumber = (text: string) => {
  const n = Number(text);
  if (!Number.isSafeInteger(n) && Number.isInteger(n)) throw new RangeError(`An int8 value beyond 2^53 came back: ${text}`);
  return n;
};

const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === INT8 || oid === NUMERIC) return toNumber;
    return pg.types.getTypeParser(oid, format as "text");
  }) as typeof pg.types.getTypeParser,
};

const RETRYABLE = new Set(["40001", "40P01"]); // serialization_failure, deadlock_detected
const ATTEMPTS = 5;

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

function handle(conn: Queryable, inTransaction: boolean, nest: () => number): Sql {
  const q = async <T>(f: Fragment) => {
    const { text, params } = compile(f, "postgres");
    return conn.query(text, params) as unknown as Promise<pg.QueryResult<T & pg.QueryResultRow>>;
  };
  const self: Sql = {
    dialect: "postgres",
    all: async <T>(f: Fragment) => (await q<T>(f)).rows as T[],
    get: async <T>(f: Fragment) => (await q<T>(f)).rows[0] as T | undefined,
    run: async (f) => (await q(f)).rowCount ?? 0,
    async transaction(work) {
      if (!inTransaction) throw new Error("unreachable: the pool opens transactions");
      const name = `sp${nest()}`;
      await conn.query(`SAVEPOINT ${name}`);
      try {
        const result = await work(self);
        await conn.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (err) {
        await conn.query(`ROLLBACK TO SAVEPOINT ${name}`);
        throw err;
      }
    },
    async lock(name) {
      if (!inTransaction) throw new Error("lock() holds until the transaction ends: call it inside transaction()");
      await conn.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [name]);
    },
    forUpdate: sql.raw(" FOR UPDATE"),
    like: sql.raw("ILIKE"),
    exec: async (text) => void (await conn.query(text)),
    close: () => Promise.reject(new Error("close() inside a transaction")),
  };
  return self;
}

export function openPostgres(url: string, options: { poolSize?: number; applicationName?: string } = {}): Sql & { pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types,
    application_name: options.applicationName,
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection that breaks (the server restarted) is dropped from the pool; the next query opens another.
  pool.on("error", (err) => console.error(`PostgreSQL ${redactUrl(url)}: an idle connection failed: ${err.message}`));
  let savepoints = 0;
  const nest = () => ++savepoints;
  const root = handle(pool, false, nest);
  return {
    ...root,
    pool,
    async transaction(work) {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        let broken = false;
        try {
          await client.query("BEGIN");
          const result = await work(handle(client, true, nest));
          await client.query("COMMIT");
          return result;
        } catch (err) {
          try {
            await client.query("ROLLBACK");
          } catch {
            broken = true;
          }
          const code = (err as { code?: string }).code;
          if (!(code && RETRYABLE.has(code) && attempt < ATTEMPTS)) throw err;
          await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10));
        } finally {
          client.release(broken);
        }
      }
    },
    lock: () => Promise.reject(new Error("lock() holds until the transaction ends: call it inside transaction()")),
    close: () => pool.end(),
  };
}
