import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Sim } from "../sim";
import { agentGuard, parse } from "./app";

// The OTP Service URL: GET answers Check connection without a key, POST validates a passcode.

const PATH = "/TokenValidator/TokenValidator.asmx";

const validateSchema = z
  .object({
    username: z.string().trim().min(1).max(256),
    passcode: z.string().min(1).max(64),
    state: z.string().min(1).max(128).optional(),
    clientIp: z.string().max(64).optional(),
    organization: z.string().min(1).max(256).optional(),
  })
  .strict();

export function registerValidatorRoutes(app: FastifyInstance, sim: Sim) {
  app.get(PATH, async () => ({ service: "TokenValidator", status: "ok", version: sim.version }));
  app.post(PATH, { onRequest: agentGuard(sim.config.agentKey) }, async (req) =>
    sim.validator.validate(parse(validateSchema, req.body)),
  );
}
