import tseslint from "typescript-eslint";

// Type-aware rules that catch what tsc does not: a promise nobody awaits (a write that may not
// happen before the answer, an error nobody sees) and a promise passed where a callback is expected.
// Then the layers: the pure domain in lib/<area> may not reach the database, Next, the environment
// or the server services; db/ may not reach the services above it (no cycle).

const serverOnly = ["server-only", "next", "next/*", "next-auth", "next-auth/*", "@/db", "@/db/*", "**/db/**", "@/lib/server/*", "**/lib/server/**"];
const runtime = ["@/lib/runtime/*", "**/lib/runtime/**"];
const restrict = (patterns, why) => ["error", { patterns: [{ group: patterns, message: why }] }];

export default tseslint.config(
  { ignores: ["node_modules/**", ".next/**", "test-results/**", "playwright-report/**", "data/**", "**/*.mjs", "**/vitest.config.mts", "next-env.d.ts"] },
  {
    files: ["**/*.ts", "**/*.tsx", "**/*.mts"],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@typescript-eslint": tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
    },
  },
  {
    files: ["lib/**/*.ts", "lib/**/*.tsx"],
    ignores: ["lib/server/**", "lib/runtime/**"],
    rules: {
      "no-restricted-imports": restrict([...serverOnly, ...runtime], "The pure domain (lib/<area>) takes what it needs as arguments: no database, Next, environment or server service."),
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read the environment in lib/runtime/env.ts and pass the value in." }],
    },
  },
  {
    files: ["lib/runtime/**/*.ts"],
    rules: { "no-restricted-imports": restrict(serverOnly, "lib/runtime is process plumbing shared with the scripts: no database, Next or server service.") },
  },
  {
    files: ["db/**/*.ts"],
    rules: { "no-restricted-imports": restrict(["@/lib/server/*", "**/lib/server/**", "next", "next/*"], "db/ sits below the services: they call it, never the other way round.") },
  },
);
