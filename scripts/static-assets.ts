import { createHash } from "node:crypto";
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { pickEncoding, STATIC_TYPES, staticAssetPath, type AssetEncoding } from "../lib/http/static-asset";

// The build's JS and CSS, compressed once instead of on every request. Next's own server gzips each
// static chunk again for every page load (a CPU profile of sign-in put zlib first by self time), and
// the files never change: their names carry their content hash. Each file is compressed on the
// thread pool (gzip -9 and brotli -11) when the server starts; until its copy is ready, and for
// every other path, Next answers as before.

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/** Printed once every file has its compressed copies (bench/lib/portal-stack.ts waits for it). */
export const ASSETS_READY = "Build assets pre-compressed";

interface Compressed {
  type: string;
  etag: string;
  br: Buffer;
  gzip: Buffer;
}

/** Compresses every JS and CSS file under `staticDir`, one file at a time, into `cache`. */
async function warm(staticDir: string, cache: Map<string, Compressed>): Promise<void> {
  const files = fs.readdirSync(staticDir, { recursive: true, encoding: "utf8" }).map((f) => path.join(staticDir, f));
  for (const file of files) {
    const type = STATIC_TYPES[path.extname(file)];
    if (!type || !fs.statSync(file).isFile()) continue;
    const body = fs.readFileSync(file);
    const [gz, br] = await Promise.all([
      gzip(body, { level: 9 }),
      brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
    ]);
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    cache.set(file, { type, etag, gzip: gz, br });
  }
}

/** A request handler that answers for compressed build assets and returns false for everything else. */
export function precompressedAssets(distDir: string): (req: IncomingMessage, res: ServerResponse) => boolean {
  const staticDir = path.resolve(distDir, "static");
  const cache = new Map<string, Compressed>();
  if (fs.existsSync(staticDir)) {
    warm(staticDir, cache)
      .then(() => console.log(`${ASSETS_READY} (${cache.size} files)`))
      .catch((error: unknown) => console.error(`Pre-compressing the build's assets failed; Next compresses them instead: ${String(error)}`));
  }
  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const file = staticAssetPath(staticDir, req.url ?? "");
    const entry = file ? cache.get(file) : undefined;
    const encoding: AssetEncoding | null = entry ? pickEncoding(req.headers["accept-encoding"]) : null;
    if (!entry || !encoding) return false;
    const headers = {
      "content-type": entry.type,
      "cache-control": "public, max-age=31536000, immutable",
      etag: entry.etag,
      vary: "Accept-Encoding",
      "x-content-type-options": "nosniff",
    };
    if (req.headers["if-none-match"] === entry.etag) {
      res.writeHead(304, headers).end();
      return true;
    }
    res.writeHead(200, { ...headers, "content-encoding": encoding, "content-length": entry[encoding].length });
    res.end(req.method === "HEAD" ? undefined : entry[encoding]);
    return true;
  };
}
