import tseslint from "typescript-eslint";

// Type-aware rules that catch what tsc does not: a promise nobody awaits (a write that may not
// happen before the answer, an error nobody sees) and a promise passed where a callback is expected.
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
);
