import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { notFound } from "../errors";
import type { Sim } from "../sim";
import { bearerGuard, parse } from "./app";

// The mail sink's reading side, under /mailbox, behind the TMS API key.

export function registerMailboxRoutes(app: FastifyInstance, sim: Sim) {
  app.addHook("onRequest", bearerGuard(sim.config.tmsApiKey));

  app.get("/messages", async (req) => {
    const { to } = parse(z.object({ to: z.string().max(256).optional() }).strict(), req.query, "query");
    return { messages: sim.mailbox.list(to) };
  });

  app.get("/messages/:id/attachments/:filename", async (req, reply) => {
    const { id, filename } = parse(z.object({ id: z.string().max(64), filename: z.string().max(256) }), req.params, "path");
    const found = sim.mailbox.attachment(id, filename);
    if (!found) throw notFound(`The attachment "${filename}" of message ${id}`, { id, filename });
    return reply
      .header("content-type", found.contentType)
      .header("content-disposition", `attachment; filename="${filename.replace(/["\\\r\n]/g, "_")}"`)
      .send(found.bytes);
  });

  app.delete("/messages", async () => ({ deleted: sim.mailbox.clear() }));
}
