import { openPostgres } from "./postgres";
import { openSqlite } from "./sqlite";
import type { Sql, SqlTarget } from "./types";

export { compile, sql, Fragment, type Dialect } from "./fragment";
export { isPostgresUrl, redactUrl, type Sql, type SqlTarget } from "./types";
export { migrateTarget, appliedMigration } from "./migrate";

/** Opens the database `target` names. */
export function openSql(target: SqlTarget, options: { applicationName?: string } = {}): Sql {
  return target.dialect === "sqlite"
    ? openSqlite(target.file, { mustExist: target.mustExist })
    : openPostgres(target.url, { poolSize: target.poolSize, applicationName: options.applicationName });
}
