/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Pin the workspace root so Turbopack never picks up a lockfile above the repo.
  turbopack: { root: import.meta.dirname },
};

export default nextConfig;
