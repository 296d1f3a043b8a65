import { z } from "zod";
import type { ErrorBody } from "./errors";

// The error body as a schema, for the portal's client (any error answer) and the tests.

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().regex(/^[a-z][a-z0-9_]*$/, "is not a snake_case code"),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
}) satisfies z.ZodType<ErrorBody>;
