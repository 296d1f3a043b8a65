import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  createLdapRepositoryRequestSchema,
  patchLdapRepositoryRequestSchema,
  testLdapRepositoryRequestSchema,
  type Repository,
  type RepositoryTestAnswer,
} from "../../lib/safenet/contract";
import type { RepositoryRow } from "../directory";
import { makeRepositoryAdmin } from "../ldap/repositories";
import { shownSettings } from "../ldap/settings";
import type { Sim } from "../sim";
import { parse } from "./app";

// LDAP user repositories (contract v2): add, change, remove, try. GET /repositories (every kind, with
// a live status) stays in tms-routes.ts. The bind password is accepted on write and never returned.

const nameParams = z.object({ repo: z.string().min(1).max(64) });

export function registerRepositoryRoutes(app: FastifyInstance, sim: Sim) {
  const admin = makeRepositoryAdmin(sim.db, sim.keys, sim.directory);
  const saved = (repo: RepositoryRow, users: number): Repository => ({ ...shownSettings(repo), users, status: "ok" });

  app.post("/repositories", async (req, reply) => {
    const { repo, users } = await admin.create(parse(createLdapRepositoryRequestSchema, req.body));
    return reply.status(201).send(saved(repo, users));
  });

  app.post("/repositories/test", async (req): Promise<RepositoryTestAnswer> => admin.test(parse(testLdapRepositoryRequestSchema, req.body)));

  app.patch("/repositories/:repo", async (req): Promise<Repository> => {
    const { repo: name } = parse(nameParams, req.params, "path");
    const { repo, users } = await admin.patch(name, parse(patchLdapRepositoryRequestSchema, req.body));
    return saved(repo, users);
  });

  app.delete("/repositories/:repo", async (req, reply) => {
    await admin.remove(parse(nameParams, req.params, "path").repo);
    return reply.status(204).send();
  });
}
