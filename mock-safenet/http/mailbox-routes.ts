import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { badInput, notFound } from "../errors";
import type { Sim } from "../sim";
import { bearerGuard, parse } from "./app";

// The mail sink's reading side, under /mailbox, behind the TMS API key.

const MAX_IDS = 500;
const idValue = z.string().max(64 * 1024);
const messagesQuery = z.object({ to: z.string().max(256).optional(), messageId: z.union([idValue, z.array(idValue).max(MAX_IDS)]).optional() }).strict();

export function registerMailboxRoutes(app: FastifyInstance, sim: Sim) {
  app.addHook("onRequest", bearerGuard(sim.config.tmsApiKey));

  app.get("/messages", async (req) => {
    const { to, messageId } = parse(messagesQuery, req.query, "query");
    // ?messageId= may repeat, and each value may list several ids separated by commas.
    const messageIds = messageId === undefined ? undefined : [messageId].flat().flatMap((v) => v.split(",")).filter((v) => v.trim());
    if (messageIds && messageIds.length > MAX_IDS) throw badInput(`Ask for at most ${MAX_IDS} message ids at a time.`, { messageId: "too many" });
    return { messages: await sim.mailbox.list({ to, messageIds }) };
  });

  app.get("/messages/:id/attachments/:filename", async (req, reply) => {
    const { id, filename } = parse(z.object({ id: z.string().max(64), filename: z.string().max(256) }), req.params, "path");
    const found = await sim.mailbox.attachment(id, filename);
    if (!found) throw notFound(`The attachment "${filename}" of message ${id}`, { id, filename });
    return reply
      .header("content-type", found.contentType)
      .header("content-disposition", `attachment; filename="${filename.replace(/["\\\r\n]/g, "_")}"`)
      .send(found.bytes);
  });

  app.delete("/messages", async () => ({ deleted: await sim.mailbox.clear() }));
}
