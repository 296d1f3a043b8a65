import { z } from "zod";
import { parseTrustedProxies } from "../net/forwarded";

// Server-side only: never import this from a client component.

const portError = { error: "must be a port number from 1 to 65535" };
const port = (fallback: number) =>
  z.coerce.number(portError).int(portError).min(1, portError).max(65535, portError).default(fallback);
const required = (name: string) =>
  z
    .string({ error: `is not set; run \`npm start\` once (it writes .env) or set ${name} in the environment` })
    .min(1, `is empty; set ${name} in .env or the environment`);
const url = z.url({ error: "must be a full URL such as http://127.0.0.1:4010" });

const portalEnvSchema = z
  .object({
    PORT: port(3000),
    SAFENET_PORT: port(4010),
    SAFENET_URL: url.optional(),
    SAFENET_TMS_API_KEY: required("SAFENET_TMS_API_KEY"),
    SAFENET_AGENT_KEY: required("SAFENET_AGENT_KEY"),
    SMTP_URL: z.url({ error: "must be a URL such as smtp://127.0.0.1:2525" }).default("smtp://127.0.0.1:2525"),
    SMTP_SINK_PORT: port(2525),
    // The connection test's RADIUS path: SafeNet's RADIUS port on the OTP Service URL's host, and the
    // secret of the auth node covering the portal (npm start writes the simulator's into .env). 0 = off.
    SAFENET_RADIUS_PORT: z.coerce.number(portError).int(portError).min(0, portError).max(65535, portError).default(1812),
    SAFENET_RADIUS_SECRET: z.string().optional(),
    MAIL_FROM: z.string().min(1).default("SafeNet Login portal <safenet@corp.local>"),
    DATA_DIR: z.string().default("data"),
    NEXTAUTH_SECRET: required("NEXTAUTH_SECRET"),
    NEXTAUTH_URL: url.optional(),
    // Reverse proxies whose X-Forwarded-For/-Proto the portal believes; empty trusts none.
    TRUSTED_PROXIES: z
      .string()
      .default("")
      .transform((text, ctx) => {
        const r = parseTrustedProxies(text);
        if (r.ok) return r.value;
        ctx.addIssue({ code: "custom", message: `is not a comma-separated list of addresses or CIDR blocks: ${r.error}` });
        return z.NEVER;
      }),
    // How often a session reads the user's tokens and groups from SafeNet again; at most 60 s.
    SESSION_RECHECK_SECONDS: z.coerce
      .number({ error: "must be a number of seconds from 1 to 60" })
      .int({ error: "must be a whole number of seconds from 1 to 60" })
      .min(1, { error: "must be a number of seconds from 1 to 60" })
      .max(60, { error: "must be at most 60 seconds, or token changes would outlive the promise to end sessions within a minute" })
      .default(30),
  })
  .transform((raw) => ({
    ...raw,
    SAFENET_URL: (raw.SAFENET_URL ?? `http://127.0.0.1:${raw.SAFENET_PORT}`).replace(/\/+$/, ""),
    NEXTAUTH_URL: raw.NEXTAUTH_URL ?? `http://127.0.0.1:${raw.PORT}`,
  }));

export type PortalEnv = z.output<typeof portalEnvSchema>;

// `PORT=` in .env means "use the default", not "invalid".
function withoutEmpty(source: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ""),
  );
}

export function parsePortalEnv(source: NodeJS.ProcessEnv): PortalEnv {
  const result = portalEnvSchema.safeParse(withoutEmpty(source));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`);
  throw new Error(`Portal configuration is invalid: ${problems.join("; ")}.`);
}

let cached: PortalEnv | undefined;

export function env(): PortalEnv {
  cached ??= parsePortalEnv(process.env);
  return cached;
}

/** DATA_DIR alone, so migrations can run without the portal's secrets. */
export function dataDir(source: NodeJS.ProcessEnv = process.env): string {
  return source.DATA_DIR || "data";
}

/**
 * The portal's PostgreSQL URL (DATABASE_URL), or undefined to use ${DATA_DIR}/portal.sqlite. Read
 * alone, like dataDir, so migrations and the break-glass script run without the portal's secrets.
 */
export function databaseUrl(source: NodeJS.ProcessEnv = process.env): string | undefined {
  return source.DATABASE_URL?.trim() || undefined;
}
