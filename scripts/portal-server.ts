import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import next from "next";
import { PEER_HEADER } from "../lib/net/forwarded";

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

async function main(): Promise<void> {
  const app = next({ dev, dir: root, hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    stampPeer(req);
    handle(req, res).catch((error: unknown) => {
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
