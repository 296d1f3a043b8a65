import { createServer, IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import next from "next";
import { ACTION_BODY_LIMIT, refuseActionBody, refuseHead, type Refusal } from "../lib/runtime/request-guard";
import { PEER_HEADER } from "../lib/net/forwarded";
import { precompressedAssets } from "./static-assets";

// The portal's HTTP server: Next's request handler behind a plain node:http server, so that the
// socket's peer reaches the app in a header no client can forge (see lib/auth/request-info.ts),
// and so that SIGTERM lets in-flight requests finish. `--dev` runs Next's dev server the same way.

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const dev = args.includes("--dev");
// Same flags as `next start`: -H address (127.0.0.1 by default), -p port (else PORT, else 3000).
const hostname = flag("-H") || "127.0.0.1";
const port = Number(flag("-p") || process.env.PORT || 3000);
const GRACE_MS = 10_000;

/** Overwrites any client's copy of the internal peer header with the socket's own address. */
function stampPeer(req: IncomingMessage): void {
  delete req.headers[PEER_HEADER];
  req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
}

// A refused body up to this size is read and dropped first, so the client gets the answer instead
// of a reset while it is still sending; beyond it the connection is simply closed.
const DRAIN_LIMIT = 16 * 1024 * 1024;

function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal): void {
  const answer = () => {
    res.writeHead(refusal.status, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff", connection: "close" });
    res.end(`${refusal.message}\n`);
  };
  const declared = Number(req.headers["content-length"] ?? 0);
  if (req.readableEnded || !(declared > 0 && declared <= DRAIN_LIMIT)) return answer();
  req.on("end", answer);
  req.on("error", answer);
  req.resume();
}

/** Reads a server action's body (already known to be within the limit) to check it before Next does. */
function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > ACTION_BODY_LIMIT) {
        req.removeAllListeners("data");
        resolve(null);
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", () => resolve(null));
  });
}

/** The same request with its body put back, for Next to read as if nobody had. */
function replay(req: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(req.socket);
  Object.assign(copy, {
    method: req.method,
    url: req.url,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    // Not "complete", Node would take the end of this copy for an aborted request and drop the socket.
    complete: true,
  });
  copy.push(body);
  copy.push(null);
  return copy;
}

/** The request to hand to Next, or null when it has been refused here. */
async function screen(req: IncomingMessage, res: ServerResponse): Promise<IncomingMessage | null> {
  const head = refuseHead(req.method ?? "GET", req.url ?? "/", req.headers);
  if (head) {
    refuse(req, res, head);
    return null;
  }
  if (req.method !== "POST" || req.headers["next-action"] === undefined) return req;
  const body = await readBody(req);
  const problem: Refusal | null = body ? refuseActionBody(req.headers, body) : { status: 413, message: "The form is too large." };
  if (problem || !body) {
    refuse(req, res, problem ?? { status: 413, message: "The form is too large." });
    return null;
  }
  return replay(req, body);
}

async function main(): Promise<void> {
  const app = next({ dev, dir: root, hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  // The dev server rebuilds its chunks; only a production build's are immutable.
  const assets = dev ? () => false : precompressedAssets(path.join(root, process.env.NEXT_DIST_DIR || ".next"));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    stampPeer(req);
    if (assets(req, res)) return;
    screen(req, res)
      .then((screened) => screened && handle(screened, res))
      .catch((error: unknown) => {
        console.error(error);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  });
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
  });
  server.listen(port, hostname, () => console.log(`Portal ready on http://${hostname}:${port}${dev ? " (dev)" : ""}`));

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing in-flight requests…`);
    // close() stops accepting and resolves once every open request has been answered.
    server.close(() => void app.close().finally(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(1);
    }, GRACE_MS).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
