import { makeAuthNodes } from "../authnodes";
import type { Sim } from "../sim";
import { startRadiusServer, type RadiusServer, type RadiusValidateAnswer, type RadiusValidateRequest } from "./server";
import { VALIDATION_CODES, validationRequestSchema } from "../../lib/safenet/contract";

// The simulator's RADIUS front end wired to its parts: auth nodes from the database (read per packet),
// answers from the same validator as POST /validate, drops into the event log.
//
// The event's client (clientIp) is the Calling-Station-Id when it is an IP address (the user's
// device, as a VPN reports it), else the packet's source address: the NAS itself. NAS-IP-Address is
// not used for it: any node can write any address there, while the source is the address the node
// was matched (and its secret chosen) by. Both, and NAS-Identifier, are kept in the event's detail.

export async function startRadiusFrontEnd(sim: Sim): Promise<RadiusServer | undefined> {
  const { config } = sim;
  if (config.radiusPort === 0) return undefined;
  const nodes = makeAuthNodes(sim.db, sim.keys);
  if (config.radiusSecret) {
    const first = await nodes.ensureFirstNode(config.radiusSecret);
    if (first) sim.log(`RADIUS: created the auth node "${first.name}" for ${first.address} with the secret SAFENET_RADIUS_SECRET`);
  }
  const validate = async (r: RadiusValidateRequest): Promise<RadiusValidateAnswer> => {
    const req = validationRequestSchema.safeParse({ username: r.username, passcode: r.passcode, state: r.state, clientIp: r.clientIp });
    // What HTTP would answer with a 400 is a plain failure over RADIUS (an empty or over-long field).
    if (!req.success) return { code: 0, message: VALIDATION_CODES[0].message };
    const answer = await sim.validator.validate(req.data, Date.now(), { radius: r.radius });
    return { code: answer.code, message: answer.message, ...(answer.state && { state: answer.state }) };
  };
  return startRadiusServer({
    host: config.host,
    port: config.radiusPort,
    nodes,
    validate,
    record: (e) => sim.events.record(e),
    log: sim.log,
  });
}
