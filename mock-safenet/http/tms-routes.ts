import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { SafeNetError, notFound } from "../errors";
import type { UserRow } from "../directory";
import { makeEventLog } from "../events";
import { makePolicyStore, policyProblems } from "../policy";
import type { Sim } from "../sim";
import { DEMO_REPOSITORY } from "../seed";
import { makeSummary } from "../summary";
import { viewToken } from "../token-store";
import { importPskc } from "../token-import";
import { noLdapWrites } from "../ldap/repositories";
import { bearerGuard, parse } from "./app";
import { registerRepositoryRoutes } from "./repository-routes";
import {
  activateRequestSchema,
  authenticateRequestSchema,
  createUserRequestSchema,
  importRequestSchema,
  patchUserRequestSchema,
  policyPatchSchema,
  provisionRequestSchema,
  reissueRequestSchema,
  resyncRequestSchema,
  setPinRequestSchema,
  tokenStateSchema,
  type AuthenticateAnswer,
  type EventsPage,
  type GroupsAnswer,
  type ImportAnswer,
  type Policy,
  type RepositoriesAnswer,
  type RepositorySummary,
  type ServiceStatus,
  type Token,
  type TokensPage,
  type User,
  type UsersPage,
  type ProvisionAnswer,
} from "../../lib/safenet/contract";

// The TMS Web API of the contract, under /TMSWebAPI/v1.

// JSON escaping can double the XML's length; the file's own cap (IMPORT_LIMITS.maxChars) is checked after.
const IMPORT_BODY_LIMIT = 10 * 1024 * 1024;

const limit = z.coerce.number().int().min(1).max(1000).default(50);
const repoParams = z.object({ repo: z.string() });
const userParams = z.object({ repo: z.string(), upn: z.string() });
const serialParams = z.object({ serial: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "is not a token serial") });
const tokenQuery = z
  .object({
    user: z.string().optional(),
    state: tokenStateSchema.optional(),
    limit,
    cursor: z.coerce.number().int().min(0).optional(),
  })
  .strict();
