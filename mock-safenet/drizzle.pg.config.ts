import { defineConfig } from "drizzle-kit";

// The simulator's PostgreSQL migrations (the SQLite ones: mock-safenet/drizzle.config.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./mock-safenet/db/schema.pg.ts",
  out: "./mock-safenet/db/migrations-pg",
});
