import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { z } from "zod";
import { SafeNetError } from "../errors";
import { errorBody, type ServiceStatus } from "../../lib/safenet/contract";
import { constantTimeEqual } from "../../lib/crypto/constant-time";
import type { Sim } from "../sim";
import { registerMailboxRoutes } from "./mailbox-routes";
import { registerTmsRoutes } from "./tms-routes";
import { registerAuthNodeRoutes } from "./authnode-routes";
import { registerValidatorRoutes } from "./validator-routes";

// The simulator's HTTP face: one error shape, strict bodies, keys checked before any work.

export const BODY_LIMIT = 64 * 1024;

const FASTIFY_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, "body_too_large", "The request body is larger than the limit of this endpoint."],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, "unsupported_media_type", "Send the body as JSON with Content-Type: application/json."],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, "invalid_content_length", "The Content-Length header does not match the body."],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, "invalid_json", "The body is empty; send a JSON object."],
};

/** Turns a zod failure into the contract's 400 with `details` naming each bad field. */
export function parse<T>(schema: z.ZodType<T>, value: unknown, what = "request body"): T {
  const result = schema.safeParse(value === undefined ? {} : value);
  if (result.success) return result.data;
  // No prototype: a field named "__proto__" must be reported, not swallowed by the setter.
  const details: Record<string, string> = Object.create(null);
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) details[key] = "unknown field";
      continue;
    }
    details[issue.path.join(".") || "body"] ??= issue.message;
  }
  const fields = Object.keys(details).join(", ");
  throw new SafeNetError(400, "invalid_input", `The ${what} is not valid: check ${fields}.`, details);
}

/** The first place (`body.user.name`) in `value` holding a string with a NUL character, or null. */
export function nulField(value: unknown): string | null {
  const stack: [string, unknown][] = [["", value]];
  while (stack.length) {
    const [at, v] = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes("\0")) return at;
    } else if (v && typeof v === "object") {
      for (const [k, child] of Object.entries(v)) stack.push([at ? `${at}.${k}` : k, child]);
    }
  }
  return null;
}

function sendError(reply: FastifyReply, status: number, code: string, message: string, details?: Record<string, unknown>) {
  return reply.status(status).send(errorBody(code, message, details));
}

export function bearerGuard(key: string) {
  return async (req: FastifyRequest) => {
    const header = req.headers.authorization ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7) : "";
    if (!token || !constantTimeEqual(token, key)) {
      throw new SafeNetError(401, "unauthorized", "Send the TMS API key as Authorization: Bearer <key>.");
    }
  };
}

export function agentGuard(key: string) {
  return async (req: FastifyRequest) => {
    const value = req.headers["x-agent-key"];
    if (typeof value !== "string" || !constantTimeEqual(value, key)) {
      throw new SafeNetError(401, "unauthorized", "Send the agent key in the X-Agent-Key header.");
    }
  };
}

export function createApp(sim: Sim): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: 512 },
    return503OnClosing: true,
    forceCloseConnections: true,
    // Router-level failures (bad percent escapes, over-long path segments) in the contract's shape.
    frameworkErrors: (err, _req, reply) => {
      void sendError(reply, 400, "bad_url", `The request path is not valid: ${err.message}`);
    },
    clientErrorHandler: (_err, socket) => {
      const body = JSON.stringify(errorBody("bad_request", "The HTTP request could not be parsed."));
      if (socket.writable) {
        socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      } else {
        socket.destroy();
      }
    },
  });

  app.removeContentTypeParser(["application/json", "text/plain"]);
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new SafeNetError(400, "invalid_json", "The body is not valid JSON."), undefined);
    }
  });

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req, reply) => {
    if (err instanceof SafeNetError) return sendError(reply, err.status, err.code, err.message, err.details);
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      const max = req.routeOptions.bodyLimit ?? BODY_LIMIT;
      return sendError(reply, 413, "body_too_large", `The request body is larger than this endpoint's limit of ${max} bytes.`, { limit: "body", max });
    }
    if (known) return sendError(reply, known[0], known[1], known[2]);
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendError(reply, err.statusCode, "bad_request", err.message);
    }
    sim.log(`error on ${req.method} ${req.routeOptions.url ?? "?"}: ${err.stack ?? err.message}`);
    return sendError(reply, 500, "internal_error", "The simulator failed to handle this request; see its log.");
  });

  app.setNotFoundHandler((req, reply) =>
    sendError(reply, 404, "not_found", `There is no ${req.method} ${req.url.split("?")[0]} on the SafeNet simulator.`),
  );

  // PostgreSQL's text cannot hold NUL, and no field of the contract has a use for one: refused here,
  // after the key checks, as a 400 on either database rather than a database error on one of them.
  app.addHook("preValidation", async (req) => {
    const where = nulField({ path: req.params, query: req.query, body: req.body });
    if (where) throw new SafeNetError(400, "invalid_input", `The request is not valid: ${where} contains a NUL character. Remove it and send again.`, { [where]: "contains NUL" });
  });

  if (sim.config.logRequests) {
    // Method, route pattern and status only: paths and bodies can carry user names and passcodes.
    app.addHook("onResponse", async (req, reply) => {
      sim.log(`${req.method} ${req.routeOptions.url ?? "(no route)"} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms`);
    });
  }

  app.get("/health", async (): Promise<ServiceStatus> => ({ status: "ok", service: "safenet-simulator", version: sim.version }));
  app.get("/TMSService/ClientDownload/MobilePASSWin.exe", async (_req, reply) =>
    reply.redirect(`${sim.config.portalUrl}/mobilepass`, 302),
  );

  registerValidatorRoutes(app, sim);
  app.register(async (scope) => registerTmsRoutes(scope, sim), { prefix: "/TMSWebAPI/v1" });
  app.register(async (scope) => registerAuthNodeRoutes(scope, sim), { prefix: "/TMSWebAPI/v1" });
  app.register(async (scope) => registerMailboxRoutes(scope, sim), { prefix: "/mailbox" });
  return app;
}
