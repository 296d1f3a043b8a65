import { sql, type Sql } from "../lib/runtime/sql";
import type { RepositoryRow } from "./directory";
import { TOKEN_STATES, type RepositorySummary, type TokenState } from "../lib/safenet/contract";

// GET /repositories/{repo}/summary: counts for an overview in two aggregate queries, whatever the
// directory's size. A lock whose time has passed counts as Active, as token-states.ts `effective` says.

export function makeSummary(db: Sql) {
  return async (repo: RepositoryRow, now = Date.now()): Promise<RepositorySummary> => {
    const people = await db.get<{ users: number; accounts: number }>(
      sql`SELECT count(*) AS users, coalesce(sum(safenet_account), 0) AS accounts FROM users WHERE repository_id = ${repo.id}`,
    );
    const byState = await db.all<{ state: TokenState; tokens: number; holders: number }>(
      sql`SELECT CASE WHEN t.state = 'Locked' AND t.locked_until IS NOT NULL AND t.locked_until <= ${now} THEN 'Active' ELSE t.state END AS state,
                 count(*) AS tokens, count(DISTINCT t.user_id) AS holders
            FROM tokens t LEFT JOIN users u ON u.id = t.user_id
           WHERE u.repository_id = ${repo.id} OR t.user_id IS NULL
           GROUP BY 1`,
    );
    const tokensByState = Object.fromEntries(TOKEN_STATES.map((s) => [s, 0])) as Record<TokenState, number>;
    let usersWithActiveToken = 0;
    for (const row of byState) {
      tokensByState[row.state] = row.tokens;
      if (row.state === "Active") usersWithActiveToken = row.holders;
    }
    return { repository: repo.name, users: people?.users ?? 0, accounts: people?.accounts ?? 0, usersWithActiveToken, tokensByState };
  };
}

export type Summary = ReturnType<typeof makeSummary>;
