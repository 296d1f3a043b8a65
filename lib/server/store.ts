import "server-only";
import { getDb, type PortalDb } from "@/db";
import * as breakGlass from "@/db/queries/break-glass";
import * as events from "@/db/queries/events";
import * as exclusions from "@/db/queries/exclusions";
import * as overview from "@/db/queries/overview";
import * as invitations from "@/db/queries/invitations";
import * as sentMails from "@/db/queries/sent-mails";
import * as sessions from "@/db/queries/sessions";
import * as settings from "@/db/queries/settings";
import * as throttle from "@/db/queries/throttle";
import * as timeline from "@/db/queries/timeline";
import { env } from "@/lib/runtime/env";
import { defaultMfaSettings } from "@/lib/mfa/settings";

// The portal's data, bound to the process's database: pages, actions and services call `store.x()`
// and never hold a database handle, so the dialect underneath (SQLite or PostgreSQL) is db/'s
// business alone. Nothing here caches what it reads: another instance may change it at any time.

type Bound<M> = {
  [K in keyof M as M[K] extends (db: PortalDb, ...args: infer _A) => unknown ? K : never]: M[K] extends (db: PortalDb, ...args: infer A) => infer R
    ? (...args: A) => R
    : never;
};

function bind<M extends object>(queries: M): Bound<M> {
  const bound: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(queries)) {
    if (typeof fn === "function") bound[name] = (...args: unknown[]) => (fn as (db: PortalDb, ...a: unknown[]) => unknown)(getDb(), ...args);
  }
  return bound as Bound<M>;
}

// The statement builders are not queries: they take a dialect, not the database.
const { timelineWhere: _where, timelineSql: _sql, ...timelineQueries } = timeline;

export const store = {
  ...bind(breakGlass),
  ...bind(events),
  ...bind(exclusions),
  ...bind(overview),
  ...bind(invitations),
  ...bind(sentMails),
  ...bind(sessions),
  ...bind(settings),
  ...bind(throttle),
  ...bind(timelineQueries),
  /** The saved MFA settings, over defaults that point at the SafeNet this installation was set up with. */
  getMfaSettings: () => settings.getMfaSettings(getDb(), defaultMfaSettings(env().SAFENET_URL)),
};
