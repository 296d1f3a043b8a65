import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";

// A TLS terminator in front of the portal, as a reverse proxy in production would be: it streams
// requests and answers both ways and tells the portal the client's address, scheme and host.
// Run by playwright.config.ts: `tsx e2e/support/tls-proxy.ts <listen port> <portal port> <cert dir>`.

/** A self-signed certificate for 127.0.0.1, made with openssl at test time (never committed). */
export function selfSignedCertificate(dir: string): { key: Buffer; cert: Buffer } {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyPath = path.join(dir, "key.pem");
  const certPath = path.join(dir, "cert.pem");
  if (!fs.existsSync(keyPath) || !fs.existsSync(certPath)) {
    execFileSync("/usr/bin/openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", keyPath, "-out", certPath, "-days", "2", "-subj", "/CN=127.0.0.1",
      "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
    ], { stdio: "pipe" });
  }
  return { key: fs.readFileSync(keyPath), cert: fs.readFileSync(certPath) };
}

export function startTlsProxy(listenPort: number, targetPort: number, certDir: string): https.Server {
  const server = https.createServer(selfSignedCertificate(certDir), (req, res) => {
    const client = req.socket.remoteAddress ?? "";
    const prior = req.headers["x-forwarded-for"];
    const headers = {
      ...req.headers,
      "x-forwarded-for": prior ? `${prior}, ${client}` : client,
      "x-forwarded-proto": "https",
      "x-forwarded-host": req.headers.host ?? `127.0.0.1:${listenPort}`,
    };
    const upstream = http.request({ host: "127.0.0.1", port: targetPort, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
      answer.pipe(res);
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end("The portal behind the TLS terminator did not answer.");
    });
    req.pipe(upstream);
  });
  server.listen(listenPort, "127.0.0.1");
  return server;
}

if (require.main === module) {
  const [listen, target, dir] = process.argv.slice(2);
  const server = startTlsProxy(Number(listen), Number(target), path.resolve(dir));
  server.on("listening", () => console.log(`TLS terminator on https://127.0.0.1:${listen} → http://127.0.0.1:${target}`));
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.close(() => process.exit(0)));
}
