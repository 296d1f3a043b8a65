import type { FastifyInstance } from "fastify";
import type { Sim } from "../sim";
import { agentGuard, parse } from "./app";
import { validationRequestSchema, type ServiceStatus, type ValidationAnswer } from "../../lib/safenet/contract";

// The OTP Service URL: GET answers Check connection without a key, POST validates a passcode.

const PATH = "/TokenValidator/TokenValidator.asmx";

export function registerValidatorRoutes(app: FastifyInstance, sim: Sim) {
  app.get(PATH, async (): Promise<ServiceStatus> => ({ service: "TokenValidator", status: "ok", version: sim.version }));
  app.post(PATH, { onRequest: agentGuard(sim.config.agentKey) }, async (req): Promise<ValidationAnswer> =>
    sim.validator.validate(parse(validationRequestSchema, req.body)),
  );
}
