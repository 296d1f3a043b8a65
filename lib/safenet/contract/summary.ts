import { z } from "zod";
import { TOKEN_STATES } from "./states";

// An addition to the contract: one read-only summary of a repository, so an overview needs one
// request instead of paging through every user.

const count = z.number().int().nonnegative();

export const repositorySummarySchema = z.object({
  repository: z.string().min(1),
  users: count,
  /** Users with a SafeNet account. */
  accounts: count,
  /** Users holding at least one Active token. */
  usersWithActiveToken: count,
  /** The repository's users' tokens, plus unassigned Inventory tokens, by their state now (an expired lock counts as Active). */
  tokensByState: z.object(Object.fromEntries(TOKEN_STATES.map((s) => [s, count])) as Record<(typeof TOKEN_STATES)[number], typeof count>),
});
export type RepositorySummary = z.infer<typeof repositorySummarySchema>;
