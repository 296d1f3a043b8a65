import http from "node:http";
import type { Answer } from "./leaks";

// One HTTP request with nothing normalised, over a keep-alive agent, to a 127.0.0.1 server only.

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

export type RawResult = { kind: "answer"; answer: Answer; ms: number } | { kind: "unsendable"; reason: string } | { kind: "network"; reason: string; ms: number };

export function send(base: string, method: string, path: string, headers: Record<string, string>, body?: string | Buffer, timeoutMs = 15_000): Promise<RawResult> {
  const url = new URL(base);
  if (url.hostname !== "127.0.0.1") throw new Error(`only 127.0.0.1, not ${url.hostname}`);
  const started = performance.now();
  const h = { ...headers };
  if (body !== undefined && !Object.keys(h).some((k) => k.toLowerCase() === "content-length")) h["content-length"] = String(Buffer.byteLength(body));
  return new Promise((resolve) => {
    let req: http.ClientRequest;
    try {
      req = http.request({ host: url.hostname, port: url.port, method, path, headers: h, agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (e) => resolve({ kind: "network", reason: e.message, ms: performance.now() - started }));
        res.on("end", () => resolve({ kind: "answer", ms: performance.now() - started, answer: { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") } }));
      });
    } catch (e) {
      // Node refuses to send some paths and header values (control characters): not the server's problem.
      return resolve({ kind: "unsendable", reason: (e as Error).message });
    }
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", (e) => resolve({ kind: "network", reason: e.message, ms: performance.now() - started }));
    req.end(body);
  });
}
