import { superviseUntilSignalled } from "../../../scripts/supervisor";

// The supervisor as `npm start` runs it, over two tiny HTTP servers whose ports come from argv;
// each answers with its pid; and one that ignores SIGTERM. A backoff of 200 ms keeps the test short.
const [portA, portB] = process.argv.slice(2);
// On SIGTERM a child stops listening and exits once the requests in flight are answered.
const server = (port: string) =>
  `const s = require("node:http").createServer((q, r) => setTimeout(() => r.setHeader("connection", "close").end(String(process.pid)),` +
  ` Number(new URL(q.url, "http://x").searchParams.get("wait") ?? 0))).listen(${port}, "127.0.0.1");` +
  ` process.on("SIGTERM", () => s.close());`;

void superviseUntilSignalled(
  [
    { name: "a", command: process.execPath, args: ["-e", server(portA)] },
    { name: "b", command: process.execPath, args: ["-e", server(portB)] },
    // Ignores SIGTERM: the supervisor must SIGKILL it after the grace period.
    { name: "stubborn", command: process.execPath, args: ["-e", `console.log("pid " + process.pid); process.on("SIGTERM", () => {}); setInterval(() => {}, 1000);`] },
  ],
  { policy: { initialMs: 200, maxMs: 1_000, resetAfterMs: 60_000 }, graceMs: 3_000 },
).then(() => console.log("[test] supervisor stopped"));
