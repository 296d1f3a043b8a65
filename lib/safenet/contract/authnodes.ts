import { z } from "zod";
import { RADIUS_SECRET_LIMITS } from "./limits";

// Contract v2: auth nodes, SafeNet's name for RADIUS clients. The shared secret is accepted on
// write and never returned; `address` is one IP address or a CIDR block (normalised on write).

export const authNodeSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  address: z.string().min(1),
  requireMessageAuthenticator: z.boolean(),
  /** ISO 8601. */
  createdAt: z.string(),
});
export type AuthNode = z.infer<typeof authNodeSchema>;

export const authNodesAnswerSchema = z.object({ authNodes: z.array(authNodeSchema) });
export type AuthNodesAnswer = z.infer<typeof authNodesAnswerSchema>;

export { RADIUS_SECRET_LIMITS };

export const createAuthNodeRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(64),
    address: z.string().trim().min(1).max(64),
    secret: z
      .string()
      .min(RADIUS_SECRET_LIMITS.min, `must be at least ${RADIUS_SECRET_LIMITS.min} characters (RFC 2865 §3)`)
      .max(RADIUS_SECRET_LIMITS.max, `must be at most ${RADIUS_SECRET_LIMITS.max} characters`)
      .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces"),
    requireMessageAuthenticator: z.boolean().default(true),
  })
  .strict();
export type CreateAuthNodeRequest = z.input<typeof createAuthNodeRequestSchema>;