const eventQuery = z
  .object({
    after: z.coerce.number().int().min(0).optional(),
    user: z.string().optional(),
    type: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();
const empty = z.object({}).strict();

export function registerTmsRoutes(app: FastifyInstance, sim: Sim) {
  app.addHook("onRequest", bearerGuard(sim.config.tmsApiKey));
  const { directory, tokens, store } = sim;
  const summary = makeSummary(sim.db);

  const userView = async (users: UserRow[]): Promise<User[]> => {
    const ids = users.map((u) => u.id);
    const [groups, owned] = await Promise.all([directory.groupsOf(ids), store.forUsers(ids)]);
    return users.map((u) => ({
      upn: u.upn,
      displayName: u.displayName,
      email: u.email,
      groups: u.groups ?? groups.get(u.id) ?? [],
      safenetAccount: u.safenetAccount,
      tokens: (owned.get(u.id) ?? []).map((t) => viewToken(t)),
    }));
  };
  const oneUser = async (user: UserRow): Promise<User> => (await userView([user]))[0];
  const findUser = async (params: unknown) => {
    const { repo, upn } = parse(userParams, params, "path");
    const repository = await directory.repository(repo);
    const user = await directory.findUser(repository, upn);
    if (!user) throw notFound(`The user "${upn}" in ${repository.name}`, { upn });
    return { repository, user };
  };
  const serialOf = (params: unknown) => parse(serialParams, params, "path").serial;

  app.get("/", async (): Promise<ServiceStatus> => ({ service: "TMSWebAPI", status: "ok", version: sim.version }));
  app.get("/repositories", async (): Promise<RepositoriesAnswer> => ({ repositories: await directory.listRepositories() }));
  registerRepositoryRoutes(app, sim);

  app.post("/repositories/:repo/authenticate", async (req): Promise<AuthenticateAnswer> => {
    const repository = await directory.repository(parse(repoParams, req.params, "path").repo);
    const body = parse(authenticateRequestSchema, req.body);
    const user = await directory.authenticate(repository, body.username, body.password);
    // Filed under the UPN whenever the directory knows the name (`CORP\erin`, `erin`); the typed name stays in detail.
    const typed = body.username.trim().toLowerCase();
    const known = user ?? (await directory.findUser(repository, body.username));
    await sim.events.record({
      type: "directory.authenticate",
      user: known?.upn ?? typed,
      result: user ? "success" : "failure",
      reason: user ? null : "invalid_credentials",
      detail: known && known.upn !== typed ? { username: typed } : null,
    });
    if (!user) throw new SafeNetError(401, "invalid_credentials", "The user name or password is not right.");
    return { user: await oneUser(user) };
  });

  app.get("/repositories/:repo/summary", async (req): Promise<RepositorySummary> => {
    const repository = await directory.repository(parse(repoParams, req.params, "path").repo);
    // An LDAP repository's users are the directory's; its accounts and tokens are counted here.
    const [counts, ldapUsers] = await Promise.all([summary(repository), directory.countUsers(repository)]);
    return ldapUsers === null ? counts : { ...counts, users: ldapUsers };
  });

  app.get("/repositories/:repo/users", async (req): Promise<UsersPage> => {
    const repository = await directory.repository(parse(repoParams, req.params, "path").repo);
    const q = parse(
      z.object({ search: z.string().max(256).optional(), group: z.string().max(256).optional(), limit, cursor: z.string().optional() }).strict(),
      req.query,
      "query",
    );
    const page = await directory.listUsers(repository, q);
    return { users: await userView(page.users), nextCursor: page.nextCursor };
  });

  app.post("/repositories/:repo/users", async (req, reply) => {
    const repository = await directory.repository(parse(repoParams, req.params, "path").repo);
    const readOnly = noLdapWrites(repository, "add the user");
    if (readOnly) throw readOnly;
    // The password is hashed before createUser's transaction opens, so the event follows in its own.
    const user = await directory.createUser(repository, parse(createUserRequestSchema, req.body));
    await sim.events.record({ type: "user.created", user: user.upn, result: "success" });
    return reply.status(201).send(await oneUser(user));
  });

  app.get("/repositories/:repo/users/:upn", async (req): Promise<User> => oneUser((await findUser(req.params)).user));

  app.patch("/repositories/:repo/users/:upn", async (req): Promise<User> => {
    const { repository, user } = await findUser(req.params);
    const readOnly = noLdapWrites(repository, "change the user's name, email or groups");
    if (readOnly) throw readOnly;
    const patch = parse(patchUserRequestSchema, req.body);
    const updated = await sim.transaction(async (parts) => {
      const row = await parts.directory.updateUser(user, patch);
      await parts.events.record({ type: "user.updated", user: user.upn, result: "success", detail: { fields: Object.keys(patch) } });
      return row;
    });
    return oneUser(updated);
  });

  app.get("/repositories/:repo/groups", async (req): Promise<GroupsAnswer> => ({
    groups: await directory.listGroups(await directory.repository(parse(repoParams, req.params, "path").repo)),
  }));

  app.put("/repositories/:repo/users/:upn/account", async (req): Promise<User> => {
    // An LDAP user gets the local row their account lives in.
    const user = await directory.materialize((await findUser(req.params)).user);
    parse(empty, req.body);
    // Recorded by the one request (on any instance) whose update turned the account on.
    await sim.transaction(async (parts) => {
      if (await parts.directory.setAccount(user, true)) await parts.events.record({ type: "account.created", user: user.upn, result: "success" });
    });
    return oneUser({ ...user, safenetAccount: true });
  });

  app.delete("/repositories/:repo/users/:upn/account", async (req): Promise<User> => {
    const { user } = await findUser(req.params);
    // One transaction: the tokens and the account go together, or nothing changes.
    await sim.transaction(async (parts) => {
      for (const t of (await parts.store.forUsers([user.id])).get(user.id) ?? []) await parts.tokens.remove(t.serial);
      await parts.directory.setAccount(user, false);
      await parts.events.record({ type: "account.deleted", user: user.upn, result: "success" });
    });
    return oneUser({ ...user, safenetAccount: false });
  });

  app.post("/repositories/:repo/users/:upn/tokens", async (req, reply) => {
    const found = await findUser(req.params);
    const body = parse(provisionRequestSchema, req.body);
    // The directory holds an LDAP user's address: the token's mail goes where the directory says.
    if (body.email !== undefined && directory.isLdap(found.repository)) {
      throw new SafeNetError(400, "read_only_directory", `The email address of an LDAP user is read from the directory: change it there, and leave "email" out.`, {
        email: "is read from the LDAP directory",
      });
    }
    const user = await directory.materialize(found.user);
    // One transaction: a refused provisioning (a PIN the policy rejects) leaves the user untouched.
    const answer: ProvisionAnswer = await sim.transaction(async (parts) => {
      if (await parts.directory.setAccount(user, true)) {
        await parts.events.record({ type: "account.created", user: user.upn, result: "success" });
      }
      const owner = body.email ? await parts.directory.updateUser(user, { email: body.email }) : user;
      return parts.tokens.provision(owner, body);
    });
    return reply.status(201).send(answer);
  });

  app.get("/tokens", async (req): Promise<TokensPage> => {
    const q = parse(tokenQuery, req.query, "query");
    let userId: number | undefined;
    if (q.user) {
      const user = await directory.findUser(await directory.repository(DEMO_REPOSITORY.name), q.user);
      if (!user) return { tokens: [], nextCursor: null };
      userId = user.id;
    }
    const page = await store.list({ userId, state: q.state, limit: q.limit, cursor: q.cursor });
    return { tokens: page.tokens.map((t) => viewToken(t)), nextCursor: page.nextCursor };
  });

  app.post("/tokens/import", { bodyLimit: IMPORT_BODY_LIMIT }, async (req): Promise<ImportAnswer> => {
    const body = parse(importRequestSchema, req.body);
    return importPskc(sim, body.pskc, body.password ?? "");
  });

  app.get("/tokens/:serial", async (req): Promise<Token> => viewToken(await store.get(serialOf(req.params))));
  app.delete("/tokens/:serial", async (req, reply) => {
    await tokens.remove(serialOf(req.params));
    return reply.status(204).send();
  });

  const action = (name: string, run: (serial: string, body: unknown) => Promise<Token | ProvisionAnswer>) =>
    app.post(`/tokens/:serial/${name}`, async (req) => run(serialOf(req.params), req.body));
  action("activate", async (s, b) => tokens.activate(s, parse(activateRequestSchema, b).passcode));
  action("suspend", async (s, b) => (parse(empty, b), tokens.suspend(s)));
  action("reactivate", async (s, b) => (parse(empty, b), tokens.reactivate(s)));
  action("unlock", async (s, b) => (parse(empty, b), tokens.unlock(s)));
  action("revoke", async (s, b) => (parse(empty, b), tokens.revoke(s)));
  action("resync", async (s, b) => {
    const { otp1, otp2 } = parse(resyncRequestSchema, b);
    return tokens.resync(s, otp1, otp2);
  });
  action("pin", async (s, b) => tokens.setPin(s, parse(setPinRequestSchema, b).pin));
  action("reissue", async (s, b) => tokens.reissue(s, parse(reissueRequestSchema, b).pin));

  app.get("/policy", async (): Promise<Policy> => sim.policy.get());
  app.put("/policy", async (req): Promise<Policy> => {
    const patch = parse(policyPatchSchema, req.body);
    // The patch is applied to the policy as it is when the lock is held: two instances' PUTs of
    // different fields both land, and each event's `before` is what that PUT replaced.
    return sim.db.transaction(async (tx) => {
      await tx.lock("policy");
      const policy = makePolicyStore(tx);
      const before = await policy.get();
      const next = { ...before, ...patch };
      const problems = policyProblems(next);
      if (Object.keys(problems).length) {
        throw new SafeNetError(400, "invalid_input", `The policy is not consistent: check ${Object.keys(problems).join(", ")}.`, problems);
      }
      await policy.put(next);
      const changed = Object.keys(next).filter((k) => before[k as keyof typeof before] !== next[k as keyof typeof next]);
      await makeEventLog(tx).record({ type: "policy.changed", result: "success", detail: { changed, before, after: next } });
      return next;
    });
  });

  app.get("/events", async (req): Promise<EventsPage> => sim.events.list(parse(eventQuery, req.query, "query")));
}
