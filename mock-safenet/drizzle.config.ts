import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./mock-safenet/db/schema.ts",
  out: "./mock-safenet/db/migrations",
  dbCredentials: { url: "data/safenet.sqlite" },
});
