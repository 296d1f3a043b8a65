import path from "node:path";

// Pure decisions for serving the build's immutable JS and CSS pre-compressed (scripts/portal-server.ts):
// which file a URL names, and which encoding the client takes.

export const STATIC_PREFIX = "/_next/static/";

export const STATIC_TYPES: Record<string, string> = {
  ".js": "application/javascript; charset=UTF-8",
  ".css": "text/css; charset=UTF-8",
};

/** The file under `staticDir` a request URL names, or null when it is not a JS/CSS build asset inside it. */
export function staticAssetPath(staticDir: string, url: string): string | null {
  if (!url.startsWith(STATIC_PREFIX)) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(url.split(/[?#]/)[0].slice(STATIC_PREFIX.length));
  } catch {
    return null;
  }
  if (relative.includes("\0") || !STATIC_TYPES[path.extname(relative)]) return null;
  const root = path.resolve(staticDir);
  const file = path.resolve(root, relative);
  return file.startsWith(root + path.sep) ? file : null;
}

export type AssetEncoding = "br" | "gzip";

/** Brotli when the client takes it (browsers do over https), else gzip; null when it takes neither. */
export function pickEncoding(acceptEncoding: string | string[] | undefined): AssetEncoding | null {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(",") : (acceptEncoding ?? "");
  const accepted = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    accepted.set(name, q ? Number(q[1]) : 1);
  }
  const takes = (name: string) => (accepted.get(name) ?? accepted.get("*") ?? 0) > 0;
  if (takes("br")) return "br";
  if (takes("gzip")) return "gzip";
  return null;
}
