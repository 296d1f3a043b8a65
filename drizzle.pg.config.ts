import { defineConfig } from "drizzle-kit";

// The portal's PostgreSQL schema (DATABASE_URL=postgres://…); db/schema.ts stays the SQLite one.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.pg.ts",
  out: "./db/migrations-pg",
  dbCredentials: { url: process.env.DATABASE_URL || "postgres://localhost/portal" },
});
