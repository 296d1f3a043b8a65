/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // A second build directory lets two builds of one checkout run side by side (e2e slots).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `npm test` type-checks the whole tree with tsc first; this lets a build skip the repeat.
  typescript: { ignoreBuildErrors: process.env.NEXT_SKIP_TYPECHECK === "1" },
  // Pin the workspace root so Turbopack never picks up a lockfile above the repo.
  turbopack: { root: import.meta.dirname },
};

export default nextConfig;
