import type { SimDb } from "./db";
import type { RepositoryRow } from "./directory";
import { TOKEN_STATES, type RepositorySummary, type TokenState } from "../lib/safenet/contract";

// GET /repositories/{repo}/summary: counts for an overview in three aggregate queries, whatever the
// directory's size. A lock whose time has passed counts as Active, as token-states.ts `effective` says.

export function makeSummary(db: SimDb) {
  const people = db.$client.prepare(
    `SELECT count(*) AS users, coalesce(sum(safenet_account), 0) AS accounts FROM users WHERE repository_id = @repo`,
  );
  const byState = db.$client.prepare(
    `SELECT CASE WHEN t.state = 'Locked' AND t.locked_until IS NOT NULL AND t.locked_until <= @now THEN 'Active' ELSE t.state END AS state,
            count(*) AS tokens, count(DISTINCT t.user_id) AS holders
       FROM tokens t LEFT JOIN users u ON u.id = t.user_id
      WHERE u.repository_id = @repo OR t.user_id IS NULL
      GROUP BY 1`,
  );

  return (repo: RepositoryRow, now = Date.now()): RepositorySummary => {
    const { users, accounts } = people.get({ repo: repo.id }) as { users: number; accounts: number };
    const tokensByState = Object.fromEntries(TOKEN_STATES.map((s) => [s, 0])) as Record<TokenState, number>;
    let usersWithActiveToken = 0;
    for (const row of byState.all({ repo: repo.id, now }) as { state: TokenState; tokens: number; holders: number }[]) {
      tokensByState[row.state] = row.tokens;
      if (row.state === "Active") usersWithActiveToken = row.holders;
    }
    return { repository: repo.name, users, accounts, usersWithActiveToken, tokensByState };
  };
}
