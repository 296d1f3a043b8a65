import { z } from "zod";
import { tokenSchema } from "./token";

// The user repository as the TMS Web API shows it: users with their SafeNet account and tokens,
// groups, repositories, and the bodies its endpoints take.

export const userSchema = z.object({
  upn: z.string().min(1),
  displayName: z.string(),
  email: z.string(),
  groups: z.array(z.string()),
  safenetAccount: z.boolean(),
  tokens: z.array(tokenSchema),
});
export type User = z.infer<typeof userSchema>;

export const authenticateAnswerSchema = z.object({ user: userSchema });
export type AuthenticateAnswer = z.infer<typeof authenticateAnswerSchema>;
export const usersPageSchema = z.object({ users: z.array(userSchema), nextCursor: z.string().nullable() });
export type UsersPage = z.infer<typeof usersPageSchema>;

export const groupSchema = z.object({ name: z.string(), members: z.number().int().nonnegative() });
export const groupsAnswerSchema = z.object({ groups: z.array(groupSchema) });
export type GroupsAnswer = z.infer<typeof groupsAnswerSchema>;

export const repositorySchema = z.object({
  name: z.string().min(1),
  kind: z.string(),
  users: z.number().int().nonnegative(),
  /** Contract v2: the repository's live status (an LDAP server may be down). */
  status: z.string().optional(),
});
export const repositoriesAnswerSchema = z.object({ repositories: z.array(repositorySchema) });
export type Repository = z.infer<typeof repositorySchema>;
export type RepositoriesAnswer = z.infer<typeof repositoriesAnswerSchema>;

const groupNames = z.array(z.string().trim().min(1).max(64)).max(50);

export const authenticateRequestSchema = z.object({ username: z.string().min(1).max(256), password: z.string().min(1).max(256) }).strict();
export type AuthenticateRequest = z.infer<typeof authenticateRequestSchema>;

export const createUserRequestSchema = z
  .object({
    upn: z.email().max(256),
    displayName: z.string().trim().min(1).max(256),
    email: z.email().max(256),
    password: z.string().min(8, "must be at least 8 characters").max(256),
    groups: groupNames.optional(),
  })
  .strict();

export const patchUserRequestSchema = z
  .object({
    email: z.email().max(256).optional(),
    displayName: z.string().trim().min(1).max(256).optional(),
    groups: groupNames.optional(),
  })
  .strict();
