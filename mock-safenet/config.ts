import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { isPostgresUrl } from "../lib/runtime/sql";

// The simulator's one environment module: every port, path and key it uses is read and checked here.

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

const simulatorEnvSchema = z.object({
  SAFENET_PORT: port(4010),
  SMTP_SINK_PORT: port(2525),
  // UDP; 0 turns the RADIUS front end off (tools that need only HTTP).
  SAFENET_RADIUS_PORT: z.coerce.number().int().min(0).max(65535).default(1812),
  // The secret of the auth node for 127.0.0.1 that the first start creates; npm start writes one into .env.
  SAFENET_RADIUS_SECRET: z.string().min(16, "must be at least 16 characters (RFC 2865 §3; npm start writes one into .env)").optional(),
  SAFENET_HOST: z.string().default("127.0.0.1"),
  DATA_DIR: z.string().min(1).default("data"),
  // Unset or empty: SQLite in DATA_DIR. A postgres:// URL: that database, which several simulators may share.
  SAFENET_DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => !v || isPostgresUrl(v), "must be a postgres:// or postgresql:// URL, or empty for SQLite in DATA_DIR"),
  SAFENET_TMS_API_KEY: z.string().min(16, "must be at least 16 characters (npm start writes one into .env)"),
  SAFENET_AGENT_KEY: z.string().min(16, "must be at least 16 characters (npm start writes one into .env)"),
  SAFENET_MASTER_KEY: z.string().optional(),
  SAFENET_PUBLIC_URL: z.string().url().optional(),
  PORTAL_URL: z.string().url().optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  SAFENET_LOG: z.enum(["off", "requests"]).default("requests"),
  // "main" reads PSKC imports on the event loop: only for measuring what the worker threads buy.
  SAFENET_IMPORT_THREAD: z.enum(["worker", "main"]).default("worker"),
});

export type SimulatorConfig = {
  port: number;
  smtpPort: number;
  /** UDP port of the RADIUS front end; 0 when it is off. */
  radiusPort: number;
  radiusSecret?: string;
  host: string;
  dataDir: string;
  /** A PostgreSQL URL, or undefined for SQLite in `dataDir`. */
  databaseUrl?: string;
  tmsApiKey: string;
  agentKey: string;
  masterKey?: string;
  publicUrl: string;
  portalUrl: string;
  logRequests: boolean;
  importThread: "worker" | "main";
};

/**
 * Reads `.env` from the working directory (or the file SAFENET_ENV_FILE names; set to "" for none)
 * without overriding variables already set. The test harness sets it to "": a developer's `.env`,
 * written by `npm start` in the same checkout, must not hand its master key or database to the
 * simulators the tests start.
 */
export function loadDotEnv(cwd = process.cwd(), env: Record<string, string | undefined> = process.env): void {
  const named = env.SAFENET_ENV_FILE;
  if (named === "") return;
  const file = named ?? path.join(cwd, ".env");
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): SimulatorConfig {
  const parsed = simulatorEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`The SafeNet simulator's environment is not valid:\n${lines.join("\n")}\nRun "npm start" once to write .env, or set the variables.`);
  }
  const e = parsed.data;
  const publicUrl = e.SAFENET_PUBLIC_URL ?? `http://${e.SAFENET_HOST}:${e.SAFENET_PORT}`;
  return {
    port: e.SAFENET_PORT,
    smtpPort: e.SMTP_SINK_PORT,
    radiusPort: e.SAFENET_RADIUS_PORT,
    radiusSecret: e.SAFENET_RADIUS_SECRET || undefined,
    host: e.SAFENET_HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.SAFENET_DATABASE_URL?.trim() || undefined,
    tmsApiKey: e.SAFENET_TMS_API_KEY,
    agentKey: e.SAFENET_AGENT_KEY,
    masterKey: e.SAFENET_MASTER_KEY || undefined,
    publicUrl: publicUrl.replace(/\/$/, ""),
    portalUrl: (e.PORTAL_URL ?? e.NEXTAUTH_URL ?? "http://127.0.0.1:3000").replace(/\/$/, ""),
    logRequests: e.SAFENET_LOG === "requests",
    importThread: e.SAFENET_IMPORT_THREAD,
  };
}
