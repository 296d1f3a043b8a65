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

export const REPOSITORY_KINDS = ["ActiveDirectory", "LDAP"] as const;

/** Contract v2: an LDAP repository maps these four attributes; Active Directory's names are the defaults. */
export const ldapAttributesSchema = z
  .object({
    upn: z.string().trim().min(1).max(64),
    displayName: z.string().trim().min(1).max(64),
    email: z.string().trim().min(1).max(64),
    groups: z.string().trim().min(1).max(64),
  })
  .strict();
export type LdapAttributes = z.infer<typeof ldapAttributesSchema>;
export { DEFAULT_LDAP_ATTRIBUTES } from "./limits";

/**
 * A repository's live status: "ok", or why it cannot be used now ("unreachable", "timeout",
 * "bind_failed", "referral", …) with `message` saying what to fix.
 */
export const repositoryStatusSchema = z.string().min(1);

export const repositorySchema = z.object({
  name: z.string().min(1),
  kind: z.string(),
  /** Users in the repository; null when it could not be counted now (an LDAP server that is down). */
  users: z.number().int().nonnegative().nullable(),
  /** Contract v2: the repository's live status (an LDAP server may be down). */
  status: repositoryStatusSchema.optional(),
  message: z.string().optional(),
  /** LDAP repositories only; the bind password is never returned. */
  url: z.string().optional(),
  bindDn: z.string().optional(),
  baseDn: z.string().optional(),
  userFilter: z.string().optional(),
  attributes: ldapAttributesSchema.optional(),
});
export const repositoriesAnswerSchema = z.object({ repositories: z.array(repositorySchema) });
export type Repository = z.infer<typeof repositorySchema>;
export type RepositoriesAnswer = z.infer<typeof repositoriesAnswerSchema>;

const ldapUrl = z
  .string()
  .trim()
  .max(512)
  .refine((v) => /^ldaps?:\/\/[^\s/?#]+\/?$/i.test(v), "must be ldap://host[:port] or ldaps://host[:port]");
const dn = z.string().trim().min(1).max(1024);

/** POST /repositories: an LDAP directory. The name is how the portal's User Repository setting refers to it. */
export const createLdapRepositoryRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "may hold letters, digits, dots, dashes and underscores"),
    kind: z.literal("LDAP"),
    url: ldapUrl,
    bindDn: dn,
    bindPassword: z.string().min(1).max(256),
    baseDn: dn,
    userFilter: z.string().trim().min(1).max(1024).optional(),
    attributes: ldapAttributesSchema.partial().optional(),
  })
  .strict();
export type CreateLdapRepositoryRequest = z.input<typeof createLdapRepositoryRequestSchema>;

/**
 * PATCH /repositories/{name}. A changed `url` must come with `bindPassword`: a credential goes only
 * to the server it was saved for (DESIGN.md, security invariants).
 */
export const patchLdapRepositoryRequestSchema = createLdapRepositoryRequestSchema.omit({ name: true, kind: true }).partial().strict();

/**
 * POST /repositories/test: the body of a create (or a saved repository's name plus changes) tried
 * without saving: bind, a sample search, counts.
 */
export const testLdapRepositoryRequestSchema = z.union([
  createLdapRepositoryRequestSchema.omit({ name: true }).strict(),
  patchLdapRepositoryRequestSchema.extend({ name: z.string().min(1).max(64) }).strict(),
]);
export const repositoryTestAnswerSchema = z.object({
  ok: z.boolean(),
  status: repositoryStatusSchema,
  message: z.string(),
  /** Up to five users the sample search found, as the mapping reads them. */
  sample: z.array(z.object({ upn: z.string(), displayName: z.string(), email: z.string(), groups: z.array(z.string()) })),
  users: z.number().int().nonnegative().nullable(),
  groups: z.number().int().nonnegative().nullable(),
  elapsedMs: z.number().nonnegative(),
});
export type RepositoryTestAnswer = z.infer<typeof repositoryTestAnswerSchema>;

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
