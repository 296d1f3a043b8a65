import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { makeAuthNodes } from "../authnodes";
import type { Sim } from "../sim";
import { bearerGuard, parse } from "./app";
import type { AuthNode, AuthNodesAnswer } from "../../lib/safenet/contract";

// Auth nodes under /TMSWebAPI/v1/authnodes (contract v2): the TMS key, like every TMS route. The
// secret goes in with POST and never comes out: answers are the contract's AuthNode, which has none.

const idParams = z.object({ id: z.string().min(1).max(64) });

export function registerAuthNodeRoutes(app: FastifyInstance, sim: Sim) {
  app.addHook("onRequest", bearerGuard(sim.config.tmsApiKey));
  const nodes = makeAuthNodes(sim.db, sim.keys);

  app.get("/authnodes", async (): Promise<AuthNodesAnswer> => ({ authNodes: await nodes.list() }));
  app.post("/authnodes", async (req, reply) => {
    const node: AuthNode = await nodes.create(req.body);
    return reply.status(201).send(node);
  });
  app.delete("/authnodes/:id", async (req, reply) => {
    await nodes.remove(parse(idParams, req.params, "path").id);
    return reply.status(204).send();
  });
}
